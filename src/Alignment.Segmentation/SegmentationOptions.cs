using Alignment.Models;
using Alignment.Segmentation.Clustering;

namespace Alignment.Segmentation;

/// <summary>Settings of the segmentation capability registered by <c>AddSegmentation</c>.</summary>
public sealed class SegmentationOptions
{
    /// <summary>The path of the segmentation model JSON file. Exactly one of <see cref="ModelPath"/> and <see cref="ModelJson"/> is required.</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public string? ModelPath { get; set; }

    /// <summary>The segmentation model JSON text itself.</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public string? ModelJson { get; set; }

    /// <summary>
    /// The bounds on the model (file size; <see cref="ModelPath"/> is read no further than <see cref="ModelReadLimits.MaxBytes"/>, nesting, objects, array and string lengths), enforced while it is read: a file over one
    /// stops the host with the JSON path and the limit. Set them for models your users upload; the defaults suit any model written by people.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: the defaults of <see cref="ModelReadLimits"/>.</value>
    public ModelReadLimits? Limits { get; set; }

    /// <summary>Whether overlapping definitions fail the load instead of being reported.</summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool OverlapsAreErrors { get; set; }

    /// <summary>How many months after its last review a collateral item expires.</summary>
    /// <value>Defaults to 12. At least 1.</value>
    public int CollateralExpiryMonths { get; set; } = 12;

    /// <summary>Default k-means settings for data-driven segments.</summary>
    /// <value>Defaults to <see cref="KMeansOptions"/>' defaults.</value>
    public KMeansOptions Clustering { get; set; } = new();
}
