using System.Runtime.Intrinsics;

namespace Alignment.Segmentation.Clustering;

/// <summary>
/// Centroids laid out for the SIMD assignment kernel: blocks of <see cref="Width"/> centroids, each block stored feature by
/// feature (one vector of the block's values per feature), plus each centroid's squared norm. Padding lanes have an infinite norm
/// so that they are never the nearest.
/// </summary>
internal sealed class CentroidBlocks
{
    public const int Width = 8;

    public CentroidBlocks(int k, int dimensions)
    {
        K = k;
        Dimensions = dimensions;
        Blocks = (k + Width - 1) / Width;
        Columns = new float[Blocks * dimensions * Width];
        Norms = new float[Blocks * Width];
    }

    public int K { get; }

    public int Dimensions { get; }

    public int Blocks { get; }

    /// <summary>[block][feature][lane].</summary>
    public float[] Columns { get; }

    /// <summary>[block][lane]: squared norm of the centroid, +inf for padding.</summary>
    public float[] Norms { get; }

    /// <summary>The largest squared norm of a centroid.</summary>
    public double MaxNorm { get; private set; }

    public static bool Accelerated => Vector256.IsHardwareAccelerated;

    public void Load(ReadOnlySpan<float> centroids)
    {
        Array.Clear(Columns);
        Array.Fill(Norms, float.PositiveInfinity);
        int d = Dimensions;
        MaxNorm = 0;
        for (int c = 0; c < K; c++)
        {
            int b = c / Width, lane = c % Width;
            double norm = 0;
            for (int j = 0; j < d; j++)
            {
                float v = centroids[(c * d) + j];
                Columns[(((b * d) + j) * Width) + lane] = v;
                norm += (double)v * v;
            }

            Norms[(b * Width) + lane] = (float)norm;
            MaxNorm = Math.Max(MaxNorm, norm);
        }
    }
}
