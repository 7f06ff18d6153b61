using System.Collections.Immutable;
using System.Text.Json;

namespace Alignment.Scoring.Definitions;

/// <content>The reader's rules: fit, engagement, negative and plugin rules, grade steps and decay.</content>
internal static partial class ScoringModelJson
{
    private sealed partial class Reader
    {
        private ProfileRuleDefinition? ReadProfileRule(JsonElement e, string path, ScoreComponent component)
        {
            if (!Expect(e, JsonValueKind.Object, path))
            {
                return null;
            }

            CheckProperties(e, path, "id", "description", "points", "grade", "category", "when");
            string? id = RequiredString(e, "id", path);
            decimal points = OptionalDecimal(e, "points", path) ?? 0m;
            int steps = 0;
            if (e.TryGetProperty("grade", out var g))
            {
                steps = ParseGradeSteps(g, path + ".grade");
            }

            string category = OptionalString(e, "category", path) ?? CategoryDefinition.DefaultId;
            Condition? when = null;
            if (e.TryGetProperty("when", out var w))
            {
                when = ReadCondition(w, path + ".when");
            }
            else
            {
                Error(path, "missing required property 'when'");
            }

            if (!e.TryGetProperty("points", out _) && !e.TryGetProperty("grade", out _))
            {
                Error(path, "a profile rule needs 'points', 'grade' or both");
            }

            string? description = OptionalString(e, "description", path);
            return id is null || when is null ? null : new ProfileRuleDefinition(id, component, points, when, steps) { Category = category, Description = description };
        }

        private int ParseGradeSteps(JsonElement g, string path)
        {
            string? s = g.ValueKind == JsonValueKind.String ? g.GetString() : null;
            int result = s switch
            {
                "+1/3" => 1, "+2/3" => 2, "+1" => 3, "-1/3" => -1, "-2/3" => -2, "-1" => -3, "0" => 0,
                _ => int.MinValue,
            };
            if (result == int.MinValue)
            {
                Error(path, $"expected a grade step \"+1/3\", \"+2/3\", \"+1\", \"-1/3\", \"-2/3\" or \"-1\", found {Show(g)}");
                return 0;
            }

            return result;
        }

        private ActivityRuleDefinition? ReadActivityRule(JsonElement e, string path, ScoreComponent component)
        {
            if (!Expect(e, JsonValueKind.Object, path))
            {
                return null;
            }

            CheckProperties(e, path, "id", "description", "activity", "urlContains", "campaign", "points", "windowDays", "cap", "decay", "category");
            string? id = RequiredString(e, "id", path);
            string? activityName = RequiredString(e, "activity", path);
            decimal? points = OptionalDecimal(e, "points", path);
            if (points is null && !e.TryGetProperty("points", out _))
            {
                Error(path, "missing required property 'points'");
            }

            Activities.ActivityType type = default;
            if (activityName is not null && !ScoringNames.TryParseActivity(activityName, out type))
            {
                Error(path + ".activity", $"unknown activity type \"{activityName}\"; expected one of {string.Join(", ", ScoringNames.ActivityNames)}");
                activityName = null;
            }

            int? window = OptionalInt(e, "windowDays", path);
            decimal? cap = OptionalDecimal(e, "cap", path);
            DecayDefinition? decay = e.TryGetProperty("decay", out var d) ? ReadDecay(d, path + ".decay") : null;
            if (id is null || activityName is null || points is null)
            {
                return null;
            }

            return new ActivityRuleDefinition(id, component, points.Value, type)
            {
                UrlContains = OptionalString(e, "urlContains", path),
                Campaign = OptionalString(e, "campaign", path),
                WindowDays = window,
                Cap = cap,
                Decay = decay,
                Category = OptionalString(e, "category", path) ?? CategoryDefinition.DefaultId,
                Description = OptionalString(e, "description", path),
            };
        }

        private DecayDefinition? ReadDecay(JsonElement e, string path)
        {
            if (!Expect(e, JsonValueKind.Object, path))
            {
                return null;
            }

            CheckProperties(e, path, "halfLifeDays", "steps");
            bool hasHalf = e.TryGetProperty("halfLifeDays", out var h);
            bool hasSteps = e.TryGetProperty("steps", out _);
            if (hasHalf == hasSteps)
            {
                Error(path, "a decay needs exactly one of 'halfLifeDays' or 'steps'");
                return null;
            }

            if (hasHalf)
            {
                return h.ValueKind == JsonValueKind.Number && h.TryGetDouble(out double days)
                    ? new DecayDefinition.HalfLife(days)
                    : Fail<DecayDefinition>(path + ".halfLifeDays", $"expected a number, found {Show(h)}");
            }

            var steps = ImmutableArray.CreateBuilder<DecayStep>();
            if (e.TryGetProperty("steps", out var list) && Expect(list, JsonValueKind.Array, path + ".steps"))
            {
                int i = 0;
                foreach (var s in list.EnumerateArray())
                {
                    string p = $"{path}.steps[{i++}]";
                    if (!Expect(s, JsonValueKind.Object, p))
                    {
                        continue;
                    }

                    CheckProperties(s, p, "afterDays", "factor");
                    int? after = OptionalInt(s, "afterDays", p);
                    double? factor = s.TryGetProperty("factor", out var f) && f.ValueKind == JsonValueKind.Number ? f.GetDouble() : null;
                    if (after is null || factor is null)
                    {
                        Error(p, "a decay step needs 'afterDays' (whole number) and 'factor' (number)");
                        continue;
                    }

                    steps.Add(new DecayStep(after.Value, factor.Value));
                }
            }

            return new DecayDefinition.Stepped(steps.ToImmutable());
        }

        private ScoringRuleDefinition? ReadNegativeRule(JsonElement e, string path)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                if (e.TryGetProperty("when", out _))
                {
                    return ReadProfileRule(e, path, ScoreComponent.Negative);
                }

                if (e.TryGetProperty("activity", out _))
                {
                    return ReadActivityRule(e, path, ScoreComponent.Negative);
                }

                if (e.TryGetProperty("inactiveDays", out _))
                {
                    CheckProperties(e, path, "id", "description", "inactiveDays", "points", "category");
                    string? id = RequiredString(e, "id", path);
                    int? days = OptionalInt(e, "inactiveDays", path);
                    decimal? points = OptionalDecimal(e, "points", path);
                    if (points is null)
                    {
                        Error(path, "missing required property 'points'");
                    }

                    return id is null || days is null || points is null
                        ? null
                        : new InactivityRuleDefinition(id, points.Value, days.Value) { Category = OptionalString(e, "category", path) ?? CategoryDefinition.DefaultId, Description = OptionalString(e, "description", path) };
                }

                Error(path, "a negative rule needs one of 'when' (profile), 'activity' or 'inactiveDays'");
                return null;
            }

            Expect(e, JsonValueKind.Object, path);
            return null;
        }

        private ScoringRuleDefinition? ReadPluginRule(JsonElement e, string path)
        {
            if (!Expect(e, JsonValueKind.Object, path))
            {
                return null;
            }

            CheckProperties(e, path, "id", "description", "rule", "cap", "category");
            string? id = RequiredString(e, "id", path);
            string? rule = RequiredString(e, "rule", path);
            decimal? cap = OptionalDecimal(e, "cap", path);
            return id is null || rule is null
                ? null
                : new PluginRuleDefinition(id, rule) { Cap = cap, Category = OptionalString(e, "category", path) ?? CategoryDefinition.DefaultId, Description = OptionalString(e, "description", path) };
        }
    }
}
