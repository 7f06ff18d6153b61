using System.Reflection.Emit;
using Alignment.Scoring.Definitions;

namespace Alignment.Scoring.Compilation;

/// <content>The emitter's branch-free form: a condition's value pushed as 0 or 1 (encoded rows, and number fields over leads).</content>
internal static partial class ProfileKernels
{
    private sealed partial class Emitter
    {
        /// <summary>
        /// Whether a condition can be computed as a 0/1 value without branches: everything over encoded rows (numbers and
        /// symbol ids), and number fields over lead objects. Text tests on objects call string methods and stay branchy.
        /// </summary>
        private bool CanBeBranchless(Condition c) => Leaves(c).All(f => _encoding is not null || !_binder.Resolve(f.Field).IsText);

        /// <summary>Pushes the condition's value as an int 0 or 1, without branches.</summary>
        private void EmitBool(Condition c)
        {
            switch (c)
            {
                case Condition.All all:
                    EmitBool(all.Conditions[0]);
                    for (int i = 1; i < all.Conditions.Length; i++)
                    {
                        EmitBool(all.Conditions[i]);
                        _il.Emit(OpCodes.And);
                    }

                    break;
                case Condition.Any any:
                    EmitBool(any.Conditions[0]);
                    for (int i = 1; i < any.Conditions.Length; i++)
                    {
                        EmitBool(any.Conditions[i]);
                        _il.Emit(OpCodes.Or);
                    }

                    break;
                case Condition.Negated not:
                    EmitBool(not.Inner);
                    _il.Emit(OpCodes.Ldc_I4_1);
                    _il.Emit(OpCodes.Xor);
                    break;
                case FieldCondition f:
                    EmitFieldBool(f);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown condition type {c.GetType().Name}.");
            }
        }

        private void EmitFieldBool(FieldCondition f)
        {
            LocalBuilder x;
            double[] values;
            if (_encoding is not null)
            {
                var field = _encoding.Field(f.Field);
                x = _slots[SlotOf(f)];
                if (field.Binding.IsText)
                {
                    values = f.Operator switch
                    {
                        ConditionOperator.Contains or ConditionOperator.ContainsAny or ConditionOperator.StartsWith => [1d],
                        ConditionOperator.IsMissing => [EncodingPlan.Missing],
                        _ => [.. f.Values.Select(v => (double)field.Symbol(v.Text!))],
                    };
                    EmitAnyEqual(x, values);
                    return;
                }
            }
            else
            {
                x = _fields[_binder.Resolve(f.Field).Name];
            }

            values = [.. f.Values.Select(v => v.Flag is bool b ? (b ? 1d : 0d) : v.Number)];
            switch (f.Operator)
            {
                case ConditionOperator.Equals or ConditionOperator.In:
                    EmitAnyEqual(x, values);
                    break;
                case ConditionOperator.Between:
                    EmitCompare(x, values[0], OpCodes.Clt_Un, negate: true);  // x >= low (NaN: 0)
                    EmitCompare(x, values[1], OpCodes.Cgt_Un, negate: true);  // x <= high (NaN: 0)
                    _il.Emit(OpCodes.And);
                    break;
                case ConditionOperator.GreaterThan:
                    EmitCompare(x, values[0], OpCodes.Cgt, negate: false);
                    break;
                case ConditionOperator.GreaterThanOrEqual:
                    EmitCompare(x, values[0], OpCodes.Clt_Un, negate: true);
                    break;
                case ConditionOperator.LessThan:
                    EmitCompare(x, values[0], OpCodes.Clt, negate: false);
                    break;
                case ConditionOperator.LessThanOrEqual:
                    EmitCompare(x, values[0], OpCodes.Cgt_Un, negate: true);
                    break;
                case ConditionOperator.IsMissing:
                    _il.Emit(OpCodes.Ldloc, x); // NaN is the only value not equal to itself
                    _il.Emit(OpCodes.Ldloc, x);
                    _il.Emit(OpCodes.Ceq);
                    _il.Emit(OpCodes.Ldc_I4_1);
                    _il.Emit(OpCodes.Xor);
                    break;
                default:
                    throw new InvalidOperationException($"Operator {f.Operator} does not apply to number field '{f.Field}'.");
            }
        }

        private void EmitAnyEqual(LocalBuilder x, double[] values)
        {
            for (int i = 0; i < values.Length; i++)
            {
                _il.Emit(OpCodes.Ldloc, x);
                _il.Emit(OpCodes.Ldc_R8, values[i]);
                _il.Emit(OpCodes.Ceq);
                if (i > 0)
                {
                    _il.Emit(OpCodes.Or);
                }
            }
        }

        private void EmitCompare(LocalBuilder x, double value, OpCode compare, bool negate)
        {
            _il.Emit(OpCodes.Ldloc, x);
            _il.Emit(OpCodes.Ldc_R8, value);
            _il.Emit(compare);
            if (negate)
            {
                _il.Emit(OpCodes.Ldc_I4_1);
                _il.Emit(OpCodes.Xor);
            }
        }
    }
}
