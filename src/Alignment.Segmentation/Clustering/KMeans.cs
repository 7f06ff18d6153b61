using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Alignment.Diagnostics;

[assembly: InternalsVisibleTo("Alignment.Segmentation.Tests")]

namespace Alignment.Segmentation.Clustering;

/// <summary>
/// k-means clustering (Lloyd's algorithm with greedy k-means++ seeding) on flat row-major <see cref="float"/> data,
/// deterministic for a given seed whatever the number of threads.
/// </summary>
/// <remarks>
/// <para>How a fit runs:</para>
/// <list type="number">
/// <item>Small data (see <see cref="KMeansOptions.SmallDataRestarts"/>): when the estimated work of running every restart to
/// convergence on all rows is small (rows x features x k x (30 + 2 + ln k) x restarts ≤ 2²⁷), nothing is sampled and up to
/// <see cref="KMeansOptions.SmallDataRestarts"/> restarts (at least <see cref="KMeansOptions.Restarts"/>, as many as fit in that work)
/// each run Lloyd on all rows to convergence; the lowest inertia wins (ties to the earlier restart). The estimate depends only on the
/// data's shape and the options, never on a clock.</item>
/// <item>Otherwise, when the data has more rows than <see cref="KMeansOptions.SampleSize"/>, a deterministic stratified sample is drawn
/// (one row picked at random from each of <c>SampleSize</c> equal slices of the data).</item>
/// <item>Each of <see cref="KMeansOptions.Restarts"/> restarts, in parallel, seeds <c>k</c> centroids with greedy k-means++
/// (2 + ln k candidates per step, the one that lowers the potential most is kept) and runs Lloyd on the sample
/// (at most <see cref="KMeansOptions.SampleIterations"/> iterations; without a sample, on all rows to convergence, and the best is kept).
/// Restart <c>r</c> draws from its own SplitMix64 stream of the seed, so raising the number of restarts keeps the first ones as they were.</item>
/// <item>The <see cref="KMeansOptions.FinalCandidates"/> restarts with the lowest sample inertia (restarts that reached the same
/// centroids on the sample count once, and a runner-up only when its sample inertia is within <see cref="KMeansOptions.CandidateMargin"/>
/// of the best) are finished with Lloyd on the full data,
/// rows split into fixed 16,384-row chunks processed in parallel and merged in chunk order; the one with the lowest full-data
/// inertia wins (ties to the earlier restart).</item>
/// </list>
/// <para>The result is an ordinary Lloyd fixed point on the full data (or stopped by the tolerance or iteration cap), and the
/// reported inertia and assignments come from an exact double-precision pass over every row: sampling only chooses where the full
/// run starts. The assignment step uses SIMD (<c>Vector256</c>) on ‖c‖² − 2x·c with centroids stored feature by feature.</para>
/// <para>Thread-safe: every call works on its own state.</para>
/// </remarks>
public static class KMeans
{
    /// <summary>The work (row x feature x centroid distance terms) under which every restart runs to convergence on all rows: 2²⁷.</summary>
    internal const double SmallDataWork = 1 << 27;

    /// <summary>The Lloyd iterations a restart is assumed to take in the work estimate (restarts on overlapping clusters take 10–40).</summary>
    internal const int ExpectedIterations = 30;

    /// <summary>Clusters rows of numeric features.</summary>
    /// <param name="points">The rows, row-major: <c>rows x dimensions</c> finite values.</param>
    /// <param name="dimensions">The number of features per row.</param>
    /// <param name="options">The settings.</param>
    /// <param name="cancellationToken">Checked between iterations.</param>
    /// <returns>The best clustering found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid, the data is not a whole number of rows, has fewer rows than <c>K</c>, or holds a value that is not finite.</exception>
    public static KMeansResult Fit(ReadOnlyMemory<float> points, int dimensions, KMeansOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid k-means options: " + string.Join(" ", errors), nameof(options));
        }

        int rows = CheckData(points.Span, dimensions);
        int k = options.K;
        if (rows < k)
        {
            throw new ArgumentException($"k-means needs at least K = {k} rows; the data has {rows}.", nameof(points));
        }

