using System.Collections.Immutable;
using System.Text.Json;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Scoring;
using Alignment.Segmentation.Definitions;
using Alignment.Segmentation.Playbooks;

namespace Alignment.Segmentation.Rules;

/// <summary>
/// Loads a segmentation model from JSON (or from a <see cref="SegmentationModelDocument"/>): validates everything, reports every
/// problem with its JSON path, resolves field names to typed accessors, and finds overlapping definitions.
/// </summary>
/// <remarks>Thread-safe. Never returns a partial model.</remarks>
public static class SegmentationModelLoader
{
    /// <summary>Loads a model from JSON text.</summary>
    /// <param name="json">The model document.</param>
    /// <param name="options">Load settings, including the file's <see cref="ModelLoadOptions.Limits"/>; <see langword="null"/> for the defaults.</param>
    /// <returns>The compiled model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit of <see cref="ModelLoadOptions.Limits"/> is out of range.</exception>
    /// <exception cref="ModelException">The document is invalid; the exception lists every problem with its path.</exception>
    internal static SegmentationModel Load(string json, SegmentationLoadOptions? options)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TryLoad(json, options, out var model, out var errors) ? model : throw new ModelException(DocumentOf(options), errors);
    }

    /// <summary>Loads a model from a document built in code (for example with a clustering added by <see cref="Clustering.ClusteringRun.ToClusteringDocument"/>).</summary>
    /// <param name="document">The document.</param>
    /// <param name="options">Load settings; <see langword="null"/> for the defaults.</param>
    /// <returns>The compiled model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="ModelException">The document is invalid.</exception>
    internal static SegmentationModel Load(SegmentationModelDocument document, SegmentationLoadOptions? options)
    {
        ArgumentNullException.ThrowIfNull(document);
        var errors = new List<ModelError>();
        var model = new Compiler(options ?? new SegmentationLoadOptions(), errors).Compile(document);
        return model ?? throw new ModelException(DocumentOf(options), errors);
    }

    /// <summary>Tries to load a model from JSON text.</summary>
    /// <param name="json">The model document.</param>
    /// <param name="options">Load settings, including the file's <see cref="ModelLoadOptions.Limits"/>; <see langword="null"/> for the defaults.</param>
    /// <param name="model">The model, when valid.</param>
    /// <param name="errors">Every problem found, each with its JSON path; empty when valid.</param>
    /// <returns><see langword="true"/> when the model is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit of <see cref="ModelLoadOptions.Limits"/> is out of range.</exception>
    internal static bool TryLoad(string json, SegmentationLoadOptions? options, out SegmentationModel model, out IReadOnlyList<ModelError> errors)
    {
        ArgumentNullException.ThrowIfNull(json);
        model = null!;
        var list = new List<ModelError>();
        errors = list;
        var document = Parse(json, options?.Limits, list);
        if (document is null)
        {
            return false;
        }

        var compiled = new Compiler(options ?? new SegmentationLoadOptions(), list).Compile(document);
        if (compiled is null)
        {
            return false;
        }

        model = compiled;
        return true;
    }

    /// <summary>Reads a model document from JSON without validating its content (the file is checked against <paramref name="limits"/> first).</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="limits">The file's limits (size, nesting, objects, arrays, strings); <see langword="null"/> for the defaults.</param>
    /// <returns>The document.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    /// <exception cref="ModelException">
    /// The text is not a well-formed model document, is over a limit, repeats a property or holds a control character; every error has its path.
    /// </exception>
    public static SegmentationModelDocument ReadDocument(string json, ModelReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var errors = new List<ModelError>();
        return Parse(json, limits, errors) ?? throw new ModelException("segmentation model", errors);
    }

    /// <summary>Writes a model document as indented JSON in the documented format.</summary>
    /// <param name="document">The document.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    public static string WriteDocument(SegmentationModelDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return JsonSerializer.Serialize(document, SegmentationJsonContext.Default.SegmentationModelDocument);
    }

    private static string DocumentOf(SegmentationLoadOptions? options) => options?.Document ?? "segmentation model";

    private static SegmentationModelDocument? Parse(string json, ModelReadLimits? limits, List<ModelError> errors)
    {
        // The first pass: limits, duplicate properties, control characters, malformed JSON; nothing is deserialized before it passes.
        var problems = ModelJsonGuard.Check(json, limits);
        if (problems.Count > 0)
        {
            errors.AddRange(problems);
            return null;
        }

        try
        {
            var document = JsonSerializer.Deserialize(json, SegmentationJsonContext.Default.SegmentationModelDocument);
            if (document is null)
            {
                errors.Add(new("$", "The document is null; expected an object."));
            }

            return document;
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";
            errors.Add(new(e.Path ?? "$", $"Not a valid segmentation model document{where}: {e.Message}"));
            return null;
        }
    }

    private sealed class Compiler(SegmentationLoadOptions options, List<ModelError> errors)
    {
        private readonly Dictionary<string, BandSet> _bands = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, CompiledClustering> _clusterings = new(StringComparer.OrdinalIgnoreCase);

        public SegmentationModel? Compile(SegmentationModelDocument doc)
        {
            int before = errors.Count;
            if (!SegmentationModelChecks.Check(doc, errors))
            {
                return null;
            }

            if (string.IsNullOrWhiteSpace(doc.Id))
            {
                Error("$.id", "The model needs an id.");
            }

            for (int i = 0; i < (doc.Bands?.Count ?? 0); i++)
            {
                CompileBandSet(doc.Bands![i], $"$.bands[{i}]");
            }

            for (int i = 0; i < (doc.Clusterings?.Count ?? 0); i++)
            {
                CompileClustering(doc.Clusterings![i], $"$.clusterings[{i}]");
            }

            var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var definitions = new List<SegmentDefinition>();
            var conditions = new List<Condition[]>();
            var segments = doc.Segments ?? [];
            for (int i = 0; i < segments.Count; i++)
            {
                string path = $"$.segments[{i}]";
                if (segments[i] is not { } s)
                {
                    Error(path, "A segment definition cannot be null.");
                    continue;
                }

                var compiled = CompileConditions(s, path);
                var def = CompileSegment(s, path, i, compiled, ids);
                if (def is not null && compiled is not null)
                {
                    definitions.Add(def);
                    conditions.Add(compiled);
                }
            }

            SegmentDefinition? fallback = null;
            if (doc.Default is null)
            {
                Error("$.default", "The model needs a default segment, for every lead no definition matches.");
            }
            else
            {
                if (doc.Default.When is { Count: > 0 })
                {
                    Error("$.default.when", "The default segment takes every lead no definition matches; it cannot have conditions.");
                }

                fallback = CompileSegment(doc.Default, "$.default", -1, [], ids);
            }

            var overlaps = OverlapAnalysis.Find(definitions, conditions, SegmentationModelChecks.MaxOverlapComparisons);
            if (overlaps is null)
            {
                Error("$.segments", OverlapAnalysis.OverBudget(definitions.Count, SegmentationModelChecks.MaxOverlapComparisons));
                overlaps = [];
            }
            else if (options.OverlapsAreErrors)
            {
                foreach (var (overlap, index) in overlaps)
                {
                    Error($"$.segments[{index}].when", overlap.ToString());
                }
            }

            if (errors.Count > before || fallback is null)
            {
                return null;
            }

            return new SegmentationModel(doc.Id!, doc.Version, [.. definitions], fallback, [.. conditions], [.. overlaps.Select(o => o.Overlap)]);
        }

        private SegmentDefinition? CompileSegment(SegmentDocument s, string path, int order, Condition[]? conditions, HashSet<string> ids)
        {
            SegmentId? id = null;
            if (string.IsNullOrWhiteSpace(s.Id))
            {
                Error($"{path}.id", "The segment needs an id.");
            }
            else if (!ids.Add(s.Id))
            {
                Error($"{path}.id", $"The segment id '{s.Id}' is used twice (ids are compared case-insensitively).");
            }
            else
            {
                id = new SegmentId(s.Id);
            }

            var playbook = s.Playbook is null || id is null ? null : CompilePlaybook(s.Playbook, $"{path}.playbook", id.Value);
            if (id is null || conditions is null)
            {
                return null;
            }

            return new SegmentDefinition
            {
                Id = id.Value,
                Name = string.IsNullOrWhiteSpace(s.Name) ? s.Id! : s.Name,
                Description = s.Description,
                Order = order,
                Conditions = [.. conditions.Select(c => c.Text)],
                Playbook = playbook,
            };
        }

        private Condition[]? CompileConditions(SegmentDocument s, string path)
        {
            if (s.When is not { Count: > 0 })
            {
                Error($"{path}.when", "A segment definition needs at least one condition; put 'everything else' in the default segment.");
                return null;
            }

            var result = new List<Condition>();
            bool ok = true;
            for (int i = 0; i < s.When.Count; i++)
            {
                var c = s.When[i] is null ? null : CompileCondition(s.When[i], $"{path}.when[{i}]");
                if (s.When[i] is null)
                {
                    Error($"{path}.when[{i}]", "A condition cannot be null.");
                }

                ok &= c is not null;
                if (c is not null)
                {
                    result.Add(c);
                }
            }

            if (!ok)
            {
                return null;
            }

            foreach (var group in result.GroupBy(c => c.Constraint.Key, StringComparer.OrdinalIgnoreCase))
            {
                var combined = group.Select(c => c.Constraint).Aggregate((a, b) => a.Intersect(b));
                if (combined.IsEmpty)
                {
                    Error($"{path}.when", $"The conditions on {group.Key} contradict each other ({string.Join(" and ", group.Select(c => c.Text))}); the definition can never match.");
                    return null;
                }
            }

            return [.. result];
        }

        private Condition? CompileCondition(ConditionDocument c, string path)
        {
            if (string.IsNullOrWhiteSpace(c.Field))
            {
                Error($"{path}.field", "The condition needs a field.");
                return null;
            }

            bool hasIn = c.In is not null, hasRange = c.AtLeast is not null || c.Below is not null;
            if (hasIn == hasRange)
            {
                Error(path, "A condition needs either 'in' or a range ('atLeast' and/or 'below'), not both and not neither.");
                return null;
            }

            if (hasIn && (c.In!.Count == 0 || c.In.Any(string.IsNullOrWhiteSpace)))
            {
                Error($"{path}.in", "'in' needs at least one value, and no value may be empty.");
                return null;
            }

            string field = c.Field;
            if (_bands.TryGetValue(field, out var bands))
            {
                return hasRange ? RangeNotAllowed(path, field, "a band set (use 'in' with band names)") : BandCondition(bands, c.In!, path);
            }

            if (field.StartsWith(SegmentFields.ClusterPrefix, StringComparison.OrdinalIgnoreCase))
            {
                if (!_clusterings.TryGetValue(field[SegmentFields.ClusterPrefix.Length..], out var clustering))
                {
                    Error($"{path}.field", $"The model has no clustering '{field[SegmentFields.ClusterPrefix.Length..]}'.");
                    return null;
                }

                if (hasRange)
                {
                    return RangeNotAllowed(path, field, "a clustering (use 'in' with centroid labels)");
                }

                var unknown = c.In!.Where(l => !clustering.LabelSet.Contains(l)).ToList();
                if (unknown.Count > 0)
                {
                    Error($"{path}.in", $"Clustering '{field}' has no centroid labelled {string.Join(", ", unknown.Select(u => $"'{u}'"))}; its labels are {string.Join(", ", clustering.Labels)}.");
                    return null;
                }

                return new ClusterCondition(clustering, c.In!);
            }

            if (FieldCatalog.TryText(field, options.Schema, out var text))
            {
                return hasRange ? RangeNotAllowed(path, field, "a text field") : new TextInCondition(text, c.In!);
            }

            if (FieldCatalog.TryNumber(field, options.Schema, out var number))
            {
                return number.Display switch
                {
                    NumberDisplay.Grade => GradeCondition(number, c, path),
                    NumberDisplay.Flag => FlagCondition(number, c, path),
                    _ => NumberCondition(number, c, path),
                };
            }

            if (FieldCatalog.IsAttribute(field))
            {
                Error($"{path}.field", $"The attribute schema has no attribute '{field[LeadFields.AttributePrefix.Length..]}'.");
                return null;
            }

            string? suggestion = LeadFields.Suggest(field) is { } close && close != LeadFields.SegmentId ? close.Name : null;
            Error($"{path}.field", $"Unknown field '{field}'. Use a lead field (company.*, person.*, lead.*, score.*; see the lead-field catalogue), attributes.<name>, cluster.<id> or a band set name{(_bands.Count > 0 ? " (" + string.Join(", ", _bands.Keys) + ")" : "")}.", suggestion);
            return null;
        }

        private Condition? RangeNotAllowed(string path, string field, string what)
        {
            Error(path, $"'{field}' is {what}; a range ('atLeast'/'below') does not apply.");
            return null;
        }

        private NumberInCondition? NumberCondition(NumberField field, ConditionDocument c, string path)
        {
            if (c.In is not null)
            {
                Error($"{path}.in", $"'{field.Name}' is a number field; use 'atLeast' and/or 'below'.");
                return null;
            }

            double? lo = ReadNumber(c.AtLeast, $"{path}.atLeast"), hi = ReadNumber(c.Below, $"{path}.below");
            if ((c.AtLeast is not null && lo is null) || (c.Below is not null && hi is null))
            {
                return null;
            }

            return RangeCondition(field, lo, hi, path, IntervalSet.Number);
        }

        private NumberInCondition? GradeCondition(NumberField field, ConditionDocument c, string path)
        {
            if (c.In is not null)
            {
                var grades = new List<Grade>();
                foreach (var letter in c.In)
                {
                    if (Grades.TryParse(letter, out var g))
                    {
                        grades.Add(g);
                    }
                    else
                    {
                        Error($"{path}.in", $"'{letter}' is not a grade letter (F, D-, D, D+, ... A, A+).");
                    }
                }

                if (grades.Count != c.In.Count)
                {
                    return null;
                }

                var set = IntervalSet.Union(grades.Select(g => IntervalSet.Range((int)g, (int)g + 1)));
                return new NumberInCondition(field, set, $"{field.Name} in {{{string.Join(", ", grades.Distinct().Order().Select(g => g.ToLetter()))}}}");
            }

            double? lo = ReadGrade(c.AtLeast, $"{path}.atLeast"), hi = ReadGrade(c.Below, $"{path}.below");
            if ((c.AtLeast is not null && lo is null) || (c.Below is not null && hi is null))
            {
                return null;
            }

            return RangeCondition(field, lo, hi, path, v => ((Grade)(int)v).ToLetter());
        }

        private NumberInCondition? FlagCondition(NumberField field, ConditionDocument c, string path)
        {
            if (c.In is not { Count: > 0 } values)
            {
                Error(path, $"'{field.Name}' is a yes/no attribute; use \"in\": [\"true\"] or [\"false\"].");
                return null;
            }

            var sets = new List<IntervalSet>();
            foreach (var v in values)
            {
                if (bool.TryParse(v, out bool b))
                {
                    sets.Add(b ? IntervalSet.Range(1, Math.BitIncrement(1.0)) : IntervalSet.Range(0, 1));
                }
                else
                {
                    Error($"{path}.in", $"'{v}' is not true or false.");
                    return null;
                }
            }

            return new NumberInCondition(field, IntervalSet.Union(sets), $"{field.Name} in {{{string.Join(", ", values.Select(v => v.ToLowerInvariant()).Distinct().Order())}}}");
        }

        private NumberInCondition? RangeCondition(NumberField field, double? lo, double? hi, string path, Func<double, string> format)
        {
            var set = IntervalSet.Range(lo ?? double.NegativeInfinity, hi ?? double.PositiveInfinity);
            if (set.IsEmpty)
            {
                Error(path, $"The range is empty: 'atLeast' ({format(lo!.Value)}) must be less than 'below' ({format(hi!.Value)}).");
                return null;
            }

            return new NumberInCondition(field, set, $"{field.Name} {set.Describe(format)}");
        }

        private NumberInCondition? BandCondition(BandSet bands, IReadOnlyList<string> names, string path)
        {
            var sets = new List<IntervalSet>();
            foreach (var name in names)
            {
                if (bands.Bands.TryGetValue(name, out var set))
                {
                    sets.Add(set);
                }
                else
                {
                    Error($"{path}.in", $"Band set '{bands.Name}' has no band '{name}'; its bands are {string.Join(", ", bands.Order)}.");
                    return null;
                }
            }

            var canonical = names.Select(n => bands.Rank[n]).Distinct().Order().Select(r => bands.Order[r]);
            return new NumberInCondition(bands.Field, IntervalSet.Union(sets), $"{bands.Name} in {{{string.Join(", ", canonical)}}}", bands.Name, bands.BandOf);
        }

        private double? ReadNumber(JsonElement? value, string path)
        {
            if (value is null)
            {
                return null;
            }

            if (value.Value.ValueKind == JsonValueKind.Number && value.Value.TryGetDouble(out double d) && double.IsFinite(d))
            {
                return d;
            }

            Error(path, $"Expected a finite number, found {value.Value.ValueKind}.");
            return null;
        }

        private double? ReadGrade(JsonElement? value, string path)
        {
            if (value is null)
            {
                return null;
            }

            if (value.Value.ValueKind == JsonValueKind.String && Grades.TryParse(value.Value.GetString(), out var g))
            {
                return (int)g;
            }

            Error(path, $"Expected a grade letter (F, D-, D, ... A, A+), found {value.Value}.");
            return null;
        }

        private void CompileBandSet(BandSetDocument? b, string path)
        {
            if (b is null)
            {
                Error(path, "A band set cannot be null.");
                return;
            }

            bool ok = true;
            if (string.IsNullOrWhiteSpace(b.Name))
            {
                Error($"{path}.name", "The band set needs a name.");
                ok = false;
            }
            else if (_bands.ContainsKey(b.Name) || FieldCatalog.TryText(b.Name, options.Schema, out _) || FieldCatalog.TryNumber(b.Name, options.Schema, out _)
                || b.Name.Contains('.', StringComparison.Ordinal))
            {
                Error($"{path}.name", $"The band set name '{b.Name}' is used twice, or is a field name or contains a '.'.");
                ok = false;
            }

            NumberField? field = null;
            if (string.IsNullOrWhiteSpace(b.Field) || !FieldCatalog.TryNumber(b.Field, options.Schema, out field) || field.Display != NumberDisplay.Number)
            {
                Error($"{path}.field", $"'{b.Field}' is not a number field (bands cut a number field such as {LeadFields.CompanyEmployeeCount.Name}).");
                ok = false;
            }

            if (b.Values is not { Count: > 0 })
            {
                Error($"{path}.values", "The band set needs at least one band.");
                return;
            }

            var bands = new Dictionary<string, IntervalSet>(StringComparer.OrdinalIgnoreCase);
            var order = new List<string>();
            bool mayOverlap = AnyOverlap(b.Values);
            for (int i = 0; i < b.Values.Count; i++)
            {
                string bp = $"{path}.values[{i}]";
                var band = b.Values[i];
                if (band is null || string.IsNullOrWhiteSpace(band.Name))
                {
                    Error($"{bp}.name", "The band needs a name.");
                    ok = false;
                    continue;
                }

                if ((band.AtLeast is double lo && !double.IsFinite(lo)) || (band.Below is double hi0 && !double.IsFinite(hi0)))
                {
                    Error(bp, "Band bounds must be finite numbers.");
                    ok = false;
                    continue;
                }

                var set = IntervalSet.Range(band.AtLeast ?? double.NegativeInfinity, band.Below ?? double.PositiveInfinity);
                if (set.IsEmpty)
                {
                    Error(bp, $"The band '{band.Name}' is empty: 'atLeast' must be less than 'below'.");
                    ok = false;
                    continue;
                }

                // Pairwise only when some bands overlap (an invalid model, reported pair by pair); otherwise nothing to find.
                foreach (var (other, otherSet) in mayOverlap ? bands : [])
                {
                    if (!set.Intersect(otherSet).IsEmpty)
                    {
                        Error(bp, $"The band '{band.Name}' overlaps the band '{other}'.");
                        ok = false;
                    }
                }

                if (!bands.TryAdd(band.Name, set))
                {
                    Error($"{bp}.name", $"The band name '{band.Name}' is used twice.");
                    ok = false;
                }
                else
                {
                    order.Add(band.Name);
                }
            }

            if (ok)
            {
                _bands[b.Name!] = new BandSet(b.Name!, field!, bands, order);
            }
        }

        /// <summary>
        /// Whether any two well-formed bands of a set overlap: sorted by lower bound, disjoint intervals each end at or before
        /// the next one starts. O(n log n) instead of comparing every pair.
        /// </summary>
        private static bool AnyOverlap(IReadOnlyList<BandDocument> values)
        {
            var ranges = new List<(double Lo, double Hi)>(values.Count);
            foreach (var band in values)
            {
                if (band is null || string.IsNullOrWhiteSpace(band.Name))
                {
                    continue;
                }

                double lo = band.AtLeast ?? double.NegativeInfinity, hi = band.Below ?? double.PositiveInfinity;
                if ((band.AtLeast is not double a || double.IsFinite(a)) && (band.Below is not double h || double.IsFinite(h)) && lo < hi)
                {
                    ranges.Add((lo, hi));
                }
            }

            ranges.Sort((x, y) => x.Lo.CompareTo(y.Lo));
            for (int i = 1; i < ranges.Count; i++)
            {
                if (ranges[i].Lo < ranges[i - 1].Hi)
                {
                    return true;
                }
            }

            return false;
        }

        private void CompileClustering(ClusteringDocument? c, string path)
        {
            if (c is null)
            {
                Error(path, "A clustering cannot be null.");
                return;
            }

            bool ok = true;
            if (string.IsNullOrWhiteSpace(c.Id) || _clusterings.ContainsKey(c.Id))
            {
                Error($"{path}.id", string.IsNullOrWhiteSpace(c.Id) ? "The clustering needs an id." : $"The clustering id '{c.Id}' is used twice.");
                ok = false;
            }

            var features = new List<NumberField>();
            for (int i = 0; i < (c.Features?.Count ?? 0); i++)
            {
                if (FieldCatalog.TryNumber(c.Features![i] ?? "", options.Schema, out var f))
                {
                    features.Add(f);
                }
                else
                {
                    Error($"{path}.features[{i}]", $"'{c.Features[i]}' is not a number field.");
                    ok = false;
                }
            }

            int d = c.Features?.Count ?? 0;
            if (d == 0)
            {
                Error($"{path}.features", "The clustering needs at least one feature.");
                ok = false;
            }

            if (c.Means?.Count != d || c.Means.Any(m => !double.IsFinite(m)))
            {
                Error($"{path}.means", $"Expected {d} finite means, one per feature.");
                ok = false;
            }

            if (c.StandardDeviations?.Count != d || c.StandardDeviations.Any(s => !double.IsFinite(s) || s <= 0))
            {
                Error($"{path}.standardDeviations", $"Expected {d} finite standard deviations greater than zero, one per feature.");
                ok = false;
            }

            if (c.Centroids is not { Count: > 0 })
            {
                Error($"{path}.centroids", "The clustering needs at least one centroid.");
                return;
            }

            var labels = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < c.Centroids.Count; i++)
            {
                var centroid = c.Centroids[i];
                if (centroid is null || string.IsNullOrWhiteSpace(centroid.Label) || !labels.Add(centroid.Label))
                {
                    Error($"{path}.centroids[{i}].label", "Each centroid needs a label, unique within the clustering.");
                    ok = false;
                }

                if (centroid?.Values?.Count != d || centroid.Values.Any(v => !double.IsFinite(v)))
                {
                    Error($"{path}.centroids[{i}].values", $"Expected {d} finite values, one per feature, in original units.");
                    ok = false;
                }
            }

            if (!ok)
            {
                return;
            }

            var standardized = new double[c.Centroids.Count * d];
            for (int i = 0; i < c.Centroids.Count; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    standardized[(i * d) + j] = (c.Centroids[i].Values![j] - c.Means![j]) / c.StandardDeviations![j];
                }
            }

            _clusterings[c.Id!] = new CompiledClustering(c.Id!, [.. features], [.. c.Means!], [.. c.StandardDeviations!], standardized, [.. c.Centroids.Select(x => x.Label!)]);
        }

        private Playbook? CompilePlaybook(PlaybookDocument p, string path, SegmentId segment)
        {
            bool ok = true;
            if (string.IsNullOrWhiteSpace(p.ValueProposition))
            {
                Error($"{path}.valueProposition", "The playbook needs a value proposition.");
                ok = false;
            }

            var cases = new List<CaseStudy>();
            for (int i = 0; i < (p.CaseStudies?.Count ?? 0); i++)
            {
                var cs = p.CaseStudies![i];
                if (cs is null || string.IsNullOrWhiteSpace(cs.Title))
                {
                    Error($"{path}.caseStudies[{i}].title", "The case study needs a title.");
                    ok = false;
                    continue;
                }

                cases.Add(new CaseStudy(cs.Title, cs.Customer, cs.Summary, cs.Url));
            }

            var objections = new List<ObjectionResponse>();
            for (int i = 0; i < (p.Objections?.Count ?? 0); i++)
            {
                var o = p.Objections![i];
                if (o is null || string.IsNullOrWhiteSpace(o.Objection) || string.IsNullOrWhiteSpace(o.Response))
                {
                    Error($"{path}.objections[{i}]", "An objection needs both 'objection' and 'response'.");
                    ok = false;
                    continue;
                }

                objections.Add(new ObjectionResponse(o.Objection, o.Response));
            }

            return !ok ? null : new Playbook
            {
                Segment = segment,
                ValueProposition = p.ValueProposition!,
                ProofPoints = [.. (p.ProofPoints ?? []).Where(s => !string.IsNullOrWhiteSpace(s))],
                DataPoints = [.. (p.DataPoints ?? []).Where(s => !string.IsNullOrWhiteSpace(s))],
                CaseStudies = [.. cases],
                Objections = [.. objections],
            };
        }

        private void Error(string path, string message, string? suggestion = null) =>
            errors.Add(new ModelError(path, message) { Suggestion = suggestion is null ? null : $"did you mean '{suggestion}'?" });
    }

    private sealed class BandSet(string name, NumberField field, Dictionary<string, IntervalSet> bands, List<string> order)
    {
        public string Name { get; } = name;

        public NumberField Field { get; } = field;

        public Dictionary<string, IntervalSet> Bands { get; } = bands;

        public List<string> Order { get; } = order;

        /// <summary>Each band's position in <see cref="Order"/>, by name (case-insensitive, as <see cref="Bands"/>).</summary>
        public Dictionary<string, int> Rank { get; } = order.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.OrdinalIgnoreCase);

        public string? BandOf(double value) => Order.FirstOrDefault(o => Bands[o].Contains(value));
    }
}
