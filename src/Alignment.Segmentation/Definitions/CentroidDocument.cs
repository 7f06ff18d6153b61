namespace Alignment.Segmentation.Definitions;

/// <summary>One labelled centroid of a <see cref="ClusteringDocument"/>.</summary>
public sealed record CentroidDocument
{
    /// <summary>The label conditions refer to (for example <c>high-value</c>).</summary>
    public string? Label { get; init; }

    /// <summary>The centroid in original units, one value per feature.</summary>
    public IReadOnlyList<double>? Values { get; init; }
}
