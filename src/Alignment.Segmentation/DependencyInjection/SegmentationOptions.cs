using Alignment.Leads;
using Alignment.Segmentation.Clustering;

namespace Alignment.Segmentation.DependencyInjection;

/// <summary>Settings of the segmentation capability registered by <c>AddSegmentation</c>.</summary>
public sealed class SegmentationOptions
{
    /// <summary>The path of the segmentation model JSON file. Exactly one of <see cref="ModelPath"/> and <see cref="ModelJson"/> is required.</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public string? ModelPath { get; set; }

    /// <summary>The segmentation model JSON text itself.</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public string? ModelJson { get; set; }

    /// <summary>The custom attribute schema conditions may name.</summary>
    /// <value>Defaults to <see cref="AttributeSchema.Empty"/>.</value>
    public AttributeSchema Schema { get; set; } = AttributeSchema.Empty;

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
