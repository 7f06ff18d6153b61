using System.Collections.Immutable;

namespace Alignment.Segmentation.Clustering;

/// <summary>Numeric features of many accounts or leads in original units: named columns, rows stored row-major.</summary>
/// <remarks>Immutable once created (the array passed in must not be changed afterwards).</remarks>
public sealed class FeatureTable
{
    /// <summary>Creates a table.</summary>
    /// <param name="features">The column names (for example <c>company.employeeCount</c>, <c>recency</c>); not empty, unique.</param>
    /// <param name="values">The rows, row-major: <c>rows x features</c> finite values.</param>
    /// <exception cref="ArgumentException">No feature, a duplicate or empty name, a value that is not finite, or not a whole, non-zero number of rows.</exception>
    public FeatureTable(IEnumerable<string> features, double[] values)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(values);
        Features = [.. features];
        if (Features.IsEmpty || Features.Any(string.IsNullOrWhiteSpace) || Features.Distinct(StringComparer.OrdinalIgnoreCase).Count() != Features.Length)
        {
            throw new ArgumentException("The feature names must be non-empty and unique, and there must be at least one.", nameof(features));
        }

        if (values.Length == 0 || values.Length % Features.Length != 0)
        {
            throw new ArgumentException($"The values must be a whole, non-zero number of rows of {Features.Length} features (got {values.Length} values).", nameof(values));
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"Row {i / Features.Length}, feature '{Features[i % Features.Length]}' is not a finite number.", nameof(values));
            }
        }

        Values = values;
    }

    /// <summary>The column names.</summary>
    public ImmutableArray<string> Features { get; }

    /// <summary>The rows, row-major.</summary>
    public ReadOnlyMemory<double> Values { get; }

    /// <summary>The number of rows.</summary>
    public int Rows => Values.Length / Features.Length;
}
