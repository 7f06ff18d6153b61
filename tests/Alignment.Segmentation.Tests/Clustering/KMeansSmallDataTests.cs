using Alignment.Segmentation.Clustering;
using Xunit.Abstractions;

namespace Alignment.Segmentation.Tests.Clustering;

/// <summary>
/// k-means on small data with heavily overlapping clusters, where a handful of restarts often stops in a poor local minimum: the fit
/// must be within 0.5 % of the best of 100 independent k-means++ starts, each run to convergence by a plain reference implementation.
/// </summary>
public sealed class KMeansSmallDataTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, 200, 2, 3)]
    [InlineData(2, 300, 2, 5)]
    [InlineData(3, 400, 3, 6)]
    [InlineData(4, 600, 2, 8)]
    [InlineData(5, 500, 4, 7)]
    [InlineData(6, 350, 5, 4)]
    [InlineData(7, 450, 6, 8)]
    [InlineData(8, 600, 8, 6)]
    [InlineData(9, 250, 3, 8)]
    [InlineData(10, 550, 8, 8)]
    public void Fit_OverlappingClusters_WithinHalfAPercentOfTheBestOf100Starts(int seed, int rows, int dimensions, int clusters)
    {
        float[] points = OverlappingClusters(seed, rows, dimensions, clusters);

        double reference = ReferenceKMeans.BestOf(points, dimensions, clusters, starts: 100, seed);
        var fit = KMeans.Fit(points, dimensions, new KMeansOptions { K = clusters, Seed = seed });

        double ratio = fit.Inertia / reference;
        output.WriteLine($"seed {seed}, {rows} x {dimensions}, k = {clusters}: inertia {fit.Inertia:F3}, best of 100 {reference:F3}, ratio {ratio:F5}");
        Assert.True(ratio <= 1.005, $"inertia {fit.Inertia:F3} is {(ratio - 1) * 100:F2} % above the best of 100 k-means++ starts ({reference:F3})");
    }

    [Theory]
    [InlineData(600, 8, 8, 10, 100)]          // the largest data sets above: every one of 100 restarts
    [InlineData(2_000, 8, 8, 10, 30)]         // as many as fit in the work
    [InlineData(20_000, 4, 5, 10, 10)]        // more rows than the sample size, but the 10 restarts fit: not sampled
    [InlineData(20_000, 4, 5, 20, 0)]         // 20 restarts do not fit: sampled, as on large data
    [InlineData(1_000_000, 8, 8, 10, 0)]      // the peer benchmark: sampled
    [InlineData(100, 2, 3, 200, 200)]         // never fewer than Restarts
    public void SmallDataRestarts_FollowsTheWorkEstimate(int rows, int dimensions, int k, int restarts, int expected) =>
        Assert.Equal(expected, KMeans.SmallDataRestarts(rows, dimensions, new KMeansOptions { K = k, Restarts = restarts }));

    [Fact]
    public void SmallDataRestarts_Zero_TurnsTheRuleOff() =>
        Assert.Equal(0, KMeans.SmallDataRestarts(200, 2, new KMeansOptions { K = 3, SmallDataRestarts = 0 }));

    [Fact]
    public void Fit_SmallDataWithMoreRowsThanTheSampleSize_IsNotSampled()
    {
        float[] points = OverlappingClusters(seed: 3, rows: 3_000, dimensions: 2, clusters: 4);
        var small = KMeans.Fit(points, 2, new KMeansOptions { K = 4, SampleSize = 1_000 });
        var off = KMeans.Fit(points, 2, new KMeansOptions { K = 4, SampleSize = 1_000, SmallDataRestarts = 0 });
        Assert.Equal(3_000, small.RestartRows);
        Assert.Equal(1_000, off.RestartRows);
        Assert.True(small.Inertia <= off.Inertia * (1 + 1e-9), $"{small.Inertia} > {off.Inertia}");
    }

    /// <summary>
    /// Rows from <paramref name="clusters"/> Gaussian clusters that overlap heavily: centres drawn from a standard normal (so neighbouring
    /// centres are about one unit apart), spreads between 0.4 and 1.2 per cluster and feature, and cluster sizes drawn unequally.
    /// </summary>
    internal static float[] OverlappingClusters(int seed, int rows, int dimensions, int clusters)
    {
        var random = new Random(seed);
        var centres = new double[clusters, dimensions];
        var spreads = new double[clusters, dimensions];
        var weights = new double[clusters];
        for (int c = 0; c < clusters; c++)
        {
            for (int j = 0; j < dimensions; j++)
            {
                centres[c, j] = Normal(random);
                spreads[c, j] = 0.4 + (0.8 * random.NextDouble());
            }

            weights[c] = 0.2 + (random.NextDouble() * random.NextDouble() * 3);
        }

        double total = weights.Sum();
        var points = new float[rows * dimensions];
        for (int i = 0; i < rows; i++)
        {
            double u = random.NextDouble() * total;
            int c = 0;
            while (c < clusters - 1 && u >= weights[c])
            {
                u -= weights[c];
                c++;
            }

            for (int j = 0; j < dimensions; j++)
            {
                points[(i * dimensions) + j] = (float)(centres[c, j] + (spreads[c, j] * Normal(random)));
            }
        }

        return points;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>
    /// Textbook k-means, written for obviousness rather than speed: k-means++ seeding (each next centre drawn with probability
    /// proportional to the squared distance to the nearest chosen one), then Lloyd in double precision until no row changes cluster.
    /// </summary>
    private static class ReferenceKMeans
    {
        public static double BestOf(float[] points, int d, int k, int starts, int seed)
        {
            var random = new Random(1_000 + seed);
            double best = double.PositiveInfinity;
            for (int s = 0; s < starts; s++)
            {
                best = Math.Min(best, Run(points, d, k, random));
            }

            return best;
        }

        private static double Run(float[] points, int d, int k, Random random)
        {
            int n = points.Length / d;
            var centres = new double[k][];
            centres[0] = Row(points, d, random.Next(n));
            var nearest = new double[n];
            for (int c = 1; c < k; c++)
            {
                double sum = 0;
                for (int i = 0; i < n; i++)
                {
                    nearest[i] = Distance2(points, d, i, centres[Nearest(points, d, i, centres, c)]);
                    sum += nearest[i];
                }

                double target = random.NextDouble() * sum;
                int pick = 0;
                while (pick < n - 1 && target >= nearest[pick])
                {
                    target -= nearest[pick];
                    pick++;
                }

                centres[c] = Row(points, d, pick);
            }

            var assignment = new int[n];
            Array.Fill(assignment, -1);
            for (int iteration = 0; iteration < 10_000; iteration++)
            {
                bool changed = false;
                for (int i = 0; i < n; i++)
                {
                    int best = Nearest(points, d, i, centres, k);
                    changed |= best != assignment[i];
                    assignment[i] = best;
                }

                if (!changed)
                {
                    break;
                }

                var sums = new double[k, d];
                var counts = new int[k];
                for (int i = 0; i < n; i++)
                {
                    counts[assignment[i]]++;
                    for (int j = 0; j < d; j++)
                    {
                        sums[assignment[i], j] += points[(i * d) + j];
                    }
                }

                for (int c = 0; c < k; c++)
                {
                    for (int j = 0; j < d && counts[c] > 0; j++)
                    {
                        centres[c][j] = sums[c, j] / counts[c];
                    }
                }
            }

            double inertia = 0;
            for (int i = 0; i < n; i++)
            {
                inertia += Distance2(points, d, i, centres[assignment[i]]);
            }

            return inertia;
        }

        /// <summary>The nearest of the first <paramref name="count"/> centres to row <paramref name="i"/> (the lowest index on ties).</summary>
        private static int Nearest(float[] points, int d, int i, double[][] centres, int count)
        {
            int best = 0;
            double bestDistance = Distance2(points, d, i, centres[0]);
            for (int c = 1; c < count; c++)
            {
                double distance = Distance2(points, d, i, centres[c]);
                if (distance < bestDistance)
                {
                    (best, bestDistance) = (c, distance);
                }
            }

            return best;
        }

        private static double[] Row(float[] points, int d, int i) => Enumerable.Range(0, d).Select(j => (double)points[(i * d) + j]).ToArray();

        private static double Distance2(float[] points, int d, int i, double[] centre)
        {
            double sum = 0;
            for (int j = 0; j < d; j++)
            {
                double diff = points[(i * d) + j] - centre[j];
                sum += diff * diff;
            }

            return sum;
        }
    }
}
