namespace Alignment.Segmentation.Clustering;

/// <summary>
/// Deterministic stratified random sampling: the rows are cut into <c>m</c> equal strata and one row is drawn uniformly from each,
/// so the sample has no duplicates, covers the data evenly and comes out in row order.
/// </summary>
internal static class StratifiedSample
{
    public static int[] Indexes(int rows, int size, ulong seed, ulong stream)
    {
        if (size >= rows)
        {
            var all = new int[rows];
            for (int i = 0; i < rows; i++)
            {
                all[i] = i;
            }

            return all;
        }

        var rng = new SplitMix64(seed, stream);
        var result = new int[size];
        double width = (double)rows / size;
        for (int t = 0; t < size; t++)
        {
            int lo = (int)(t * width);
            int hi = Math.Max(lo + 1, (int)((t + 1) * width));
            result[t] = Math.Min(rows - 1, lo + rng.NextInt(hi - lo));
        }

        return result;
    }

    public static float[] Rows(ReadOnlySpan<float> points, int dimensions, int[] indexes)
    {
        var copy = new float[indexes.Length * dimensions];
        for (int t = 0; t < indexes.Length; t++)
        {
            points.Slice(indexes[t] * dimensions, dimensions).CopyTo(copy.AsSpan(t * dimensions, dimensions));
        }

        return copy;
    }
}
