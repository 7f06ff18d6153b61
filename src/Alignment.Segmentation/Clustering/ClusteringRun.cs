using System.Collections.Immutable;
using Alignment.Segmentation.Definitions;

namespace Alignment.Segmentation.Clustering;

/// <summary>The clustering for one k: quality figures and labelled clusters, ready to become rule-based segments.</summary>
/// <remarks>Immutable.</remarks>
public sealed record ClusteringRun
{
    /// <summary>The number of clusters.</summary>
    public required int K { get; init; }

    /// <summary>The sum of squared distances to the nearest centroid, in the standardised space.</summary>
    public required double Inertia { get; init; }

    /// <summary>The mean silhouette (−1 to 1) on a deterministic sample (see <see cref="KMeans.Silhouette"/>); NaN for k = 1.</summary>
    public required double Silhouette { get; init; }

    /// <summary>The clusters.</summary>
    public required ImmutableArray<ClusterSummary> Clusters { get; init; }

    /// <summary>The features, in order.</summary>
    public required ImmutableArray<string> Features { get; init; }

    /// <summary>The standardisation applied before clustering.</summary>
    public required FeatureStandardizer Standardizer { get; init; }

    /// <summary>The underlying fit (standardised centroids, assignments per row, iterations).</summary>
    public required KMeansResult Fit { get; init; }

    /// <summary>
    /// Freezes the clustering into a model document section, so that segment definitions can use <c>cluster.&lt;id&gt;</c> (the label
    /// of a lead's nearest centroid) as a field.
    /// </summary>
    /// <param name="id">The clustering id in the model.</param>
    /// <param name="featureFields">The segment field each feature is read from (for example <c>company.employeeCount</c>, <c>attributes.recency</c>), in feature order.</param>
    /// <param name="labels">A label per cluster, in cluster order; <see langword="null"/> keeps <c>cluster-1</c>, <c>cluster-2</c>, ...</param>
    /// <returns>The clustering document.</returns>
    /// <exception cref="ArgumentException">The id is empty, or the field or label lists have the wrong length.</exception>
    public ClusteringDocument ToClusteringDocument(string id, IReadOnlyList<string> featureFields, IReadOnlyList<string>? labels)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(featureFields);
        if (featureFields.Count != Features.Length)
        {
            throw new ArgumentException($"Expected {Features.Length} feature fields, one per feature.", nameof(featureFields));
        }

        if (labels is not null && labels.Count != K)
        {
            throw new ArgumentException($"Expected {K} labels, one per cluster.", nameof(labels));
        }

        return new ClusteringDocument
        {
            Id = id,
            Features = [.. featureFields],
            Means = [.. Standardizer.Means],
            StandardDeviations = [.. Standardizer.StandardDeviations],
            Centroids = [.. Clusters.Select(c => new CentroidDocument { Label = labels?[c.Index] ?? c.Label, Values = [.. c.Centroid] })],
        };
    }

    /// <summary>A segment definition for one cluster: a lead is in it when the cluster's centroid is its nearest (a nearest-centroid segment).</summary>
    /// <param name="clusteringId">The id the clustering has in the model (see <see cref="ToClusteringDocument"/>).</param>
    /// <param name="label">The cluster's label in that clustering.</param>
    /// <param name="segmentId">The new segment's id.</param>
    /// <param name="name">The new segment's display name; <see langword="null"/> uses the id.</param>
    /// <returns>The segment definition, to add to <see cref="SegmentationModelDocument.Segments"/>.</returns>
    /// <exception cref="ArgumentException">An id or the label is empty.</exception>
    public static SegmentDocument ToSegmentDocument(string clusteringId, string label, string segmentId, string? name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusteringId);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        ArgumentException.ThrowIfNullOrWhiteSpace(segmentId);
        return new SegmentDocument
        {
            Id = segmentId,
            Name = name,
            When = [new ConditionDocument { Field = Rules.SegmentFields.ClusterPrefix + clusteringId, In = [label] }],
        };
    }
}
