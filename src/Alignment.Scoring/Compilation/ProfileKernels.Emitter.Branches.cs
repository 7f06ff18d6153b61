using System.Buffers;
using System.Collections.Frozen;
using System.Reflection;
using System.Reflection.Emit;
using Alignment.Scoring.Definitions;

namespace Alignment.Scoring.Compilation;

/// <content>The emitter's branching form: a condition falls through when it holds and jumps when not (text fields over leads, per-rule matches).</content>
internal static partial class ProfileKernels
{
    private static readonly MethodInfo StringEquals = ((Func<string?, string?, bool>)string.Equals).Method;
    private static readonly MethodInfo StringEqualsCmp = ((Func<string?, string?, StringComparison, bool>)string.Equals).Method;
    private static readonly MethodInfo StringContains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string), typeof(StringComparison)])!;
    private static readonly MethodInfo StringStartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string), typeof(StringComparison)])!;
    private static readonly MethodInfo IsNullOrEmpty = ((Func<string?, bool>)string.IsNullOrEmpty).Method;
    private static readonly MethodInfo IsNaN = ((Func<double, bool>)double.IsNaN).Method;
    private static readonly MethodInfo ContainsAnyPiece = ((Func<string?, SearchValues<string>, bool>)TextOps.ContainsAny).Method;
    private static readonly MethodInfo InSet = ((Func<string?, FrozenSet<string>, bool>)TextOps.InSet).Method;

    private sealed partial class Emitter
    {
        /// <summary>Emits code that falls through when the condition holds and jumps to <paramref name="ifFalse"/> when not.</summary>
        private void EmitCondition(Condition c, Label ifFalse)
        {
            switch (c)
            {
                case Condition.All all:
                    foreach (var x in all.Conditions)
                    {
                        EmitCondition(x, ifFalse);
                    }

                    break;
                case Condition.Any any:
                    var ifTrue = _il.DefineLabel();
                    for (int i = 0; i < any.Conditions.Length - 1; i++)
                    {
                        var next = _il.DefineLabel();
                        EmitCondition(any.Conditions[i], next);
                        _il.Emit(OpCodes.Br, ifTrue);
                        _il.MarkLabel(next);
                    }

                    EmitCondition(any.Conditions[^1], ifFalse);
                    _il.MarkLabel(ifTrue);
                    break;
                case Condition.Negated not:
                    var innerFalse = _il.DefineLabel();
                    EmitCondition(not.Inner, innerFalse);
                    _il.Emit(OpCodes.Br, ifFalse);
                    _il.MarkLabel(innerFalse);
                    break;
                case FieldCondition f:
                    EmitField(f, ifFalse);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown condition type {c.GetType().Name}.");
            }
        }

        private void EmitField(FieldCondition f, Label ifFalse)
        {
            if (_encoding is not null)
            {
                EmitEncodedField(f, ifFalse);
                return;
            }

            var binding = _binder.Resolve(f.Field);
            var x = _fields[binding.Name];
            if (!binding.IsText)
            {
                EmitNumber(f, x, ifFalse);
                return;
            }

            switch (f.Operator)
            {
                case ConditionOperator.Equals:
                    EmitTextEquals(x, f.Values[0].Text!);
                    _il.Emit(OpCodes.Brfalse, ifFalse);
                    break;
                case ConditionOperator.In when f.Values.Length <= 8:
                    var found = _il.DefineLabel();
                    foreach (var v in f.Values)
                    {
                        EmitTextEquals(x, v.Text!);
                        _il.Emit(OpCodes.Brtrue, found);
                    }

                    _il.Emit(OpCodes.Br, ifFalse);
                    _il.MarkLabel(found);
                    break;
                case ConditionOperator.In:
                    _il.Emit(OpCodes.Ldloc, x);
                    EmitConstant(f.Values.Select(v => v.Text!).ToFrozenSet(_binder.Comparer));
                    _il.Emit(OpCodes.Call, InSet);
                    _il.Emit(OpCodes.Brfalse, ifFalse);
                    break;
                case ConditionOperator.Contains or ConditionOperator.ContainsAny when f.Values.Length == 1:
                    EmitTextCall(x, StringContains, f.Values[0].Text!, ifFalse);
                    break;
                case ConditionOperator.ContainsAny:
                    _il.Emit(OpCodes.Ldloc, x);
                    EmitConstant(SearchValues.Create([.. f.Values.Select(v => v.Text!)], _binder.Comparison));
                    _il.Emit(OpCodes.Call, ContainsAnyPiece);
                    _il.Emit(OpCodes.Brfalse, ifFalse);
                    break;
                case ConditionOperator.StartsWith:
                    EmitTextCall(x, StringStartsWith, f.Values[0].Text!, ifFalse);
                    break;
                case ConditionOperator.IsMissing:
                    _il.Emit(OpCodes.Ldloc, x);
                    _il.Emit(OpCodes.Call, IsNullOrEmpty);
                    _il.Emit(OpCodes.Brfalse, ifFalse);
                    break;
                default:
                    throw new InvalidOperationException($"Operator {f.Operator} does not apply to text field '{f.Field}'.");
            }
        }

        private void EmitEncodedField(FieldCondition f, Label ifFalse)
        {
            var field = _encoding!.Field(f.Field);
            var s = _slots[SlotOf(f)];
            if (!field.Binding.IsText)
            {
                EmitNumber(f, s, ifFalse);
                return;
            }

            switch (f.Operator)
            {
                case ConditionOperator.Contains or ConditionOperator.ContainsAny or ConditionOperator.StartsWith:
                    EmitDoubleEquals(s, 1d, ifFalse);
                    break;
                case ConditionOperator.IsMissing:
                    EmitDoubleEquals(s, EncodingPlan.Missing, ifFalse);
                    break;
                case ConditionOperator.Equals or ConditionOperator.In:
                    var found = _il.DefineLabel();
                    foreach (var v in f.Values)
                    {
                        _il.Emit(OpCodes.Ldloc, s);
                        _il.Emit(OpCodes.Ldc_R8, (double)field.Symbol(v.Text!));
                        _il.Emit(OpCodes.Beq, found);
                    }

                    _il.Emit(OpCodes.Br, ifFalse);
                    _il.MarkLabel(found);
                    break;
                default:
                    throw new InvalidOperationException($"Operator {f.Operator} does not apply to text field '{f.Field}'.");
            }
        }

        private void EmitNumber(FieldCondition f, LocalBuilder x, Label ifFalse)
        {
            static double Value(ConditionValue v) => v.Flag is bool b ? (b ? 1d : 0d) : v.Number;
            switch (f.Operator)
            {
                case ConditionOperator.Equals:
                    EmitDoubleEquals(x, Value(f.Values[0]), ifFalse);
                    break;
                case ConditionOperator.In:
                    var found = _il.DefineLabel();
                    foreach (var v in f.Values)
                    {
                        _il.Emit(OpCodes.Ldloc, x);
                        _il.Emit(OpCodes.Ldc_R8, Value(v));
                        _il.Emit(OpCodes.Beq, found);
                    }

                    _il.Emit(OpCodes.Br, ifFalse);
                    _il.MarkLabel(found);
                    break;
                case ConditionOperator.Between:
                    Compare(x, Value(f.Values[0]), OpCodes.Blt_Un, ifFalse); // x < low, or NaN
                    Compare(x, Value(f.Values[1]), OpCodes.Bgt_Un, ifFalse); // x > high, or NaN
                    break;
                case ConditionOperator.GreaterThan:
                    Compare(x, Value(f.Values[0]), OpCodes.Ble_Un, ifFalse);
                    break;
                case ConditionOperator.GreaterThanOrEqual:
                    Compare(x, Value(f.Values[0]), OpCodes.Blt_Un, ifFalse);
                    break;
                case ConditionOperator.LessThan:
                    Compare(x, Value(f.Values[0]), OpCodes.Bge_Un, ifFalse);
                    break;
                case ConditionOperator.LessThanOrEqual:
                    Compare(x, Value(f.Values[0]), OpCodes.Bgt_Un, ifFalse);
                    break;
                case ConditionOperator.IsMissing:
                    _il.Emit(OpCodes.Ldloc, x);
                    _il.Emit(OpCodes.Call, IsNaN);
                    _il.Emit(OpCodes.Brfalse, ifFalse);
                    break;
                default:
                    throw new InvalidOperationException($"Operator {f.Operator} does not apply to number field '{f.Field}'.");
            }
        }

        /// <summary>Jumps to <paramref name="ifFalse"/> when the unordered comparison <paramref name="branchIfFails"/> holds (NaN always fails).</summary>
        private void Compare(LocalBuilder x, double value, OpCode branchIfFails, Label ifFalse)
        {
            _il.Emit(OpCodes.Ldloc, x);
            _il.Emit(OpCodes.Ldc_R8, value);
            _il.Emit(branchIfFails, ifFalse);
        }

        private void EmitDoubleEquals(LocalBuilder x, double value, Label ifFalse)
        {
            _il.Emit(OpCodes.Ldloc, x);
            _il.Emit(OpCodes.Ldc_R8, value);
            _il.Emit(OpCodes.Bne_Un, ifFalse); // not equal, or NaN
        }

        private void EmitTextEquals(LocalBuilder x, string value)
        {
            _il.Emit(OpCodes.Ldloc, x);
            _il.Emit(OpCodes.Ldstr, value);
            if (_binder.Comparison == StringComparison.Ordinal)
            {
                _il.Emit(OpCodes.Call, StringEquals);
            }
            else
            {
                _il.Emit(OpCodes.Ldc_I4, (int)_binder.Comparison);
                _il.Emit(OpCodes.Call, StringEqualsCmp);
            }
        }

        private void EmitTextCall(LocalBuilder x, MethodInfo method, string value, Label ifFalse)
        {
            _il.Emit(OpCodes.Ldloc, x);
            _il.Emit(OpCodes.Brfalse, ifFalse);
            _il.Emit(OpCodes.Ldloc, x);
            _il.Emit(OpCodes.Ldstr, value);
            _il.Emit(OpCodes.Ldc_I4, (int)_binder.Comparison);
            _il.Emit(OpCodes.Callvirt, method);
            _il.Emit(OpCodes.Brfalse, ifFalse);
        }
    }
}
