using Alignment.Leads;
using Alignment.Models;

namespace Alignment.Segmentation.Rules;

/// <summary>Settings for <see cref="SegmentationModelLoader"/>.</summary>
public sealed class SegmentationLoadOptions
{
    /// <summary>The custom attributes conditions may name as <c>attributes.&lt;name&gt;</c>. Leads must carry attributes of this schema (or none).</summary>
    /// <value>Defaults to <see cref="AttributeSchema.Empty"/>.</value>
    public AttributeSchema Schema { get; set; } = AttributeSchema.Empty;

    /// <summary>Whether an overlap between two definitions is a load error rather than a report in <see cref="SegmentationModel.Overlaps"/>.</summary>
    /// <value>Defaults to <see langword="false"/>. A definition whose own conditions contradict each other is always an error.</value>
    public bool OverlapsAreErrors { get; set; }

    /// <summary>
    /// The limits the JSON text is checked against before it is read (file size, nesting, objects, array and string lengths), so that
    /// one hostile file cannot exhaust a host that loads models from its users. Not used by the overload that takes a document.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: the defaults of <see cref="ModelReadLimits"/>.</value>
    public ModelReadLimits? Limits { get; set; }
}
