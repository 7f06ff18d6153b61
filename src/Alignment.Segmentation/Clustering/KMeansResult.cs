using System.Collections.Immutable;

namespace Alignment.Segmentation.Clustering;

/// <summary>The outcome of a k-means fit, in the space of the data it was given.</summary>
/// <remarks>Immutable.</remarks>
public sealed record KMeansResult
{
    /// <summary>The number of clusters.</summary>
    public required int K { get; init; }

    /// <summary>The number of features per row.</summary>
    public required int Dimensions { get; init; }

    /// <summary>The centroids, row-major: centroid <c>c</c> is <c>Centroids[c * Dimensions .. (c + 1) * Dimensions]</c>.</summary>
    public required ImmutableArray<float> Centroids { get; init; }

    /// <summary>Each row's cluster (nearest centroid by exact squared distance, ties to the lowest index).</summary>
    public required ImmutableArray<int> Assignments { get; init; }

    /// <summary>The number of rows in each cluster.</summary>
    public required ImmutableArray<int> ClusterSizes { get; init; }

    /// <summary>The sum over rows of the squared Euclidean distance to the nearest centroid (computed in double precision).</summary>
    public required double Inertia { get; init; }

    /// <summary>The Lloyd iterations of the winning run on the full data (the sampled iterations of its start not included).</summary>
    public required int Iterations { get; init; }

    /// <summary>Whether the winning run converged before <see cref="KMeansOptions.MaxIterations"/>.</summary>
    public required bool Converged { get; init; }

    /// <summary>The index (0-based) of the restart whose start won.</summary>
    public required int BestRestart { get; init; }

    /// <summary>The number of rows the restarts were run on (the sample size, or all rows when not sampled).</summary>
    public required int RestartRows { get; init; }

    /// <summary>Copies one centroid.</summary>
    /// <param name="cluster">The cluster index.</param>
    /// <returns>Its centroid.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cluster"/> is not between 0 and <see cref="K"/> - 1.</exception>
    public float[] GetCentroid(int cluster)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cluster);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cluster, K);
        return Centroids.AsSpan().Slice(cluster * Dimensions, Dimensions).ToArray();
    }
}