        using var activity = AlignmentDiagnostics.ActivitySource.StartActivity("alignment.segmentation.kmeans");
        activity?.SetTag("alignment.kmeans.k", k);
        activity?.SetTag("alignment.kmeans.rows", rows);

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        ulong seed = unchecked((ulong)(long)options.Seed);
        int smallDataRestarts = SmallDataRestarts(rows, dimensions, options);
        int restarts = smallDataRestarts > 0 ? smallDataRestarts : options.Restarts;
        bool sampled = smallDataRestarts == 0 && options.SampleSize > 0 && rows > options.SampleSize;
        activity?.SetTag("alignment.kmeans.restarts", restarts);
        ReadOnlyMemory<float> restartData = sampled
            ? StratifiedSample.Rows(points.Span, dimensions, StratifiedSample.Indexes(rows, options.SampleSize, seed, 0))
            : points;
        int restartRows = restartData.Length / dimensions;

        var starts = new float[restarts][];
        var restartInertia = new double[restarts];
        var restartIterations = new int[restarts];
        var restartConverged = new bool[restarts];
        Parallel.For(0, restarts, parallel, r =>
        {
            var rng = new SplitMix64(seed, (ulong)r + 1);
            var centroids = SeedPlusPlus(restartData.Span, dimensions, k, ref rng);
            var solver = new LloydSolver(restartData, dimensions, k, parallel: null);
            var (iterations, converged) = solver.Run(centroids, sampled ? options.SampleIterations : options.MaxIterations, options.Tolerance, cancellationToken);
            restartInertia[r] = LloydSolver.ExactPass(restartData, dimensions, centroids, k, null, new long[k], parallel: null);
            starts[r] = centroids;
            restartIterations[r] = iterations;
            restartConverged[r] = converged;
        });

        var order = Enumerable.Range(0, restarts).OrderBy(r => restartInertia[r]).ThenBy(r => r).ToArray();
        if (!sampled)
        {
            // Every restart ran to the end on all rows: the best is the answer. Its assignments come from the same exact pass.
            int best = order[0];
            var assignments = new int[rows];
            LloydSolver.ExactPass(points, dimensions, starts[best], k, assignments, new long[k], parallel);
            activity?.SetTag("alignment.kmeans.inertia", restartInertia[best]);
            return Result(k, dimensions, starts[best], assignments, restartInertia[best], restartIterations[best], restartConverged[best], best, restartRows);
        }

        var full = new LloydSolver(points, dimensions, k, parallel);
        float[]? bestCentroids = null;
        int[]? bestAssignments = null;
        int[]? scratch = new int[rows];
        double bestInertia = double.PositiveInfinity;
        int bestRestart = -1, bestIterations = 0;
        bool bestConverged = false;
        var finished = new List<int>();
        foreach (int r in order)
        {
            if (finished.Count == options.FinalCandidates)
            {
                break;
            }

            // A further candidate must be nearly as good on the sample as the best one (all are measured on the same rows), and
            // restarts that reached the same centroids on the sample are one candidate, not several.
            if (finished.Count > 0 && restartInertia[r] > restartInertia[order[0]] * (1 + options.CandidateMargin))
            {
                break;
            }

            if (finished.Exists(f => SameCentroids(starts[f], starts[r], dimensions)))
            {
                continue;
            }

            finished.Add(r);
            var centroids = (float[])starts[r].Clone();
            var (iterations, converged) = full.Run(centroids, options.MaxIterations, options.Tolerance, cancellationToken);
            scratch ??= new int[rows];
            double inertia = LloydSolver.ExactPass(points, dimensions, centroids, k, scratch, new long[k], parallel);
            if (inertia < bestInertia)
            {
                bestInertia = inertia;
                bestCentroids = centroids;
                (bestAssignments, scratch) = (scratch, bestAssignments);
                bestRestart = r;
                bestIterations = iterations;
                bestConverged = converged;
            }
        }

