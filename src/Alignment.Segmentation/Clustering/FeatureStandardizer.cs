using System.Collections.Immutable;

namespace Alignment.Segmentation.Clustering;

/// <summary>
/// Z-score standardisation of numeric features: each feature has its mean subtracted and is divided by its population standard
/// deviation (divide by <c>n</c>, not <c>n − 1</c>). A feature with zero spread is divided by 1 instead, so it becomes all zeros.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class FeatureStandardizer
{
    /// <summary>Creates a standardiser from known means and standard deviations.</summary>
    /// <param name="means">The mean of each feature.</param>
    /// <param name="standardDeviations">The population standard deviation of each feature; each finite and greater than zero.</param>
    /// <exception cref="ArgumentException">The lists differ in length, are empty, or hold an invalid value.</exception>
    public FeatureStandardizer(ImmutableArray<double> means, ImmutableArray<double> standardDeviations)
    {
        if (means.IsDefaultOrEmpty || standardDeviations.IsDefault || means.Length != standardDeviations.Length)
        {
            throw new ArgumentException("Means and standard deviations must be non-empty lists of the same length.", nameof(standardDeviations));
        }

        for (int j = 0; j < means.Length; j++)
        {
            if (!double.IsFinite(means[j]) || !double.IsFinite(standardDeviations[j]) || standardDeviations[j] <= 0)
            {
                throw new ArgumentException($"Feature {j}: the mean must be finite and the standard deviation finite and greater than zero.", nameof(standardDeviations));
            }
        }

        Means = means;
        StandardDeviations = standardDeviations;
    }

    /// <summary>The mean of each feature.</summary>
    public ImmutableArray<double> Means { get; }

    /// <summary>The divisor of each feature: its population standard deviation, or 1 when that is zero.</summary>
    public ImmutableArray<double> StandardDeviations { get; }

    /// <summary>The number of features.</summary>
    public int Dimensions => Means.Length;

    /// <summary>Measures the mean and population standard deviation of each feature (two passes, in double precision).</summary>
    /// <param name="values">The rows, row-major; finite values.</param>
    /// <param name="dimensions">The number of features per row.</param>
    /// <returns>The standardiser.</returns>
    /// <exception cref="ArgumentException">The data is not a whole, non-zero number of rows, holds a value that is not finite, or values so large that their spread overflows.</exception>
    public static FeatureStandardizer Fit(ReadOnlySpan<double> values, int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        if (values.Length == 0 || values.Length % dimensions != 0)
        {
            throw new ArgumentException($"The data must be a whole, non-zero number of rows of {dimensions} values.", nameof(values));
        }

        int rows = values.Length / dimensions;
        var means = new double[dimensions];
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"Row {i / dimensions}, feature {i % dimensions} is not a finite number.", nameof(values));
            }

            means[i % dimensions] += values[i];
        }

        for (int j = 0; j < dimensions; j++)
        {
            means[j] /= rows;
        }

        var sd = new double[dimensions];
        for (int i = 0; i < values.Length; i++)
        {
            double diff = values[i] - means[i % dimensions];
            sd[i % dimensions] += diff * diff;
        }

        for (int j = 0; j < dimensions; j++)
        {
            double s = Math.Sqrt(sd[j] / rows);
            sd[j] = s > 0 ? s : 1;
            if (!double.IsFinite(means[j]) || !double.IsFinite(sd[j]))
            {
                throw new ArgumentException($"Feature {j}: the values are too large to standardise (their sum or the sum of their squared deviations overflows a double); scale them down first.", nameof(values));
            }
        }

        return new FeatureStandardizer([.. means], [.. sd]);
    }

    /// <summary>Standardises rows.</summary>
    /// <param name="values">The rows in original units, row-major.</param>
    /// <returns>The standardised rows as <see cref="float"/>, ready for <see cref="KMeans.Fit"/>.</returns>
    /// <exception cref="ArgumentException">The data is not a whole number of rows of <see cref="Dimensions"/> values.</exception>
    public float[] Standardize(ReadOnlySpan<double> values)
    {
        if (values.Length % Dimensions != 0)
        {
            throw new ArgumentException($"The data must be a whole number of rows of {Dimensions} values.", nameof(values));
        }

        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            int j = i % Dimensions;
            result[i] = (float)((values[i] - Means[j]) / StandardDeviations[j]);
        }

        return result;
    }

    /// <summary>Standardises one row in place, as double.</summary>
    /// <param name="row">The row, in original units on entry, standardised on return.</param>
    /// <exception cref="ArgumentException">The row does not have <see cref="Dimensions"/> values.</exception>
    public void StandardizeInPlace(Span<double> row)
    {
        if (row.Length != Dimensions)
        {
            throw new ArgumentException($"The row must have {Dimensions} values.", nameof(row));
        }

        for (int j = 0; j < row.Length; j++)
        {
            row[j] = (row[j] - Means[j]) / StandardDeviations[j];
        }
    }

    /// <summary>Turns a standardised row (a centroid, say) back into original units.</summary>
    /// <param name="standardized">The standardised row.</param>
    /// <returns>The row in original units.</returns>
    /// <exception cref="ArgumentException">The row does not have <see cref="Dimensions"/> values.</exception>
    public ImmutableArray<double> ToOriginalUnits(ReadOnlySpan<float> standardized)
    {
        if (standardized.Length != Dimensions)
        {
            throw new ArgumentException($"The row must have {Dimensions} values.", nameof(standardized));
        }

        var result = new double[Dimensions];
        for (int j = 0; j < Dimensions; j++)
        {
            result[j] = Means[j] + (standardized[j] * StandardDeviations[j]);
        }

        return [.. result];
    }
}
