using System.Collections.Immutable;

namespace Alignment.Segmentation.Clustering;

/// <summary>One cluster of a <see cref="ClusteringRun"/>, labelled with its centroid in original units.</summary>
/// <remarks>Immutable.</remarks>
public sealed record ClusterSummary
{
    /// <summary>The cluster index (0-based).</summary>
    public required int Index { get; init; }

    /// <summary>The label (<c>cluster-1</c>, <c>cluster-2</c>, ... unless renamed when exported).</summary>
    public required string Label { get; init; }

    /// <summary>The number of rows in the cluster.</summary>
    public required int Size { get; init; }

    /// <summary>The cluster's share of all rows, 0 to 1.</summary>
    public required double Share { get; init; }

    /// <summary>The centroid in original units, one value per feature.</summary>
    public required ImmutableArray<double> Centroid { get; init; }

    /// <summary>The centroid in standardised units (z-scores), one value per feature.</summary>
    public required ImmutableArray<double> StandardizedCentroid { get; init; }
}
