using System.Buffers;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Alignment.Leads;
using Alignment.Scoring.Definitions;

namespace Alignment.Scoring.Compilation;

/// <summary>
/// Compiles profile (fit and negative-profile) conditions once into delegates: over <see cref="Lead"/> objects, and over the
/// encoded batch format. A kernel returns, for its group of rules, Σ(points·65536 + gradeSteps) over the rules that hold, so
/// one addition per matching rule carries both the points (in hundredths) and the grade steps.
/// </summary>
/// <remarks>
/// Kernels are emitted as IL straight from the condition trees (a 200-rule model compiles in a few milliseconds). Where the
/// runtime cannot compile IL (NativeAOT), or when <see cref="ScoringModelOptions.PreferInterpretation"/> is set, the same
/// conditions are evaluated by closures built once from the trees instead: same results, slower.
/// </remarks>
internal static class ProfileKernels
{
    public const int PackShift = 16;

    /// <summary>The most <see cref="Weight"/> one emitted method takes (a 200-rule model weighs about 600).</summary>
    internal const int MaxWeightPerMethod = 4096;

    private static readonly MethodInfo StringEquals = ((Func<string?, string?, bool>)string.Equals).Method;
    private static readonly MethodInfo StringEqualsCmp = ((Func<string?, string?, StringComparison, bool>)string.Equals).Method;
    private static readonly MethodInfo StringContains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string), typeof(StringComparison)])!;
    private static readonly MethodInfo StringStartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string), typeof(StringComparison)])!;
    private static readonly MethodInfo IsNullOrEmpty = ((Func<string?, bool>)string.IsNullOrEmpty).Method;
    private static readonly MethodInfo IsNaN = ((Func<double, bool>)double.IsNaN).Method;
    private static readonly MethodInfo ContainsAnyPiece = ((Func<string?, SearchValues<string>, bool>)TextOps.ContainsAny).Method;
    private static readonly MethodInfo InSet = ((Func<string?, FrozenSet<string>, bool>)TextOps.InSet).Method;

    private const string EmitsIl = "Emits IL. Callers check RuntimeFeature.IsDynamicCodeCompiled first and use the Interpreter where it is false (NativeAOT).";

    public static long Pack(long pointsHundredths, int gradeSteps) => (pointsHundredths << PackShift) + gradeSteps;

    public static void Unpack(long packed, out long pointsHundredths, out int gradeSteps)
    {
        gradeSteps = (short)(packed & 0xFFFF);
        pointsHundredths = (packed - gradeSteps) >> PackShift;
    }

    /// <summary>Compiles <c>Func&lt;Lead, long&gt;</c> summing the packed values of the given rules whose condition holds.</summary>
    public static Func<Lead, long> CompileObjectKernel(IReadOnlyList<ProfileRulePlan> rules, Binder binder, bool interpret)
    {
        if (interpret || !RuntimeFeature.IsDynamicCodeCompiled)
        {
            var tests = rules.Select(r => Interpreter.ForLead(r.Definition.When, binder)).ToArray();
            long[] packed = [.. rules.Select(r => Pack(r.PointsHundredths, r.GradeSteps))];
            return lead =>
            {
                long sum = 0;
                for (int i = 0; i < tests.Length; i++)
                {
                    if (tests[i](lead))
                    {
                        sum += packed[i];
                    }
                }

                return sum;
            };
        }

        return EmitObjectKernel(rules, binder);
    }

    [RequiresDynamicCode(EmitsIl)]
    private static Func<Lead, long> EmitObjectKernel(IReadOnlyList<ProfileRulePlan> rules, Binder binder)
    {
        var parts = Chunks(rules).Select(chunk =>
        {
            var e = new Emitter("ProfileKernel", typeof(long), [typeof(object[]), typeof(Lead)], binder, encoding: null);
            e.EmitSum(chunk);
            return e.Create<Func<Lead, long>>();
        }).ToArray();
        return parts.Length == 1 ? parts[0] : lead =>
        {
            long sum = 0;
            foreach (var part in parts)
            {
                sum += part(lead);
            }

            return sum;
        };
    }

    /// <summary>Compiles <c>Action&lt;Lead, bool[]&gt;</c> writing, for each rule, whether its condition holds (explanations only).</summary>
    public static Action<Lead, bool[]> CompileObjectMatches(IReadOnlyList<ProfileRulePlan> rules, Binder binder, bool interpret)
    {
        if (interpret || !RuntimeFeature.IsDynamicCodeCompiled)
        {
            var tests = rules.Select(r => (r.Index, Test: Interpreter.ForLead(r.Definition.When, binder))).ToArray();
            return (lead, matched) =>
            {
                foreach (var (index, test) in tests)
                {
                    matched[index] = test(lead);
                }
            };
        }

        return EmitObjectMatches(rules, binder);
    }

    [RequiresDynamicCode(EmitsIl)]
    private static Action<Lead, bool[]> EmitObjectMatches(IReadOnlyList<ProfileRulePlan> rules, Binder binder)
    {
        var parts = Chunks(rules).Select(chunk =>
        {
            var e = new Emitter("ProfileMatches", typeof(void), [typeof(object[]), typeof(Lead), typeof(bool[])], binder, encoding: null);
            e.EmitMatches(chunk, matchedArg: 2);
            return e.Create<Action<Lead, bool[]>>();
        }).ToArray();
        return parts.Length == 1 ? parts[0] : (lead, matched) =>
        {
            foreach (var part in parts)
            {
                part(lead, matched);
            }
        };
    }

    /// <summary>Compiles <c>Func&lt;double[], int, long&gt;</c>: the same kernel over an encoded row starting at the given offset.</summary>
    public static Func<double[], int, long> CompileEncodedKernel(IReadOnlyList<ProfileRulePlan> rules, EncodingPlan encoding, Binder binder, bool interpret)
    {
        if (interpret || !RuntimeFeature.IsDynamicCodeCompiled)
        {
            var tests = rules.Select(r => Interpreter.ForRow(r.Definition.When, encoding)).ToArray();
            long[] packed = [.. rules.Select(r => Pack(r.PointsHundredths, r.GradeSteps))];
            return (data, offset) =>
            {
                long sum = 0;
                for (int i = 0; i < tests.Length; i++)
                {
                    if (tests[i](data, offset))
                    {
                        sum += packed[i];
                    }
                }

                return sum;
            };
        }

        return EmitEncodedKernel(rules, encoding, binder);
    }

    [RequiresDynamicCode(EmitsIl)]
    private static Func<double[], int, long> EmitEncodedKernel(IReadOnlyList<ProfileRulePlan> rules, EncodingPlan encoding, Binder binder)
    {
        var parts = Chunks(rules).Select(chunk =>
        {
            var e = new Emitter("EncodedProfileKernel", typeof(long), [typeof(object[]), typeof(double[]), typeof(int)], binder, encoding);
            e.EmitSum(chunk);
            return e.Create<Func<double[], int, long>>();
        }).ToArray();
        return parts.Length == 1 ? parts[0] : (data, offset) =>
        {
            long sum = 0;
            foreach (var part in parts)
            {
                sum += part(data, offset);
            }

            return sum;
        };
    }

    /// <summary>
    /// Splits the rules, in order, into groups of bounded size, one emitted method each: the JIT's cost grows faster than a
    /// method's size (branches, locals), so one method for 100,000 rules would take minutes where 100 methods take a second.
    /// A model of a few hundred rules is one group. Sums of packed values add the same whatever the grouping.
    /// </summary>
    internal static IEnumerable<IReadOnlyList<ProfileRulePlan>> Chunks(IReadOnlyList<ProfileRulePlan> rules)
    {
        var chunk = new List<ProfileRulePlan>();
        int weight = 0;
        foreach (var rule in rules)
        {
            int w = Weight(rule.Definition.When);
            if (chunk.Count > 0 && weight + w > MaxWeightPerMethod)
            {
                yield return chunk;
                chunk = [];
                weight = 0;
            }

            chunk.Add(rule);
            weight += w;
        }

        if (chunk.Count > 0 || rules.Count == 0)
        {
            yield return chunk;
        }
    }

    /// <summary>About how many branches a condition emits: one per leaf and per literal it compares with.</summary>
    private static int Weight(Condition c)
    {
        int w = 0;
        foreach (var f in Leaves(c))
        {
            w += 1 + (f.Values.IsDefault ? 0 : f.Values.Length);
        }

        return w;
    }

    /// <summary>Resolves field names and knows the model's text comparison.</summary>
    internal sealed class Binder(Func<string, FieldBinding> resolve, TextComparison comparison)
    {
        public FieldBinding Resolve(string name) => resolve(name);

        public StringComparison Comparison { get; } = comparison == TextComparison.Ordinal ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

        public StringComparer Comparer => Comparison == StringComparison.Ordinal ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
    }

    /// <summary>Emits one kernel as a <see cref="DynamicMethod"/>; argument 0 holds the kernel's reference constants.</summary>
    [RequiresDynamicCode(EmitsIl)]
    private sealed class Emitter
    {
        private readonly DynamicMethod _method;
        private readonly ILGenerator _il;
        private readonly Binder _binder;
        private readonly EncodingPlan? _encoding;
        private readonly List<object> _constants = [];
        private readonly Dictionary<string, LocalBuilder> _fields = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<int, LocalBuilder> _slots = [];

        public Emitter(string name, Type returnType, Type[] parameters, Binder binder, EncodingPlan? encoding)
        {
            _method = new DynamicMethod(name, returnType, parameters, typeof(ProfileKernels).Module, skipVisibility: true);
            _il = _method.GetILGenerator();
            _binder = binder;
            _encoding = encoding;
        }

        public T Create<T>()
            where T : Delegate => (T)_method.CreateDelegate(typeof(T), _constants.ToArray());

        public void EmitSum(IReadOnlyList<ProfileRulePlan> rules)
        {
            Hoist(rules);
            var sum = _il.DeclareLocal(typeof(long));
            _il.Emit(OpCodes.Ldc_I8, 0L);
            _il.Emit(OpCodes.Stloc, sum);
            foreach (var rule in rules)
            {
                long packed = Pack(rule.PointsHundredths, rule.GradeSteps);
                if (CanBeBranchless(rule.Definition.When))
                {
                    // sum += condition (0 or 1) * packed: no branch to mispredict on data-dependent conditions.
                    _il.Emit(OpCodes.Ldloc, sum);
                    EmitBool(rule.Definition.When);
                    _il.Emit(OpCodes.Conv_I8);
                    _il.Emit(OpCodes.Ldc_I8, packed);
                    _il.Emit(OpCodes.Mul);
                    _il.Emit(OpCodes.Add);
                    _il.Emit(OpCodes.Stloc, sum);
                    continue;
                }

                var skip = _il.DefineLabel();
                EmitCondition(rule.Definition.When, skip);
                _il.Emit(OpCodes.Ldloc, sum);
                _il.Emit(OpCodes.Ldc_I8, packed);
                _il.Emit(OpCodes.Add);
                _il.Emit(OpCodes.Stloc, sum);
                _il.MarkLabel(skip);
            }

            _il.Emit(OpCodes.Ldloc, sum);
            _il.Emit(OpCodes.Ret);
        }

        public void EmitMatches(IReadOnlyList<ProfileRulePlan> rules, short matchedArg)
        {
            Hoist(rules);
            // The evaluation stack is empty at every branch: values left on it across branches make the JIT spill them into
            // new temporaries per rule, and its cost then grows faster than the number of rules.
            foreach (var rule in rules)
            {
                var isFalse = _il.DefineLabel();
                var next = _il.DefineLabel();
                EmitCondition(rule.Definition.When, isFalse);
                EmitStoreMatched(matchedArg, rule.Index, true);
                _il.Emit(OpCodes.Br, next);
                _il.MarkLabel(isFalse);
                EmitStoreMatched(matchedArg, rule.Index, false);
                _il.MarkLabel(next);
            }

            _il.Emit(OpCodes.Ret);
        }

        private void EmitStoreMatched(short matchedArg, int index, bool value)
        {
            _il.Emit(OpCodes.Ldarg, matchedArg);
            _il.Emit(OpCodes.Ldc_I4, index);
            _il.Emit(value ? OpCodes.Ldc_I4_1 : OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Stelem_I1);
        }

        /// <summary>Reads every field (or encoded slot) the rules use into a local, once, at the top of the kernel.</summary>
        private void Hoist(IReadOnlyList<ProfileRulePlan> rules)
        {
            foreach (var rule in rules)
            {
                foreach (var f in Leaves(rule.Definition.When))
                {
                    if (_encoding is null)
                    {
                        var binding = _binder.Resolve(f.Field);
                        if (!_fields.ContainsKey(binding.Name))
                        {
                            var local = _il.DeclareLocal(binding.IsText ? typeof(string) : typeof(double));
                            binding.EmitRead(_il, leadArg: 1);
                            _il.Emit(OpCodes.Stloc, local);
                            _fields.Add(binding.Name, local);
                        }
                    }
                    else
                    {
                        int slot = SlotOf(f);
                        if (!_slots.ContainsKey(slot))
                        {
                            var local = _il.DeclareLocal(typeof(double));
                            _il.Emit(OpCodes.Ldarg_1);
                            _il.Emit(OpCodes.Ldarg_2);
                            _il.Emit(OpCodes.Ldc_I4, slot);
                            _il.Emit(OpCodes.Add);
                            _il.Emit(OpCodes.Ldelem_R8);
                            _il.Emit(OpCodes.Stloc, local);
                            _slots.Add(slot, local);
                        }
                    }
                }
            }
        }

        private int SlotOf(FieldCondition f)
        {
            var field = _encoding!.Field(f.Field);
            return field.Binding.IsText && f.Operator is ConditionOperator.Contains or ConditionOperator.ContainsAny or ConditionOperator.StartsWith
                ? _encoding.PredicateSlot(f)
                : field.ValueSlot;
        }

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

        private void EmitConstant(object value)
        {
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Ldc_I4, _constants.Count);
            _il.Emit(OpCodes.Ldelem_Ref);
            _il.Emit(OpCodes.Castclass, value.GetType());
            _constants.Add(value);
        }
    }

    internal static IEnumerable<FieldCondition> Leaves(Condition c) => c switch
    {
        Condition.All all => all.Conditions.SelectMany(Leaves),
        Condition.Any any => any.Conditions.SelectMany(Leaves),
        Condition.Negated not => Leaves(not.Inner),
        FieldCondition f => [f],
        _ => [],
    };

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
