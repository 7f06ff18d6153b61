using System.Collections.Immutable;
using System.Text.Json;
using Alignment.Leads;
using Alignment.Models;

namespace Alignment.Scoring.Definitions;

/// <content>The reader: the model's top level (attributes, categories, thresholds) and the helpers that check properties and values.</content>
internal static partial class ScoringModelJson
{
    private sealed partial class Reader
    {
        public List<ModelError> Errors { get; } = [];

        private void Error(string path, string message) => Errors.Add(new ModelError(path, message));

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
}
