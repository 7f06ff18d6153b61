namespace Alignment.Segmentation.Clustering;

/// <summary>
/// Lloyd's algorithm over one data set. The rows are cut into fixed chunks; each chunk accumulates its own partial sums and the
/// partials are merged in chunk order, so the result is bit-for-bit the same whatever the number of threads.
/// </summary>
internal sealed class LloydSolver
{
    internal const int ChunkRows = 16_384;

    private readonly ReadOnlyMemory<float> _data;
    private readonly int _d;
    private readonly int _k;
    private readonly int _chunks;
    private readonly ParallelOptions? _parallel;
    private readonly double[][] _partialSums;
    private readonly long[][] _partialCounts;
    private readonly int[] _changed;
    private readonly CentroidBlocks _blocks;

    public LloydSolver(ReadOnlyMemory<float> data, int dimensions, int k, ParallelOptions? parallel)
    {
        _data = data;
        _d = dimensions;
        _k = k;
        Rows = data.Length / dimensions;
        _chunks = Math.Max(1, (Rows + ChunkRows - 1) / ChunkRows);
        _parallel = parallel;
        _partialSums = new double[_chunks][];
        _partialCounts = new long[_chunks][];
        for (int c = 0; c < _chunks; c++)
        {
            _partialSums[c] = new double[k * dimensions];
            _partialCounts[c] = new long[k];
        }

        _changed = new int[_chunks];
        _blocks = new CentroidBlocks(k, dimensions);
        Assignments = new int[Rows];
    }

    public int Rows { get; }

    public int[] Assignments { get; }

    /// <summary>Runs Lloyd iterations from <paramref name="centroids"/> (updated in place).</summary>
    /// <returns>The number of iterations run and whether the centroids converged.</returns>
    public (int Iterations, bool Converged) Run(float[] centroids, int maxIterations, double tolerance, CancellationToken cancellationToken)
    {
        Array.Fill(Assignments, -1);
        var totals = new double[_k * _d];
        var counts = new long[_k];
        double tolerance2 = tolerance * tolerance;
        for (int iteration = 1; iteration <= maxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _blocks.Load(centroids);
            if (_parallel is null || _chunks == 1)
            {
                for (int c = 0; c < _chunks; c++)
                {
                    Pass(c);
                }
            }
            else
            {
                Parallel.For(0, _chunks, _parallel, Pass);
            }

            Array.Clear(totals);
            Array.Clear(counts);
            int changed = 0;
            for (int c = 0; c < _chunks; c++)
            {
                changed += _changed[c];
                var s = _partialSums[c];
                for (int t = 0; t < s.Length; t++)
                {
                    totals[t] += s[t];
                }

                var n = _partialCounts[c];
                for (int t = 0; t < _k; t++)
                {
                    counts[t] += n[t];
                }
            }

            double shift = 0;
            List<int>? reseeded = null;
            for (int c = 0; c < _k; c++)
            {
                var centroid = centroids.AsSpan(c * _d, _d);
                if (counts[c] == 0)
                {
                    reseeded ??= [];
                    int far = FarthestRow(centroids, reseeded);
                    reseeded.Add(far);
                    _data.Span.Slice(far * _d, _d).CopyTo(centroid);
                    shift = double.PositiveInfinity;
                    continue;
                }

                double inv = 1.0 / counts[c];
                for (int j = 0; j < _d; j++)
                {
                    float v = (float)(totals[(c * _d) + j] * inv);
                    double diff = v - centroid[j];
                    shift = Math.Max(shift, diff * diff);
                    centroid[j] = v;
                }
            }

            if (changed == 0 || shift <= tolerance2)
            {
                return (iteration, true);
            }
        }

        return (maxIterations, false);
    }

    private void Pass(int chunk)
    {
        int start = chunk * ChunkRows;
        int count = Math.Min(ChunkRows, Rows - start);
        var sums = _partialSums[chunk];
        var counts = _partialCounts[chunk];
        Array.Clear(sums);
        Array.Clear(counts);
        _changed[chunk] = LloydKernel.AssignAndAccumulate(
            _data.Span.Slice(start * _d, count * _d), _d, _blocks, Assignments.AsSpan(start, count), sums, counts);
    }

    /// <summary>The row farthest from its assigned centroid (lowest index on ties), skipping rows already taken.</summary>
    private int FarthestRow(float[] centroids, List<int> taken)
    {
        var data = _data.Span;
        double best = -1;
        int bestRow = 0;
        for (int i = 0; i < Rows; i++)
        {
            if (taken.Contains(i))
            {
                continue;
            }

            int a = Math.Max(0, Assignments[i]);
            double dist = LloydKernel.Distance2(data.Slice(i * _d, _d), centroids.AsSpan(a * _d, _d));
            if (dist > best)
            {
                best = dist;
                bestRow = i;
            }
        }

        return bestRow;
    }

    /// <summary>
    /// The exact pass: every row's nearest centroid by double-precision squared distance, the cluster sizes, and the inertia
    /// (summed per chunk, chunks added in order).
    /// </summary>
    public static double ExactPass(ReadOnlyMemory<float> data, int d, ReadOnlyMemory<float> centroids, int k, int[]? assignments, long[] sizes, ParallelOptions? parallel)
    {
        int rows = data.Length / d;
        int chunks = Math.Max(1, (rows + ChunkRows - 1) / ChunkRows);
        var inertia = new double[chunks];
        var chunkSizes = new long[chunks][];
        void Chunk(int chunk)
        {
            int start = chunk * ChunkRows;
            int end = Math.Min(rows, start + ChunkRows);
            var local = new long[k];
            var span = data.Span;
            var cs = centroids.Span;
            var blocks = new CentroidBlocks(k, d);
            blocks.Load(cs);
            Span<float> scores = stackalloc float[blocks.Blocks * CentroidBlocks.Width];
            double sum = 0;
            for (int i = start; i < end; i++)
            {
                int c = LloydKernel.NearestExactFast(span.Slice(i * d, d), cs, blocks, scores, out double dist);
                sum += dist;
                local[c]++;
                if (assignments is not null)
                {
                    assignments[i] = c;
                }
            }

            inertia[chunk] = sum;
            chunkSizes[chunk] = local;
        }

        if (parallel is null || chunks == 1)
        {
            for (int c = 0; c < chunks; c++)
            {
                Chunk(c);
            }
        }
        else
        {
            Parallel.For(0, chunks, parallel, Chunk);
        }

        Array.Clear(sizes);
        double total = 0;
        for (int c = 0; c < chunks; c++)
        {
            total += inertia[c];
            for (int t = 0; t < k; t++)
            {
                sizes[t] += chunkSizes[c][t];
            }
        }

        return total;
    }
}
