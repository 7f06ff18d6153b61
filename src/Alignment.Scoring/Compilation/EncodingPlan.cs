using System.Collections.Frozen;
using Alignment.Leads;
using Alignment.Scoring.Definitions;

namespace Alignment.Scoring.Compilation;

/// <summary>
/// The layout of the encoded batch format: one row of doubles per lead. A number field takes one slot (NaN when missing);
/// a text field used with equals/in/isMissing takes one slot holding the value's symbol id (−1: a value no rule names,
/// −2: missing); each contains/containsAny/startsWith test takes one slot holding 1 or 0, computed when encoding.
/// </summary>
internal sealed class EncodingPlan
{
    public const double Unknown = -1d;
    public const double Missing = -2d;

    private readonly Dictionary<string, EncodedField> _fields = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<FieldCondition, int> _predicates = [];
    private readonly List<(FieldBinding Field, FieldCondition Condition, int Slot)> _predicateList = [];
    private readonly StringComparison _comparison;
    private readonly StringComparer _comparer;

    public EncodingPlan(IEnumerable<Condition> conditions, ProfileKernels.Binder binder)
    {
        _comparison = binder.Comparison;
        _comparer = binder.Comparer;
        foreach (var c in conditions)
        {
            Visit(c, binder);
        }

        foreach (var f in _fields.Values)
        {
            f.Freeze();
        }
    }

    public int Stride { get; private set; }

    public EncodedField Field(string name) => _fields[name];

    public int PredicateSlot(FieldCondition condition) => _predicates[condition];

    public void EncodeRow(Lead lead, Span<double> row)
    {
        foreach (var f in _fields.Values)
        {
            if (f.ValueSlot < 0)
            {
                continue;
            }

            if (f.Binding.IsText)
            {
                string? text = f.Binding.ReadText(lead);
                row[f.ValueSlot] = string.IsNullOrEmpty(text) ? Missing : f.Lookup(text);
            }
            else
            {
                row[f.ValueSlot] = f.Binding.ReadNumber(lead);
            }
        }

        foreach (var (field, condition, slot) in _predicateList)
        {
            string? text = field.ReadText(lead);
            bool holds = false;
            if (!string.IsNullOrEmpty(text))
            {
                foreach (var v in condition.Values)
                {
                    if (condition.Operator == ConditionOperator.StartsWith ? text.StartsWith(v.Text!, _comparison) : text.Contains(v.Text!, _comparison))
                    {
                        holds = true;
                        break;
                    }
                }
            }

            row[slot] = holds ? 1d : 0d;
        }
    }

    private void Visit(Condition c, ProfileKernels.Binder binder)
    {
        switch (c)
        {
            case Condition.All all:
                foreach (var x in all.Conditions)
                {
                    Visit(x, binder);
                }

                break;
            case Condition.Any any:
                foreach (var x in any.Conditions)
                {
                    Visit(x, binder);
                }

                break;
            case Condition.Negated not:
                Visit(not.Inner, binder);
                break;
            case FieldCondition f:
                var binding = binder.Resolve(f.Field);
                if (!_fields.TryGetValue(binding.Name, out var field))
                {
                    field = new EncodedField(binding, _comparer);
                    _fields.Add(binding.Name, field);
                }

                if (binding.IsText && f.Operator is ConditionOperator.Contains or ConditionOperator.ContainsAny or ConditionOperator.StartsWith)
                {
                    if (!_predicates.ContainsKey(f))
                    {
                        _predicates.Add(f, Stride);
                        _predicateList.Add((binding, f, Stride));
                        Stride++;
                    }

                    break;
                }

                if (field.ValueSlot < 0)
                {
                    field.ValueSlot = Stride++;
                }

                if (binding.IsText)
                {
                    foreach (var v in f.Values)
                    {
                        field.AddSymbol(v.Text!);
                    }
                }

                break;
        }
    }

    /// <summary>One field of the encoded format, with its symbol table when it is text.</summary>
    /// <remarks>
    /// Symbols are interned by hash with the model's comparer as the conditions are visited: a value gets the id of the first
    /// value equal to it under that comparer (ids in order of first appearance), in constant time per value.
    /// </remarks>
    internal sealed class EncodedField(FieldBinding binding, StringComparer comparer)
    {
        private readonly Dictionary<string, int> _building = new(comparer);
        private FrozenDictionary<string, int>? _lookup;

        public FieldBinding Binding { get; } = binding;

        public int ValueSlot { get; set; } = -1;

        public void AddSymbol(string value) => _building.TryAdd(value, _building.Count);

        public void Freeze() => _lookup = _building.ToFrozenDictionary(_building.Comparer);

        public int Symbol(string value) => _lookup![value];

        public double Lookup(string value) => _lookup!.TryGetValue(value, out int id) ? id : Unknown;
    }
}