        activity?.SetTag("alignment.kmeans.inertia", bestInertia);
        return Result(k, dimensions, bestCentroids!, bestAssignments!, bestInertia, bestIterations, bestConverged, bestRestart, restartRows);
    }

    /// <summary>
    /// The inertia of a set of centroids on data: the sum over rows of the squared Euclidean distance to the nearest centroid,
    /// computed in double precision. Use it to compare clusterings from any implementation the same way.
    /// </summary>
    /// <param name="points">The rows, row-major.</param>
    /// <param name="dimensions">The number of features per row.</param>
    /// <param name="centroids">The centroids, row-major, with the same number of features.</param>
    /// <returns>The inertia.</returns>
    /// <exception cref="ArgumentException">The data or centroids are not a whole, non-zero number of rows.</exception>
    public static double Inertia(ReadOnlyMemory<float> points, int dimensions, ReadOnlyMemory<float> centroids)
    {
        CheckData(points.Span, dimensions);
        if (centroids.Length == 0 || centroids.Length % dimensions != 0)
        {
            throw new ArgumentException($"The centroids must be a whole, non-zero number of rows of {dimensions} values.", nameof(centroids));
        }

        int k = centroids.Length / dimensions;
        return LloydSolver.ExactPass(points, dimensions, centroids, k, null, new long[k], new ParallelOptions());
    }

    /// <summary>
    /// The mean silhouette coefficient of a clustering, on a deterministic stratified sample of at most <paramref name="sampleSize"/> rows
    /// (all rows when there are fewer). For each sampled row, a = mean Euclidean distance to the other sampled rows of its cluster,
    /// b = the smallest mean distance to the sampled rows of another cluster, s = (b − a) / max(a, b), and s = 0 for a row alone in its
    /// cluster within the sample. The result is the mean of s, between −1 and 1.
    /// </summary>
    /// <param name="points">The rows, row-major.</param>
    /// <param name="dimensions">The number of features per row.</param>
    /// <param name="assignments">Each row's cluster, 0 to <paramref name="k"/> − 1.</param>
    /// <param name="k">The number of clusters.</param>
    /// <param name="sampleSize">The most rows to use; the cost grows with its square.</param>
    /// <param name="seed">The sample's seed.</param>
    /// <returns>The silhouette, or <see cref="double.NaN"/> when the sample has fewer than two non-empty clusters (it is not defined then).</returns>
    /// <exception cref="ArgumentException">The data and assignments disagree in length, or an assignment is out of range.</exception>
    public static double Silhouette(ReadOnlySpan<float> points, int dimensions, ReadOnlySpan<int> assignments, int k, int sampleSize, int seed)
    {
        int rows = CheckData(points, dimensions);
        if (assignments.Length != rows)
        {
            throw new ArgumentException($"There are {rows} rows but {assignments.Length} assignments.", nameof(assignments));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleSize, 2);
        var sample = StratifiedSample.Indexes(rows, sampleSize, unchecked((ulong)(long)seed), 0x5111_0E77);
        int m = sample.Length;
        var label = new int[m];
        var clusterCount = new int[k];
        for (int t = 0; t < m; t++)
        {
            int a = assignments[sample[t]];
            if ((uint)a >= (uint)k)
            {
                throw new ArgumentException($"Assignment {a} of row {sample[t]} is not between 0 and {k - 1}.", nameof(assignments));
            }

            label[t] = a;
            clusterCount[a]++;
        }

        if (clusterCount.Count(c => c > 0) < 2)
        {
            return double.NaN;
        }

        var distanceSums = new double[k];
        double total = 0;
        for (int t = 0; t < m; t++)
        {
            Array.Clear(distanceSums);
            var row = points.Slice(sample[t] * dimensions, dimensions);
            for (int u = 0; u < m; u++)
            {
                if (u != t)
                {
                    distanceSums[label[u]] += Math.Sqrt(LloydKernel.Distance2(row, points.Slice(sample[u] * dimensions, dimensions)));
                }
            }

            int own = label[t];
            if (clusterCount[own] <= 1)
            {
                continue;
            }

            double a = distanceSums[own] / (clusterCount[own] - 1);
            double b = double.PositiveInfinity;
            for (int c = 0; c < k; c++)
            {
                if (c != own && clusterCount[c] > 0)
                {
                    b = Math.Min(b, distanceSums[c] / clusterCount[c]);
                }
            }

            double max = Math.Max(a, b);
            total += max > 0 ? (b - a) / max : 0;
        }

        return total / m;
    }

    private static int CheckData(ReadOnlySpan<float> points, int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        if (points.Length == 0 || points.Length % dimensions != 0)
        {
            throw new ArgumentException($"The data must be a whole, non-zero number of rows of {dimensions} values (got {points.Length} values).", nameof(points));
        }

        for (int i = 0; i < points.Length; i++)
        {
            if (!float.IsFinite(points[i]))
            {
                throw new ArgumentException($"Row {i / dimensions}, feature {i % dimensions} is not a finite number ({points[i]}).", nameof(points));
            }
        }

        return points.Length / dimensions;
    }

    /// <summary>
    /// The number of restarts when the data is small enough for every restart to run to convergence on all rows cheaply, or 0 when it
    /// is not (or the rule is off). The work of one restart is estimated, not timed, so the decision depends only on the data's shape
    /// and the options: rows x features x k x (<see cref="ExpectedIterations"/> Lloyd iterations + the 2 + ln k candidates of each
    /// greedy k-means++ step).
    /// </summary>
    internal static int SmallDataRestarts(int rows, int dimensions, KMeansOptions options)
    {
        if (options.SmallDataRestarts == 0)
        {
            return 0;
        }

        double perRestart = (double)rows * dimensions * options.K * (ExpectedIterations + SeedingTrials(options.K));
        double affordable = Math.Floor(SmallDataWork / perRestart);
        return affordable < options.Restarts ? 0 : (int)Math.Max(options.Restarts, Math.Min(options.SmallDataRestarts, affordable));
    }

    private static int SeedingTrials(int k) => 2 + (int)Math.Log(k);

    private static float[] SeedPlusPlus(ReadOnlySpan<float> data, int d, int k, ref SplitMix64 rng)
    {
        int m = data.Length / d;
        var centroids = new float[k * d];
        int first = rng.NextInt(m);
        data.Slice(first * d, d).CopyTo(centroids.AsSpan(0, d));
        var closest = new double[m];
        var candidate = new double[m];
        var bestCandidate = new double[m];
        double potential = 0;
        for (int i = 0; i < m; i++)
        {
            closest[i] = LloydKernel.Distance2(data.Slice(i * d, d), centroids.AsSpan(0, d));
            potential += closest[i];
        }

        int trials = SeedingTrials(k);
        for (int c = 1; c < k; c++)
        {
            double bestPotential = double.PositiveInfinity;
            int bestRow = -1;
            for (int t = 0; t < trials; t++)
            {
                int row = potential > 0 ? Pick(closest, rng.NextDouble() * potential) : rng.NextInt(m);
                var r = data.Slice(row * d, d);
                double p = 0;
                for (int i = 0; i < m; i++)
                {
                    double v = Math.Min(closest[i], LloydKernel.Distance2(data.Slice(i * d, d), r));
                    candidate[i] = v;
                    p += v;
                }

                if (p < bestPotential)
                {
                    bestPotential = p;
                    bestRow = row;
                    (candidate, bestCandidate) = (bestCandidate, candidate);
                }
            }

            data.Slice(bestRow * d, d).CopyTo(centroids.AsSpan(c * d, d));
            (closest, bestCandidate) = (bestCandidate, closest);
            potential = bestPotential;
        }

        return centroids;
    }

    /// <summary>Whether two centroid sets are the same up to order (each centroid of one within a rounding distance of one of the other).</summary>
    private static bool SameCentroids(float[] a, float[] b, int d)
    {
        int k = a.Length / d;
        for (int c = 0; c < k; c++)
        {
            var x = a.AsSpan(c * d, d);
            double norm = LloydKernel.Distance2(x, new float[d]);
            bool found = false;
            for (int e = 0; e < k && !found; e++)
            {
                found = LloydKernel.Distance2(x, b.AsSpan(e * d, d)) <= 1e-10 * (1 + norm);
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    private static int Pick(double[] weights, double target)
    {
        double acc = 0;
        int last = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i] > 0)
            {
                acc += weights[i];
                last = i;
                if (acc > target)
                {
                    return i;
                }
            }
        }

        return last;
    }

    private static KMeansResult Result(int k, int d, float[] centroids, int[] assignments, double inertia, int iterations, bool converged, int restart, int restartRows)
    {
        var sizes = new int[k];
        foreach (int a in assignments)
        {
            sizes[a]++;
        }

        return new KMeansResult
        {
            K = k,
            Dimensions = d,
            Centroids = ImmutableCollectionsMarshal.AsImmutableArray(centroids),
            Assignments = ImmutableCollectionsMarshal.AsImmutableArray(assignments),
            ClusterSizes = ImmutableCollectionsMarshal.AsImmutableArray(sizes),
            Inertia = inertia,
            Iterations = iterations,
            Converged = converged,
            BestRestart = restart,
            RestartRows = restartRows,
        };
    }
}
