using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Alignment.Segmentation.Clustering;

/// <summary>The inner loops of Lloyd's algorithm, on flat row-major float arrays.</summary>
internal static class LloydKernel
{
    /// <summary>
    /// Assigns every row to its nearest centroid (argmin of ‖c‖² − 2x·c, ties to the lowest index), and adds each row to its
    /// centroid's running sum (double) and count. Returns how many rows changed centroid.
    /// </summary>
    public static int AssignAndAccumulate(ReadOnlySpan<float> rows, int d, CentroidBlocks blocks, Span<int> assignments, Span<double> sums, Span<long> counts)
    {
        int n = assignments.Length;
        int changed = 0;
        ref float x0 = ref MemoryMarshal.GetReference(rows);
        ref double s0 = ref MemoryMarshal.GetReference(sums);
        for (int i = 0; i < n; i++)
        {
            ref float x = ref Unsafe.Add(ref x0, i * d);
            int best = CentroidBlocks.Accelerated ? NearestSimd(ref x, d, blocks) : NearestScalar(ref x, d, blocks);
            if (assignments[i] != best)
            {
                assignments[i] = best;
                changed++;
            }

            counts[best]++;
            ref double s = ref Unsafe.Add(ref s0, best * d);
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; j <= d - 8; j += 8)
                {
                    var v = Vector256.LoadUnsafe(ref x, (nuint)j);
                    var (lo, hi) = Vector256.Widen(v);
                    (Vector256.LoadUnsafe(ref s, (nuint)j) + lo).StoreUnsafe(ref s, (nuint)j);
                    (Vector256.LoadUnsafe(ref s, (nuint)(j + 4)) + hi).StoreUnsafe(ref s, (nuint)(j + 4));
                }
            }

