using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Alignment.Segmentation.Clustering;

/// <summary>
/// Seeded synthetic data with known clusters, for demos, tests and benchmarks: rows drawn from isotropic Gaussian blobs whose
/// centres are uniform in [−10, 10] per feature and whose standard deviations are uniform in [1.0, 2.5]; each row picks its blob
/// uniformly at random. Optionally every feature is then z-scored with the population standard deviation.
/// </summary>
internal static class GaussianBlobs
{
    /// <summary>Generates rows.</summary>
    /// <param name="rows">The number of rows; at least 1.</param>
    /// <param name="dimensions">The number of features; at least 1.</param>
    /// <param name="blobs">The number of blobs; at least 1.</param>
    /// <param name="seed">The seed: the same arguments give the same data on every run.</param>
    /// <param name="standardize">Whether to z-score every feature afterwards.</param>
    /// <returns>The rows (row-major) and the blob each row was drawn from.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is less than 1.</exception>
    public static GaussianBlobData Generate(int rows, int dimensions, int blobs, int seed, bool standardize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blobs, 1);
        var rng = new SplitMix64(unchecked((ulong)(long)seed), 0xB10B);
        var centres = new double[blobs * dimensions];
        var spreads = new double[blobs];
        for (int b = 0; b < blobs; b++)
        {
            for (int j = 0; j < dimensions; j++)
            {
                centres[(b * dimensions) + j] = -10 + (20 * rng.NextDouble());
            }

            spreads[b] = 1.0 + (1.5 * rng.NextDouble());
        }

        var values = new double[rows * dimensions];
        var labels = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            int b = rng.NextInt(blobs);
            labels[i] = b;
            for (int j = 0; j < dimensions; j++)
            {
                values[(i * dimensions) + j] = centres[(b * dimensions) + j] + (spreads[b] * Normal(ref rng));
            }
        }

        float[] points;
        if (standardize)
        {
            points = FeatureStandardizer.Fit(values, dimensions).Standardize(values);
        }
        else
        {
            points = new float[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                points[i] = (float)values[i];
            }
        }

        return new GaussianBlobData
        {
            Dimensions = dimensions,
            Points = ImmutableCollectionsMarshal.AsImmutableArray(points),
            Labels = ImmutableCollectionsMarshal.AsImmutableArray(labels),
            Centres = ImmutableCollectionsMarshal.AsImmutableArray(centres),
        };
    }

    private static double Normal(ref SplitMix64 rng)
    {
        // Box–Muller; 1 − u keeps the logarithm finite.
        double u = 1.0 - rng.NextDouble();
        double v = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }
}
