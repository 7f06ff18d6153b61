using Alignment.Leads;
using Alignment.Scoring.Definitions;

namespace Alignment.Scoring.Compilation;

/// <content>The interpreter: closures over the condition trees, used where IL cannot be compiled or interpretation is preferred.</content>
internal static partial class ProfileKernels
{
    /// <summary>Evaluates conditions with closures built once from the trees: the fallback where IL cannot be compiled.</summary>
    private static class Interpreter
    {
        public static Func<Lead, bool> ForLead(Condition c, Binder binder)
        {
            switch (c)
            {
                case Condition.All all:
                {
                    var parts = all.Conditions.Select(x => ForLead(x, binder)).ToArray();
                    return lead => Array.TrueForAll(parts, p => p(lead));
                }

                case Condition.Any any:
                {
                    var parts = any.Conditions.Select(x => ForLead(x, binder)).ToArray();
                    return lead => Array.Exists(parts, p => p(lead));
                }

                case Condition.Negated not:
                {
                    var inner = ForLead(not.Inner, binder);
                    return lead => !inner(lead);
                }

                case FieldCondition f:
                {
                    var b = binder.Resolve(f.Field);
                    if (b.IsText)
                    {
                        var test = Text(f, binder);
                        return lead => test(b.ReadText(lead));
                    }

                    var number = Number(f);
                    return lead => number(b.ReadNumber(lead));
                }

                default:
                    throw new InvalidOperationException($"Unknown condition type {c.GetType().Name}.");
            }
        }

        public static Func<double[], int, bool> ForRow(Condition c, EncodingPlan encoding)
        {
            switch (c)
            {
                case Condition.All all:
                {
                    var parts = all.Conditions.Select(x => ForRow(x, encoding)).ToArray();
                    return (d, o) => Array.TrueForAll(parts, p => p(d, o));
                }

                case Condition.Any any:
                {
                    var parts = any.Conditions.Select(x => ForRow(x, encoding)).ToArray();
                    return (d, o) => Array.Exists(parts, p => p(d, o));
                }

                case Condition.Negated not:
                {
                    var inner = ForRow(not.Inner, encoding);
                    return (d, o) => !inner(d, o);
                }

                case FieldCondition f:
                {
                    var field = encoding.Field(f.Field);
                    if (!field.Binding.IsText)
                    {
                        int slot = field.ValueSlot;
                        var number = Number(f);
                        return (d, o) => number(d[o + slot]);
                    }

                    if (f.Operator is ConditionOperator.Contains or ConditionOperator.ContainsAny or ConditionOperator.StartsWith)
                    {
                        int predicate = encoding.PredicateSlot(f);
                        return (d, o) => d[o + predicate] == 1d;
                    }

                    int valueSlot = field.ValueSlot;
                    if (f.Operator == ConditionOperator.IsMissing)
                    {
                        return (d, o) => d[o + valueSlot] == EncodingPlan.Missing;
                    }

                    double[] symbols = [.. f.Values.Select(v => (double)field.Symbol(v.Text!))];
                    return (d, o) => Array.IndexOf(symbols, d[o + valueSlot]) >= 0;
                }

                default:
                    throw new InvalidOperationException($"Unknown condition type {c.GetType().Name}.");
            }
        }

        private static Func<string?, bool> Text(FieldCondition f, Binder binder)
        {
            var cmp = binder.Comparison;
            string[] values = [.. f.Values.Select(v => v.Text ?? string.Empty)];
            return f.Operator switch
            {
                ConditionOperator.Equals or ConditionOperator.In => x => x is not null && Array.Exists(values, v => string.Equals(x, v, cmp)),
                ConditionOperator.Contains or ConditionOperator.ContainsAny => x => x is not null && Array.Exists(values, v => x.Contains(v, cmp)),
                ConditionOperator.StartsWith => x => x is not null && x.StartsWith(values[0], cmp),
                ConditionOperator.IsMissing => string.IsNullOrEmpty,
                _ => throw new InvalidOperationException($"Operator {f.Operator} does not apply to text field '{f.Field}'."),
            };
        }

        private static Func<double, bool> Number(FieldCondition f)
        {
            double[] values = [.. f.Values.Select(v => v.Flag is bool b ? (b ? 1d : 0d) : v.Number)];
            return f.Operator switch
            {
                ConditionOperator.Equals or ConditionOperator.In => x => Array.IndexOf(values, x) >= 0,
                ConditionOperator.Between => x => x >= values[0] && x <= values[1],
                ConditionOperator.GreaterThan => x => x > values[0],
                ConditionOperator.GreaterThanOrEqual => x => x >= values[0],
                ConditionOperator.LessThan => x => x < values[0],
                ConditionOperator.LessThanOrEqual => x => x <= values[0],
                ConditionOperator.IsMissing => double.IsNaN,
                _ => throw new InvalidOperationException($"Operator {f.Operator} does not apply to number field '{f.Field}'."),
            };
        }
    }
}
