using System.Collections.Immutable;

namespace Alignment.Segmentation.Clustering;

/// <summary>
/// Data-driven segments: standardises a feature table (z-score, population standard deviation), runs <see cref="KMeans.Fit"/> for each
/// requested k, and reports inertia, silhouette and clusters labelled with their centroids in original units.
/// </summary>
/// <remarks>Thread-safe; deterministic for a given seed.</remarks>
public static class ClusterAnalysis
{
    /// <summary>Clusters a table for each k.</summary>
    /// <param name="table">The features in original units.</param>
    /// <param name="ks">The values of k to try (each at least 1 and at most the number of rows); reported in increasing order.</param>
    /// <param name="options">k-means settings; <see cref="KMeansOptions.K"/> is ignored (each k of <paramref name="ks"/> is used).</param>
    /// <param name="cancellationToken">Checked between iterations.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">No k, a k out of range, or invalid options.</exception>
    public static ClusteringReport Run(FeatureTable table, IEnumerable<int> ks, KMeansOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(ks);
        ArgumentNullException.ThrowIfNull(options);
        var list = ks.Distinct().Order().ToList();
        if (list.Count == 0 || list[0] < 1 || list[^1] > table.Rows)
        {
            throw new ArgumentException($"Each k must be between 1 and the number of rows ({table.Rows}), and at least one is needed.", nameof(ks));
        }

        int d = table.Features.Length;
        var standardizer = FeatureStandardizer.Fit(table.Values.Span, d);
        var points = standardizer.Standardize(table.Values.Span);
        var runs = ImmutableArray.CreateBuilder<ClusteringRun>(list.Count);
        foreach (int k in list)
        {
            var fitOptions = Copy(options, k);
            var fit = KMeans.Fit(points, d, fitOptions, cancellationToken);
            double silhouette = k < 2 ? double.NaN : KMeans.Silhouette(points, d, fit.Assignments.AsSpan(), k, options.SilhouetteSampleSize, options.Seed);
            var clusters = Enumerable.Range(0, k).Select(c =>
            {
                var z = fit.Centroids.AsSpan().Slice(c * d, d);
                return new ClusterSummary
                {
                    Index = c,
                    Label = $"cluster-{c + 1}",
                    Size = fit.ClusterSizes[c],
                    Share = (double)fit.ClusterSizes[c] / table.Rows,
                    Centroid = standardizer.ToOriginalUnits(z),
                    StandardizedCentroid = [.. z.ToArray().Select(v => (double)v)],
                };
            }).ToImmutableArray();
            runs.Add(new ClusteringRun
            {
                K = k,
                Inertia = fit.Inertia,
                Silhouette = silhouette,
                Clusters = clusters,
                Features = table.Features,
                Standardizer = standardizer,
                Fit = fit,
            });
        }

        return new ClusteringReport { Features = table.Features, Rows = table.Rows, Standardizer = standardizer, Runs = runs.MoveToImmutable() };
    }

    private static KMeansOptions Copy(KMeansOptions o, int k) => new()
    {
        K = k,
        Seed = o.Seed,
        Restarts = o.Restarts,
        SmallDataRestarts = o.SmallDataRestarts,
        MaxIterations = o.MaxIterations,
        Tolerance = o.Tolerance,
        SampleSize = o.SampleSize,
        SampleIterations = o.SampleIterations,
        FinalCandidates = o.FinalCandidates,
        CandidateMargin = o.CandidateMargin,
        MaxDegreeOfParallelism = o.MaxDegreeOfParallelism,
        SilhouetteSampleSize = o.SilhouetteSampleSize,
    };
}
