using System.Diagnostics.CodeAnalysis;
using System.Reflection.Emit;
using Alignment.Scoring.Definitions;

namespace Alignment.Scoring.Compilation;

/// <content>The IL emitter's state and the kernel shapes it emits: the packed sum, the per-rule matches, the hoisted field reads.</content>
internal static partial class ProfileKernels
{
    /// <summary>Emits one kernel as a <see cref="DynamicMethod"/>; argument 0 holds the kernel's reference constants.</summary>
    [RequiresDynamicCode(EmitsIl)]
    private sealed partial class Emitter
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

        private void EmitConstant(object value)
        {
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Ldc_I4, _constants.Count);
            _il.Emit(OpCodes.Ldelem_Ref);
            _il.Emit(OpCodes.Castclass, value.GetType());
            _constants.Add(value);
        }
    }
}
