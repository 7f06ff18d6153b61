using System.Diagnostics.Metrics;
using Alignment.Leads;
using Alignment.Models;

namespace Alignment.Segmentation.Rules;

/// <summary>Settings for <see cref="SegmentationModelLoader"/>.</summary>
public sealed class SegmentationLoadOptions : ModelLoadOptions
{
    /// <summary>The custom attributes conditions may name as <c>attributes.&lt;name&gt;</c>. Leads must carry attributes of this schema (or none).</summary>
    /// <value>Defaults to <see cref="AttributeSchema.Empty"/>.</value>
    public AttributeSchema Schema { get; set; } = AttributeSchema.Empty;

    /// <summary>Whether an overlap between two definitions is a load error rather than a report in <see cref="SegmentationModel.Overlaps"/>.</summary>
    /// <value>Defaults to <see langword="false"/>. A definition whose own conditions contradict each other is always an error.</value>
    public bool OverlapsAreErrors { get; set; }

    /// <summary>
    /// Creates the model's meter (<see cref="Alignment.Diagnostics.AlignmentDiagnostics.MeterName"/>), so that its counter belongs to the
    /// host's metrics pipeline; the <c>Add…</c> registration sets it from the container.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: a meter shared by every model loaded without a factory.</value>
    public IMeterFactory? MeterFactory { get; set; }

}
