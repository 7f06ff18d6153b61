using Alignment.Models;
using System.Globalization;
using Alignment.Segmentation.Definitions;

namespace Alignment.Segmentation.Rules;

/// <summary>
/// The checks a segmentation model document passes before it is compiled: the sizes that feed the compiler's tables and loops are
/// bounded (see docs/segmentation-model.md, "Limits"), and identifiers (ids, names, fields, labels, <c>in</c> values) hold no control
/// characters. Free text (display names, descriptions, playbooks) may hold tabs and line breaks.
/// </summary>
internal static class SegmentationModelChecks
{
    /// <summary>The most segment definitions: every pair is compared for overlaps at load.</summary>
    public const int MaxSegments = 500;

    /// <summary>
    /// The most work of the overlap analysis (see <see cref="OverlapAnalysis"/>): over it the model is refused, so that a model within
    /// every other bound (500 definitions with 10,000 values each) cannot stall a load. About half a second of comparisons.
    /// </summary>
    public const long MaxOverlapComparisons = 20_000_000;

    /// <summary>The most conditions of one definition.</summary>
    public const int MaxConditions = 50;

    /// <summary>The most values of one condition's <c>in</c> list.</summary>
    public const int MaxInValues = 10_000;

    /// <summary>The most band sets.</summary>
    public const int MaxBandSets = 100;

    /// <summary>The most bands of one band set: each band is compared with every other.</summary>
    public const int MaxBands = 100;

    /// <summary>The most clusterings.</summary>
    public const int MaxClusterings = 20;

    /// <summary>The most features of one clustering.</summary>
    public const int MaxFeatures = 50;

    /// <summary>The most centroids (k) of one clustering: each lead is compared with every centroid.</summary>
    public const int MaxCentroids = 100;

    /// <summary>Checks a document; returns <see langword="false"/> (with the errors added) when it must not be compiled.</summary>
    /// <param name="doc">The document.</param>
    /// <param name="errors">Where the errors go.</param>
    /// <returns>Whether the document may be compiled.</returns>
    public static bool Check(SegmentationModelDocument doc, List<ModelError> errors)
    {
        int before = errors.Count;
        Identifier(doc.Id, "$.id", errors);
        Identifier(doc.Version, "$.version", errors);
        Count(doc.Bands?.Count, MaxBandSets, "$.bands", "band sets", errors);
        for (int i = 0; i < (doc.Bands?.Count ?? 0); i++)
        {
            if (doc.Bands![i] is not { } b)
            {
                continue;
            }

            string path = $"$.bands[{i}]";
            Identifier(b.Name, $"{path}.name", errors);
            Identifier(b.Field, $"{path}.field", errors);
            Count(b.Values?.Count, MaxBands, $"{path}.values", "bands", errors);
            for (int j = 0; j < (b.Values?.Count ?? 0); j++)
            {
                Identifier(b.Values![j]?.Name, $"{path}.values[{j}].name", errors);
            }
        }

        Count(doc.Clusterings?.Count, MaxClusterings, "$.clusterings", "clusterings", errors);
        for (int i = 0; i < (doc.Clusterings?.Count ?? 0); i++)
        {
            if (doc.Clusterings![i] is not { } c)
            {
                continue;
            }

            string path = $"$.clusterings[{i}]";
            Identifier(c.Id, $"{path}.id", errors);
            Count(c.Features?.Count, MaxFeatures, $"{path}.features", "features", errors);
            Identifiers(c.Features, $"{path}.features", errors);
            Count(c.Centroids?.Count, MaxCentroids, $"{path}.centroids", "centroids", errors);
            for (int j = 0; j < (c.Centroids?.Count ?? 0); j++)
            {
                Identifier(c.Centroids![j]?.Label, $"{path}.centroids[{j}].label", errors);
            }
        }

        Count(doc.Segments?.Count, MaxSegments, "$.segments", "segment definitions", errors);
        for (int i = 0; i < (doc.Segments?.Count ?? 0); i++)
        {
            Segment(doc.Segments![i], $"$.segments[{i}]", errors);
        }

        Segment(doc.Default, "$.default", errors);
        return errors.Count == before;
    }

    private static void Segment(SegmentDocument? s, string path, List<ModelError> errors)
    {
        if (s is null)
        {
            return;
        }

        Identifier(s.Id, $"{path}.id", errors);
        Count(s.When?.Count, MaxConditions, $"{path}.when", "conditions", errors);
        for (int k = 0; k < (s.When?.Count ?? 0); k++)
        {
            if (s.When![k] is not { } c)
            {
                continue;
            }

            string cp = $"{path}.when[{k}]";
            Identifier(c.Field, $"{cp}.field", errors);
            Count(c.In?.Count, MaxInValues, $"{cp}.in", "values", errors);
            Identifiers(c.In, $"{cp}.in", errors);
        }
    }

    private static void Count(int? count, int max, string path, string what, List<ModelError> errors)
    {
        if (count > max)
        {
            errors.Add(new(path, string.Create(CultureInfo.InvariantCulture, $"There are {count:N0} {what}; the allowed range is 0 to {max:N0}.")));
        }
    }

    private static void Identifiers(IReadOnlyList<string>? values, string path, List<ModelError> errors)
    {
        for (int i = 0; i < (values?.Count ?? 0); i++)
        {
            Identifier(values![i], $"{path}[{i}]", errors);
        }
    }

    private static void Identifier(string? text, string path, List<ModelError> errors)
    {
        if (IdentifierText.FirstControl(text) is { } c)
        {
            errors.Add(new(path, string.Create(CultureInfo.InvariantCulture, $"The identifier contains the {IdentifierText.Kind(c)} U+{(int)c:X4}; ids, names, fields, labels and 'in' values cannot contain control characters (tab and line breaks included) or bidirectional formatting characters.")));
        }
    }
}
