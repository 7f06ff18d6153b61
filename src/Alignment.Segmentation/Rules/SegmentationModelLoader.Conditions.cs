using System.Text.Json;
using Alignment.Leads;
using Alignment.Scoring;
using Alignment.Segmentation.Definitions;

namespace Alignment.Segmentation.Rules;

/// <content>The compiler's conditions: a field, cluster or band set with 'in' or a range, resolved to a typed condition.</content>
public static partial class SegmentationModelLoader
{
    private sealed partial class Compiler
    {
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
                if (!hasRange && string.Equals(text.Name, LeadFields.ScoreState.Name, StringComparison.Ordinal)
                    && c.In!.Select((v, i) => (v, i)).FirstOrDefault(x => !LeadFields.TryParseState(x.v, out _)) is { v: not null } bad)
                {
                    Error($"{path}.in[{bad.i}]", $"'{bad.v}' is not a qualification state; use notQualified, mql or hot.");
                    return null;
                }

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
    }
}
