using System.Collections.Immutable;
using System.Text.Json;

namespace Alignment.Scoring.Definitions;

/// <content>The reader's conditions: all/any/not and field conditions with their operator and operand.</content>
internal static partial class ScoringModelJson
{
    private sealed partial class Reader
    {
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
    }

    private static int GetArrayLengthOrZero(this JsonElement e) => e.ValueKind == JsonValueKind.Array ? e.GetArrayLength() : 0;
}
