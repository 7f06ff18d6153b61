using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Scoring.Definitions;

/// <summary>
/// Reads and writes scoring model files (JSON; format in docs/scoring-model.md, schema in docs/scoring-model.schema.json).
/// Reading validates everything and reports every problem with its JSON path at once.
/// </summary>
public static class ScoringModelJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 };

    /// <summary>Reads a scoring model from JSON and validates it.</summary>
    /// <param name="json">The model file's text.</param>
    /// <param name="source">Where it came from, for error messages (for example the file name).</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ScoringModelException">The JSON is malformed or the model invalid; lists every problem with its path.</exception>
    public static ScoringModelDefinition Parse(string json, string source = "model")
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new ScoringModelException(source, [new ScoringModelError($"$ (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1})", "malformed JSON: " + FirstSentence(ex.Message))]);
        }

        using (doc)
        {
            var reader = new Reader();
            var definition = reader.ReadModel(doc.RootElement);
            var errors = reader.Errors;
            if (definition is not null && errors.Count == 0)
            {
                errors.AddRange(ScoringModelValidator.Validate(definition));
            }

            if (errors.Count > 0)
            {
                throw new ScoringModelException(source, errors);
            }

            return definition!;
        }
    }

    /// <summary>Writes a definition as JSON in canonical form: fixed member order, invariant numbers, no comments.</summary>
    /// <param name="definition">The definition.</param>
    /// <param name="indented">Whether to indent (for people) or not (for hashing).</param>
    /// <returns>The JSON text; <see cref="Parse"/> reads it back to an equal definition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is null.</exception>
    public static string Write(ScoringModelDefinition definition, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(definition);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Writer.WriteModel(w, definition);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The content hash of a definition: lower-case hex SHA-256 of its canonical, unindented JSON.</summary>
    /// <param name="definition">The definition.</param>
    /// <returns>64 hex digits; any edit to the model changes it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is null.</exception>
    public static string ComputeContentHash(ScoringModelDefinition definition) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Write(definition, indented: false))));

    private static string FirstSentence(string message)
    {
        int i = message.IndexOf(". ", StringComparison.Ordinal);
        return i > 0 ? message[..(i + 1)] : message;
    }

    private sealed class Reader
    {
        public List<ScoringModelError> Errors { get; } = [];

        private void Error(string path, string message) => Errors.Add(new ScoringModelError(path, message));

        public ScoringModelDefinition? ReadModel(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                Error("$", $"expected an object, found {Kind(root)}");
                return null;
            }

            CheckProperties(root, "$", "$schema", "id", "version", "changeNote", "textComparison", "attributes", "categories", "thresholds", "fit", "engagement", "negative", "plugins");
            string id = RequiredString(root, "id", "$") ?? "?";
            string version = RequiredString(root, "version", "$") ?? "0.0.0";
            string? changeNote = OptionalString(root, "changeNote", "$");
            var textComparison = TextComparison.IgnoreCase;
            if (root.TryGetProperty("textComparison", out var tc))
            {
                switch (tc.ValueKind == JsonValueKind.String ? tc.GetString() : null)
                {
                    case "ignoreCase": textComparison = TextComparison.IgnoreCase; break;
                    case "ordinal": textComparison = TextComparison.Ordinal; break;
                    default: Error("$.textComparison", $"expected \"ignoreCase\" or \"ordinal\", found {Show(tc)}"); break;
                }
            }

            var attributes = ReadArray(root, "attributes", "$", ReadAttribute);
            var categories = ReadArray(root, "categories", "$", ReadCategory);
            ThresholdDefinition mql = new(50, Grade.F);
            ThresholdDefinition? hot = null;
            if (root.TryGetProperty("thresholds", out var th))
            {
                if (Expect(th, JsonValueKind.Object, "$.thresholds"))
                {
                    CheckProperties(th, "$.thresholds", "mql", "hot");
                    if (th.TryGetProperty("mql", out var m))
                    {
                        mql = ReadThreshold(m, "$.thresholds.mql") ?? mql;
                    }
                    else
                    {
                        Error("$.thresholds", "missing required property 'mql'");
                    }

                    if (th.TryGetProperty("hot", out var h))
                    {
                        hot = ReadThreshold(h, "$.thresholds.hot");
                    }
                }
            }
            else
            {
                Error("$", "missing required property 'thresholds'");
            }

            var rules = ImmutableArray.CreateBuilder<ScoringRuleDefinition>();
            rules.AddRange(ReadArray(root, "fit", "$", (e, p) => ReadProfileRule(e, p, ScoreComponent.Fit)));
            rules.AddRange(ReadArray(root, "engagement", "$", (e, p) => ReadActivityRule(e, p, ScoreComponent.Engagement)));
            rules.AddRange(ReadArray(root, "negative", "$", ReadNegativeRule));
            rules.AddRange(ReadArray(root, "plugins", "$", ReadPluginRule));

            return new ScoringModelDefinition(id, version)
            {
                ChangeNote = changeNote,
                TextComparison = textComparison,
                Attributes = attributes,
                Categories = categories,
                Mql = mql,
                Hot = hot,
                Rules = rules.ToImmutable(),
            };
        }

        private AttributeDeclaration? ReadAttribute(JsonElement e, string path)
        {
            if (!Expect(e, JsonValueKind.Object, path))
            {
                return null;
            }

            CheckProperties(e, path, "name", "type");
            string? name = RequiredString(e, "name", path);
            string? type = RequiredString(e, "type", path);
            AttributeKind kind = AttributeKind.Number;
            switch (type)
            {
                case null: break;
                case "number": kind = AttributeKind.Number; break;
                case "text": kind = AttributeKind.Text; break;
                case "boolean": kind = AttributeKind.Boolean; break;
                default: Error(path + ".type", $"unknown attribute type \"{type}\"; expected \"number\", \"text\" or \"boolean\""); return null;
            }

            return name is null || type is null ? null : new AttributeDeclaration(name, kind);
        }

        private CategoryDefinition? ReadCategory(JsonElement e, string path)
        {
            if (!Expect(e, JsonValueKind.Object, path))
            {
                return null;
            }

            CheckProperties(e, path, "id", "cap");
            string? id = RequiredString(e, "id", path);
            decimal? cap = OptionalDecimal(e, "cap", path);
            return id is null ? null : new CategoryDefinition(id, cap);
        }

        private ThresholdDefinition? ReadThreshold(JsonElement e, string path)
        {
            if (!Expect(e, JsonValueKind.Object, path))
            {
                return null;
            }

            CheckProperties(e, path, "score", "minGrade");
            decimal? score = OptionalDecimal(e, "score", path);
            if (score is null && !e.TryGetProperty("score", out _))
            {
                Error(path, "missing required property 'score'");
            }

            Grade grade = Grade.F;
            if (e.TryGetProperty("minGrade", out var g) && !(g.ValueKind == JsonValueKind.String && Grades.TryParse(g.GetString(), out grade)))
            {
                Error(path + ".minGrade", $"expected a grade letter (F, D-, D, D+, C-, C, C+, B-, B, B+, A-, A, A+), found {Show(g)}");
                return null;
            }

            return score is decimal s ? new ThresholdDefinition(s, grade) : null;
        }

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

        private static readonly string[] FieldOperators = ["equals", "in", "between", "gt", "gte", "lt", "lte", "contains", "containsAny", "startsWith", "isMissing"];

        private Condition? ReadCondition(JsonElement e, string path)
        {
            if (!Expect(e, JsonValueKind.Object, path))
            {
                return null;
            }

            if (e.TryGetProperty("all", out var all) || e.TryGetProperty("any", out all))
            {
                string name = e.TryGetProperty("all", out _) ? "all" : "any";
                CheckProperties(e, path, name);
                var items = ReadArray(e, name, path, ReadCondition);
                if (all.ValueKind == JsonValueKind.Array && all.GetArrayLength() == 0)
                {
                    Error($"{path}.{name}", "an empty list; give at least one condition");
                }

                return items.Length != all.GetArrayLengthOrZero() ? null : name == "all" ? new Condition.All(items) : new Condition.Any(items);
            }

            if (e.TryGetProperty("not", out var not))
            {
                CheckProperties(e, path, "not");
                var inner = ReadCondition(not, path + ".not");
                return inner is null ? null : new Condition.Negated(inner);
            }

            if (!e.TryGetProperty("field", out var fieldElement))
            {
                Error(path, "a condition needs 'field' with an operator, or 'all', 'any' or 'not'");
                return null;
            }

            string[] allowed = ["field", .. FieldOperators];
            CheckProperties(e, path, allowed);
            string? field = RequiredString(e, "field", path);
            string? opName = null;
            JsonElement operand = default;
            foreach (var p in e.EnumerateObject())
            {
                if (p.Name == "field" || Array.IndexOf(FieldOperators, p.Name) < 0)
                {
                    continue;
                }

                if (opName is not null)
                {
                    Error(path, $"a condition takes one operator; found '{opName}' and '{p.Name}'");
                    return null;
                }

                opName = p.Name;
                operand = p.Value;
            }

            if (opName is null)
            {
                Error(path, $"missing operator; expected one of {string.Join(", ", FieldOperators)}");
                return null;
            }

            string opPath = $"{path}.{opName}";
            ImmutableArray<ConditionValue> values;
            ConditionOperator op;
            switch (opName)
            {
                case "equals": op = ConditionOperator.Equals; values = Scalar(operand, opPath); break;
                case "gt": op = ConditionOperator.GreaterThan; values = Number(operand, opPath); break;
                case "gte": op = ConditionOperator.GreaterThanOrEqual; values = Number(operand, opPath); break;
                case "lt": op = ConditionOperator.LessThan; values = Number(operand, opPath); break;
                case "lte": op = ConditionOperator.LessThanOrEqual; values = Number(operand, opPath); break;
                case "contains": op = ConditionOperator.Contains; values = Text(operand, opPath); break;
                case "startsWith": op = ConditionOperator.StartsWith; values = Text(operand, opPath); break;
                case "in": op = ConditionOperator.In; values = List(operand, opPath, Scalar); break;
                case "containsAny": op = ConditionOperator.ContainsAny; values = List(operand, opPath, Text); break;
                case "between":
                    op = ConditionOperator.Between;
                    values = List(operand, opPath, Number);
                    if (!values.IsDefault && values.Length != 2)
                    {
                        Error(opPath, $"expected [low, high], found {values.Length} value{(values.Length == 1 ? string.Empty : "s")}");
                        values = default;
                    }

                    break;
                default:
                    op = ConditionOperator.IsMissing;
                    values = [];
                    if (operand.ValueKind != JsonValueKind.True)
                    {
                        Error(opPath, "expected true (use {\"not\": ...} for 'is present')");
                        values = default;
                    }

                    break;
            }

            return field is null || values.IsDefault ? null : new FieldCondition(field, op, values);
        }

        private ImmutableArray<ConditionValue> Scalar(JsonElement e, string path) => e.ValueKind switch
        {
            JsonValueKind.String => [ConditionValue.FromText(e.GetString()!)],
            JsonValueKind.Number when e.TryGetDouble(out double d) && double.IsFinite(d) => [ConditionValue.FromNumber(d)],
            JsonValueKind.True => [ConditionValue.FromFlag(true)],
            JsonValueKind.False => [ConditionValue.FromFlag(false)],
            _ => Fail<ImmutableArray<ConditionValue>>(path, $"expected a text, number or true/false, found {Show(e)}"),
        };

        private ImmutableArray<ConditionValue> Number(JsonElement e, string path) =>
            e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double d) && double.IsFinite(d)
                ? [ConditionValue.FromNumber(d)]
                : Fail<ImmutableArray<ConditionValue>>(path, $"expected a number, found {Show(e)}");

        private ImmutableArray<ConditionValue> Text(JsonElement e, string path) =>
            e.ValueKind == JsonValueKind.String
                ? [ConditionValue.FromText(e.GetString()!)]
                : Fail<ImmutableArray<ConditionValue>>(path, $"expected a text, found {Show(e)}");

        private ImmutableArray<ConditionValue> List(JsonElement e, string path, Func<JsonElement, string, ImmutableArray<ConditionValue>> item)
        {
            if (e.ValueKind != JsonValueKind.Array)
            {
                return Fail<ImmutableArray<ConditionValue>>(path, $"expected a list, found {Show(e)}");
            }

            var result = ImmutableArray.CreateBuilder<ConditionValue>();
            bool ok = true;
            int i = 0;
            foreach (var x in e.EnumerateArray())
            {
                var v = item(x, $"{path}[{i++}]");
                if (v.IsDefault)
                {
                    ok = false;
                }
                else
                {
                    result.AddRange(v);
                }
            }

            return ok ? result.ToImmutable() : default;
        }

        private ImmutableArray<T> ReadArray<T>(JsonElement obj, string name, string path, Func<JsonElement, string, T?> read)
        {
            if (!obj.TryGetProperty(name, out var arr))
            {
                return [];
            }

            string p = $"{path}.{name}";
            if (!Expect(arr, JsonValueKind.Array, p))
            {
                return [];
            }

            var result = ImmutableArray.CreateBuilder<T>();
            int i = 0;
            foreach (var item in arr.EnumerateArray())
            {
                var value = read(item, $"{p}[{i++}]");
                if (value is not null)
                {
                    result.Add(value);
                }
            }

            return result.ToImmutable();
        }

        private void CheckProperties(JsonElement obj, string path, params string[] allowed)
        {
            foreach (var p in obj.EnumerateObject())
            {
                if (Array.IndexOf(allowed, p.Name) < 0)
                {
                    Error($"{path}.{p.Name}", $"unknown property '{p.Name}'; expected one of {string.Join(", ", allowed)}");
                }
            }
        }

        private bool Expect(JsonElement e, JsonValueKind kind, string path)
        {
            if (e.ValueKind == kind)
            {
                return true;
            }

            Error(path, $"expected {(kind == JsonValueKind.Object ? "an object" : kind == JsonValueKind.Array ? "a list" : kind.ToString())}, found {Show(e)}");
            return false;
        }

        private string? RequiredString(JsonElement obj, string name, string path)
        {
            if (!obj.TryGetProperty(name, out var v))
            {
                Error(path, $"missing required property '{name}'");
                return null;
            }

            if (v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString()))
            {
                Error($"{path}.{name}", $"expected a non-empty text, found {Show(v)}");
                return null;
            }

            return v.GetString();
        }

        private string? OptionalString(JsonElement obj, string name, string path)
        {
            // An optional property is either absent or has a value: null is an error, never a silent "not set".
            if (!obj.TryGetProperty(name, out var v))
            {
                return null;
            }

            if (v.ValueKind != JsonValueKind.String)
            {
                Error($"{path}.{name}", $"expected a text, found {Show(v)}");
                return null;
            }

            return v.GetString();
        }

        private decimal? OptionalDecimal(JsonElement obj, string name, string path)
        {
            // An optional property is either absent or has a value: null is an error, never a silent "not set".
            if (!obj.TryGetProperty(name, out var v))
            {
                return null;
            }

            if (v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out decimal d))
            {
                return d;
            }

            Error($"{path}.{name}", $"expected a number, found {Show(v)}");
            return null;
        }

        private int? OptionalInt(JsonElement obj, string name, string path)
        {
            // An optional property is either absent or has a value: null is an error, never a silent "not set".
            if (!obj.TryGetProperty(name, out var v))
            {
                return null;
            }

            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i))
            {
                return i;
            }

            Error($"{path}.{name}", $"expected a whole number, found {Show(v)}");
            return null;
        }

        private T? Fail<T>(string path, string message)
        {
            Error(path, message);
            return default;
        }

        private static string Kind(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            JsonValueKind.String => "a text",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "true/false",
            JsonValueKind.Null => "null",
            _ => "nothing",
        };

        private static string Show(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => $"{Kind(e)} {Truncate(e.GetRawText())}",
            _ => Kind(e),
        };

        private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
    }

    private static int GetArrayLengthOrZero(this JsonElement e) => e.ValueKind == JsonValueKind.Array ? e.GetArrayLength() : 0;

    private static class Writer
    {
        public static void WriteModel(Utf8JsonWriter w, ScoringModelDefinition d)
        {
            w.WriteStartObject();
            w.WriteString("id", d.Id);
            w.WriteString("version", d.Version);
            if (d.ChangeNote is not null)
            {
                w.WriteString("changeNote", d.ChangeNote);
            }

            w.WriteString("textComparison", d.TextComparison == TextComparison.Ordinal ? "ordinal" : "ignoreCase");
            w.WriteStartArray("attributes");
            foreach (var a in d.Attributes)
            {
                w.WriteStartObject();
                w.WriteString("name", a.Name);
                w.WriteString("type", a.Kind switch { AttributeKind.Text => "text", AttributeKind.Boolean => "boolean", _ => "number" });
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("categories");
            foreach (var c in d.Categories)
            {
                w.WriteStartObject();
                w.WriteString("id", c.Id);
                if (c.Cap is decimal cap)
                {
                    w.WriteNumber("cap", cap);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("thresholds");
            WriteThreshold(w, "mql", d.Mql);
            if (d.Hot is not null)
            {
                WriteThreshold(w, "hot", d.Hot);
            }

            w.WriteEndObject();
            WriteSection(w, "fit", d.Rules.Where(r => r.Component == ScoreComponent.Fit));
            WriteSection(w, "engagement", d.Rules.Where(r => r.Component == ScoreComponent.Engagement));
            WriteSection(w, "negative", d.Rules.Where(r => r.Component == ScoreComponent.Negative));
            WriteSection(w, "plugins", d.Rules.Where(r => r.Component == ScoreComponent.Plugin));
            w.WriteEndObject();
        }

        private static void WriteThreshold(Utf8JsonWriter w, string name, ThresholdDefinition t)
        {
            w.WriteStartObject(name);
            w.WriteNumber("score", t.Score);
            w.WriteString("minGrade", t.MinGrade.ToLetter());
            w.WriteEndObject();
        }

        private static void WriteSection(Utf8JsonWriter w, string name, IEnumerable<ScoringRuleDefinition> rules)
        {
            w.WriteStartArray(name);
            foreach (var r in rules)
            {
                w.WriteStartObject();
                w.WriteString("id", r.Id);
                if (r.Description is not null)
                {
                    w.WriteString("description", r.Description);
                }

                switch (r)
                {
                    case ProfileRuleDefinition p:
                        w.WriteNumber("points", p.Points);
                        if (p.GradeSteps != 0)
                        {
                            w.WriteString("grade", p.GradeSteps switch { 1 => "+1/3", 2 => "+2/3", 3 => "+1", -1 => "-1/3", -2 => "-2/3", -3 => "-1", _ => p.GradeSteps.ToString(CultureInfo.InvariantCulture) });
                        }

                        w.WritePropertyName("when");
                        WriteCondition(w, p.When);
                        break;
                    case ActivityRuleDefinition a:
                        w.WriteString("activity", ScoringNames.ActivityName(a.Activity));
                        if (a.UrlContains is not null)
                        {
                            w.WriteString("urlContains", a.UrlContains);
                        }

                        if (a.Campaign is not null)
                        {
                            w.WriteString("campaign", a.Campaign);
                        }

                        w.WriteNumber("points", a.Points);
                        if (a.WindowDays is int win)
                        {
                            w.WriteNumber("windowDays", win);
                        }

                        if (a.Cap is decimal cap)
                        {
                            w.WriteNumber("cap", cap);
                        }

                        if (a.Decay is not null)
                        {
                            w.WriteStartObject("decay");
                            if (a.Decay is DecayDefinition.HalfLife h)
                            {
                                w.WriteNumber("halfLifeDays", h.Days);
                            }
                            else if (a.Decay is DecayDefinition.Stepped s)
                            {
                                w.WriteStartArray("steps");
                                foreach (var step in s.Steps)
                                {
                                    w.WriteStartObject();
                                    w.WriteNumber("afterDays", step.AfterDays);
                                    w.WriteNumber("factor", step.Factor);
                                    w.WriteEndObject();
                                }

                                w.WriteEndArray();
                            }

                            w.WriteEndObject();
                        }

                        break;
                    case InactivityRuleDefinition i:
                        w.WriteNumber("inactiveDays", i.InactiveDays);
                        w.WriteNumber("points", i.Points);
                        break;
                    case PluginRuleDefinition pl:
                        w.WriteString("rule", pl.RuleName);
                        if (pl.Cap is decimal pcap)
                        {
                            w.WriteNumber("cap", pcap);
                        }

                        break;
                }

                if (r.Category != CategoryDefinition.DefaultId)
                {
                    w.WriteString("category", r.Category);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        private static void WriteCondition(Utf8JsonWriter w, Condition c)
        {
            w.WriteStartObject();
            switch (c)
            {
                case Condition.All all:
                    w.WriteStartArray("all");
                    foreach (var x in all.Conditions)
                    {
                        WriteCondition(w, x);
                    }

                    w.WriteEndArray();
                    break;
                case Condition.Any any:
                    w.WriteStartArray("any");
                    foreach (var x in any.Conditions)
                    {
                        WriteCondition(w, x);
                    }

                    w.WriteEndArray();
                    break;
                case Condition.Negated not:
                    w.WritePropertyName("not");
                    WriteCondition(w, not.Inner);
                    break;
                case FieldCondition f:
                    w.WriteString("field", f.Field);
                    string op = FieldCondition.OperatorText(f.Operator);
                    switch (f.Operator)
                    {
                        case ConditionOperator.IsMissing:
                            w.WriteBoolean(op, true);
                            break;
                        case ConditionOperator.In or ConditionOperator.ContainsAny or ConditionOperator.Between:
                            w.WriteStartArray(op);
                            foreach (var v in f.Values)
                            {
                                WriteValue(w, v);
                            }

                            w.WriteEndArray();
                            break;
                        default:
                            w.WritePropertyName(op);
                            WriteValue(w, f.Values[0]);
                            break;
                    }

                    break;
            }

            w.WriteEndObject();
        }

        private static void WriteValue(Utf8JsonWriter w, ConditionValue v)
        {
            if (v.Text is not null)
            {
                w.WriteStringValue(v.Text);
            }
            else if (v.Flag is bool b)
            {
                w.WriteBooleanValue(b);
            }
            else
            {
                w.WriteNumberValue(v.Number);
            }
        }
    }
}
