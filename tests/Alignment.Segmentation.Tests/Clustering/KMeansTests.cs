using Alignment.Segmentation.Clustering;

namespace Alignment.Segmentation.Tests.Clustering;

public sealed class KMeansTests
{
    private static readonly GaussianBlobData Blobs = GaussianBlobs.Generate(20_000, 4, 5, seed: 11, standardize: true);

    // 20,000 rows x 4 features, k = 5 is small data (every restart could run to convergence cheaply), so the sampled path is tested
    // with the small-data rule turned off.
    [Theory]
    [InlineData(0, 100)]    // every restart on the full data
    [InlineData(2_000, 0)]  // restarts on a sample, the best finished on the full data
    public void Fit_SameSeed_IdenticalResultWhateverTheThreadCount(int sampleSize, int smallDataRestarts)
    {
        var one = KMeans.Fit(Blobs.Points.AsMemory(), 4, new KMeansOptions { K = 5, Seed = 3, SampleSize = sampleSize, SmallDataRestarts = smallDataRestarts, MaxDegreeOfParallelism = 1 });
        var many = KMeans.Fit(Blobs.Points.AsMemory(), 4, new KMeansOptions { K = 5, Seed = 3, SampleSize = sampleSize, SmallDataRestarts = smallDataRestarts, MaxDegreeOfParallelism = 4 });
        var again = KMeans.Fit(Blobs.Points.AsMemory(), 4, new KMeansOptions { K = 5, Seed = 3, SampleSize = sampleSize, SmallDataRestarts = smallDataRestarts });
        Assert.Equal(one.Centroids.ToArray(), many.Centroids.ToArray());
        Assert.Equal(one.Centroids.ToArray(), again.Centroids.ToArray());
        Assert.Equal(one.Assignments.ToArray(), again.Assignments.ToArray());
        Assert.Equal(one.Inertia, again.Inertia);
        Assert.Equal(sampleSize == 0 ? 20_000 : 2_000, one.RestartRows);
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(2_000, 0)]
    public void Fit_KnownBlobs_RecoversEveryBlob(int sampleSize, int smallDataRestarts)
    {
        var fit = KMeans.Fit(Blobs.Points.AsMemory(), 4, new KMeansOptions { K = 5, Seed = 1, SampleSize = sampleSize, SmallDataRestarts = smallDataRestarts });

        // Each cluster is (almost) one blob: the majority blob of each cluster holds at least 99 % of it, and all blobs are used.
        var majority = new HashSet<int>();
        for (int c = 0; c < 5; c++)
        {
            var labels = Enumerable.Range(0, Blobs.Rows).Where(i => fit.Assignments[i] == c).Select(i => Blobs.Labels[i]).ToList();
            var top = labels.GroupBy(l => l).OrderByDescending(g => g.Count()).First();
            Assert.True(top.Count() >= 0.99 * labels.Count, $"cluster {c}: purity {(double)top.Count() / labels.Count:P2}");
            majority.Add(top.Key);
        }

        Assert.Equal(5, majority.Count);

        // No worse than the partition by the true blobs (their means as centroids).
        var trueCentroids = new float[5 * 4];
        var counts = new int[5];
        for (int i = 0; i < Blobs.Rows; i++)
        {
            counts[Blobs.Labels[i]]++;
            for (int j = 0; j < 4; j++)
            {
                trueCentroids[(Blobs.Labels[i] * 4) + j] += Blobs.Points[(i * 4) + j];
            }
        }

        for (int i = 0; i < trueCentroids.Length; i++)
        {
            trueCentroids[i] /= counts[i / 4];
        }

        Assert.True(fit.Inertia <= KMeans.Inertia(Blobs.Points.AsMemory(), 4, trueCentroids) * 1.0001);
        Assert.Equal(fit.Inertia, KMeans.Inertia(Blobs.Points.AsMemory(), 4, fit.Centroids.AsMemory()), 6);
        Assert.Equal(Blobs.Rows, fit.ClusterSizes.Sum());
    }

    [Fact]
    public void Inertia_HandComputed()
    {
        float[] points = [0, 0, 2, 0, 10, 10];
        float[] centroids = [1, 0, 10, 11];
        // (1 + 1) to the first centroid, 1 to the second.
        Assert.Equal(3.0, KMeans.Inertia(points, 2, centroids));
    }

    [Fact]
    public void Silhouette_HandCheckedExample()
    {
        // Clusters {0, 1} and {4, 5} on a line: s = 7/9 for the outer points and 5/7 for the inner ones; the mean is 94/126.
        float[] points = [0, 1, 4, 5];
        int[] assignments = [0, 0, 1, 1];
        Assert.Equal(94.0 / 126.0, KMeans.Silhouette(points, 1, assignments, 2, 100, 0), 12);
    }

    [Fact]
    public void Silhouette_SingletonCluster_CountsAsZero()
    {
        // Point 10 is alone: s = 0. Points 0 and 1: a = 1, b = 10 and 9 → s = 0.9 and 8/9.
        float[] points = [0, 1, 10];
        Assert.Equal((0.9 + (8.0 / 9.0) + 0) / 3, KMeans.Silhouette(points, 1, [0, 0, 1], 2, 100, 0), 12);
    }

    [Fact]
    public void Silhouette_OneCluster_IsNaN() => Assert.True(double.IsNaN(KMeans.Silhouette([0f, 1f], 1, [0, 0], 1, 10, 0)));

    [Fact]
    public void Fit_InvalidOptions_ListsEveryProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => KMeans.Fit(new float[8], 2, new KMeansOptions { K = 0, Restarts = 0, SmallDataRestarts = -1 }));
        Assert.StartsWith(
            "Invalid k-means options: K must be at least 1 (was 0). Restarts must be at least 1 (was 0). SmallDataRestarts must be 0 or more (was -1).",
            ex.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_NonFiniteValue_NamesRowAndFeature()
    {
        var ex = Assert.Throws<ArgumentException>(() => KMeans.Fit(new float[] { 0, 1, float.NaN, 2 }, 2, new KMeansOptions { K = 1 }));
        Assert.StartsWith("Row 1, feature 0 is not a finite number", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_DuplicatePoints_MoreClustersThanDistinctValues_StillReturnsKCentroids()
    {
        var fit = KMeans.Fit(new float[] { 1, 1, 1, 1, 5, 5 }, 1, new KMeansOptions { K = 3, Seed = 2 });
        Assert.Equal(3, fit.K);
        Assert.Equal(6, fit.ClusterSizes.Sum());
        Assert.Equal(0, fit.Inertia);
    }
}