            for (; j < d; j++)
            {
                Unsafe.Add(ref s, j) += Unsafe.Add(ref x, j);
            }
        }

        return changed;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NearestSimd(ref float x, int d, CentroidBlocks blocks)
    {
        ref float cols = ref MemoryMarshal.GetArrayDataReference(blocks.Columns);
        ref float norms = ref MemoryMarshal.GetArrayDataReference(blocks.Norms);
        float bestValue = float.PositiveInfinity;
        int best = 0;
        for (int b = 0; b < blocks.Blocks; b++)
        {
            var acc = Vector256.LoadUnsafe(ref norms, (nuint)(b * CentroidBlocks.Width));
            ref float col = ref Unsafe.Add(ref cols, b * d * CentroidBlocks.Width);
            for (int j = 0; j < d; j++)
            {
                var xj = Vector256.Create(-2f * Unsafe.Add(ref x, j));
                acc = Vector256.MultiplyAddEstimate(xj, Vector256.LoadUnsafe(ref col, (nuint)(j * CentroidBlocks.Width)), acc);
            }

            var m128 = Vector128.Min(acc.GetLower(), acc.GetUpper());
            m128 = Vector128.Min(m128, Vector128.Shuffle(m128, Vector128.Create(2, 3, 0, 1)));
            m128 = Vector128.Min(m128, Vector128.Shuffle(m128, Vector128.Create(1, 0, 3, 2)));
            float m = m128.ToScalar();
            if (m < bestValue)
            {
                bestValue = m;
                uint mask = Vector256.Equals(acc, Vector256.Create(m)).ExtractMostSignificantBits();
                best = (b * CentroidBlocks.Width) + System.Numerics.BitOperations.TrailingZeroCount(mask);
            }
        }

        return best;
    }

    private static int NearestScalar(ref float x, int d, CentroidBlocks blocks)
    {
        float bestValue = float.PositiveInfinity;
        int best = 0;
        for (int c = 0; c < blocks.K; c++)
        {
            int b = c / CentroidBlocks.Width, lane = c % CentroidBlocks.Width;
            float acc = blocks.Norms[(b * CentroidBlocks.Width) + lane];
            for (int j = 0; j < d; j++)
            {
                acc = MathF.FusedMultiplyAdd(-2f * Unsafe.Add(ref x, j), blocks.Columns[(((b * d) + j) * CentroidBlocks.Width) + lane], acc);
            }

            if (acc < bestValue)
            {
                bestValue = acc;
                best = c;
            }
        }

        return best;
    }

    /// <summary>
    /// The nearest centroid by exact double-precision squared distance, found fast: the SIMD kernel scores every centroid with
    /// ‖c‖² − 2x·c in float, and only the centroids within a rounding-error bound of the best score are measured exactly.
    /// </summary>
    public static int NearestExactFast(ReadOnlySpan<float> row, ReadOnlySpan<float> centroids, CentroidBlocks blocks, Span<float> scores, out double distance)
    {
        if (!CentroidBlocks.Accelerated)
        {
            return NearestExact(row, centroids, blocks.K, out distance);
        }

        int d = row.Length;
        ref float x = ref MemoryMarshal.GetReference(row);
        ref float cols = ref MemoryMarshal.GetArrayDataReference(blocks.Columns);
        ref float norms = ref MemoryMarshal.GetArrayDataReference(blocks.Norms);
        var min = Vector256.Create(float.PositiveInfinity);
        double xNorm = 0;
        for (int j = 0; j < d; j++)
        {
            xNorm += (double)row[j] * row[j];
        }

        for (int b = 0; b < blocks.Blocks; b++)
        {
            var acc = Vector256.LoadUnsafe(ref norms, (nuint)(b * CentroidBlocks.Width));
            ref float col = ref Unsafe.Add(ref cols, b * d * CentroidBlocks.Width);
            for (int j = 0; j < d; j++)
            {
                var xj = Vector256.Create(-2f * Unsafe.Add(ref x, j));
                acc = Vector256.MultiplyAddEstimate(xj, Vector256.LoadUnsafe(ref col, (nuint)(j * CentroidBlocks.Width)), acc);
            }

            acc.StoreUnsafe(ref MemoryMarshal.GetReference(scores), (nuint)(b * CentroidBlocks.Width));
            min = Vector256.Min(min, acc);
        }

        var m128 = Vector128.Min(min.GetLower(), min.GetUpper());
        m128 = Vector128.Min(m128, Vector128.Shuffle(m128, Vector128.Create(2, 3, 0, 1)));
        m128 = Vector128.Min(m128, Vector128.Shuffle(m128, Vector128.Create(1, 0, 3, 2)));
        float best = m128.ToScalar();

        // Each score is a sum of d + 1 float terms bounded by ‖x‖² + ‖c‖²; (d + 4)·2⁻²² of that bounds the rounding error twice over.
        double slack = (d + 4) * (1.0 / (1 << 22)) * (xNorm + blocks.MaxNorm + 1);
        double limit = best + slack;
        double bestDistance = double.PositiveInfinity;
        int bestIndex = 0;
        for (int c = 0; c < blocks.K; c++)
        {
            if (scores[c] <= limit)
            {
                double dist = Distance2(row, centroids.Slice(c * d, d));
                if (dist < bestDistance)
                {
                    bestDistance = dist;
                    bestIndex = c;
                }
            }
        }

        distance = bestDistance;
        return bestIndex;
    }

    /// <summary>The nearest centroid of one row by the exact squared Euclidean distance (double precision), ties to the lowest index.</summary>
    public static int NearestExact(ReadOnlySpan<float> row, ReadOnlySpan<float> centroids, int k, out double distance)
    {
        int d = row.Length;
        double bestValue = double.PositiveInfinity;
        int best = 0;
        for (int c = 0; c < k; c++)
        {
            var centroid = centroids.Slice(c * d, d);
            double acc = 0;
            for (int j = 0; j < d; j++)
            {
                double diff = (double)row[j] - centroid[j];
                acc += diff * diff;
            }

            if (acc < bestValue)
            {
                bestValue = acc;
                best = c;
            }
        }

        distance = bestValue;
        return best;
    }

    /// <summary>Squared Euclidean distance in double precision.</summary>
    public static double Distance2(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double acc = 0;
        for (int j = 0; j < a.Length; j++)
        {
            double diff = (double)a[j] - b[j];
            acc += diff * diff;
        }

        return acc;
    }
}
