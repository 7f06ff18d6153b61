using System.Collections.Immutable;

namespace Alignment.Segmentation.Clustering;

/// <summary>Clusterings of one table for several k, so a user can choose k from inertia and silhouette.</summary>
/// <remarks>Immutable.</remarks>
public sealed record ClusteringReport
{
    /// <summary>The features clustered.</summary>
    public required ImmutableArray<string> Features { get; init; }

    /// <summary>The number of rows clustered.</summary>
    public required int Rows { get; init; }

    /// <summary>The z-score standardisation applied to every run.</summary>
    public required FeatureStandardizer Standardizer { get; init; }

    /// <summary>One run per k, in increasing k.</summary>
    public required ImmutableArray<ClusteringRun> Runs { get; init; }

    /// <summary>The run with the highest silhouette (the smaller k on ties), or <see langword="null"/> when no run has one (only k = 1).</summary>
    public ClusteringRun? BestBySilhouette => Runs.Where(r => !double.IsNaN(r.Silhouette)).OrderByDescending(r => r.Silhouette).ThenBy(r => r.K).FirstOrDefault();
}
