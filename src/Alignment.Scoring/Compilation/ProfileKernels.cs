using System.Buffers;
using System.Collections.Frozen;
using System.Linq.Expressions;
using System.Reflection;
using Alignment.Leads;
using Alignment.Scoring.Definitions;

namespace Alignment.Scoring.Compilation;

/// <summary>
/// Compiles profile (fit and negative-profile) conditions once into delegates: over <see cref="Lead"/> objects, and over the
/// encoded batch format. A kernel returns, for its group of rules, Σ(points·65536 + gradeSteps) over the rules that hold, so
/// one addition per matching rule carries both the points (in hundredths) and the grade steps.
/// </summary>
internal static class ProfileKernels
{
    public const int PackShift = 16;

    private static readonly MethodInfo StringEquals = typeof(string).GetMethod(nameof(string.Equals), [typeof(string), typeof(string)])!;
    private static readonly MethodInfo StringEqualsCmp = typeof(string).GetMethod(nameof(string.Equals), [typeof(string), typeof(string), typeof(StringComparison)])!;
    private static readonly MethodInfo StringContains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string), typeof(StringComparison)])!;
    private static readonly MethodInfo StringStartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string), typeof(StringComparison)])!;
    private static readonly MethodInfo IsNullOrEmpty = typeof(string).GetMethod(nameof(string.IsNullOrEmpty), [typeof(string)])!;
    private static readonly MethodInfo IsNaN = typeof(double).GetMethod(nameof(double.IsNaN), [typeof(double)])!;
    private static readonly MethodInfo ContainsAnyPiece = typeof(TextOps).GetMethod(nameof(TextOps.ContainsAny))!;

    public static long Pack(long pointsHundredths, int gradeSteps) => (pointsHundredths << PackShift) + gradeSteps;

    public static void Unpack(long packed, out long pointsHundredths, out int gradeSteps)
    {
        gradeSteps = (short)(packed & 0xFFFF);
        pointsHundredths = (packed - gradeSteps) >> PackShift;
    }

    /// <summary>Compiles <c>Func&lt;Lead, long&gt;</c> summing the packed values of the given rules whose condition holds.</summary>
    public static Func<Lead, long> CompileObjectKernel(IReadOnlyList<ProfileRulePlan> rules, Binder binder, bool interpret)
    {
        var lead = Expression.Parameter(typeof(Lead), "lead");
        var ctx = new ObjectContext(lead, binder);
        var sum = Expression.Variable(typeof(long), "sum");
        var body = new List<Expression>();
        var conditions = rules.Select(r => ctx.Condition(r.Definition.When)).ToList();
        body.AddRange(ctx.Hoisted);
        body.Add(Expression.Assign(sum, Expression.Constant(0L)));
        for (int i = 0; i < rules.Count; i++)
        {
            body.Add(Expression.IfThen(conditions[i], Expression.AddAssign(sum, Expression.Constant(Pack(rules[i].PointsHundredths, rules[i].GradeSteps)))));
        }

        body.Add(sum);
        return Expression.Lambda<Func<Lead, long>>(Expression.Block([.. ctx.Locals, sum], body), "ProfileKernel", [lead]).Compile(interpret);
    }

    /// <summary>Compiles <c>Action&lt;Lead, bool[]&gt;</c> writing, for each rule, whether its condition holds (explanations only).</summary>
    public static Action<Lead, bool[]> CompileObjectMatches(IReadOnlyList<ProfileRulePlan> rules, Binder binder, bool interpret)
    {
        var lead = Expression.Parameter(typeof(Lead), "lead");
        var matched = Expression.Parameter(typeof(bool[]), "matched");
        var ctx = new ObjectContext(lead, binder);
        var conditions = rules.Select(r => ctx.Condition(r.Definition.When)).ToList();
        var body = new List<Expression>(ctx.Hoisted);
        for (int i = 0; i < rules.Count; i++)
        {
            body.Add(Expression.Assign(Expression.ArrayAccess(matched, Expression.Constant(rules[i].Index)), conditions[i]));
        }

        body.Add(Expression.Empty());
        return Expression.Lambda<Action<Lead, bool[]>>(Expression.Block(ctx.Locals, body), "ProfileMatches", [lead, matched]).Compile(interpret);
    }

    /// <summary>Compiles <c>Func&lt;double[], int, long&gt;</c>: the same kernel over an encoded row starting at the given offset.</summary>
    public static Func<double[], int, long> CompileEncodedKernel(IReadOnlyList<ProfileRulePlan> rules, EncodingPlan encoding, bool interpret)
    {
        var data = Expression.Parameter(typeof(double[]), "data");
        var offset = Expression.Parameter(typeof(int), "offset");
        var ctx = new EncodedContext(data, offset, encoding);
        var sum = Expression.Variable(typeof(long), "sum");
        var conditions = rules.Select(r => ctx.Condition(r.Definition.When)).ToList();
        var body = new List<Expression>(ctx.Hoisted) { Expression.Assign(sum, Expression.Constant(0L)) };
        for (int i = 0; i < rules.Count; i++)
        {
            body.Add(Expression.IfThen(conditions[i], Expression.AddAssign(sum, Expression.Constant(Pack(rules[i].PointsHundredths, rules[i].GradeSteps)))));
        }

        body.Add(sum);
        return Expression.Lambda<Func<double[], int, long>>(Expression.Block([.. ctx.Locals, sum], body), "EncodedProfileKernel", [data, offset]).Compile(interpret);
    }

    /// <summary>Resolves field names and knows the model's text comparison.</summary>
    internal sealed class Binder(Func<string, FieldBinding> resolve, TextComparison comparison)
    {
        public FieldBinding Resolve(string name) => resolve(name);

        public StringComparison Comparison { get; } = comparison == TextComparison.Ordinal ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

        public StringComparer Comparer => Comparison == StringComparison.Ordinal ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
    }

    private sealed class ObjectContext(ParameterExpression lead, Binder binder)
    {
        private readonly Dictionary<string, ParameterExpression> _fields = new(StringComparer.OrdinalIgnoreCase);

        public List<ParameterExpression> Locals { get; } = [];

        public List<Expression> Hoisted { get; } = [];

        public Expression Condition(Condition c) => c switch
        {
            Condition.All all => all.Conditions.Select(Condition).Aggregate(Expression.AndAlso),
            Condition.Any any => any.Conditions.Select(Condition).Aggregate(Expression.OrElse),
            Condition.Negated not => Expression.Not(Condition(not.Inner)),
            FieldCondition f => Field(f),
            _ => throw new InvalidOperationException($"Unknown condition type {c.GetType().Name}."),
        };

        private ParameterExpression Local(FieldBinding field)
        {
            if (!_fields.TryGetValue(field.Name, out var local))
            {
                local = Expression.Variable(field.IsText ? typeof(string) : typeof(double), field.Name);
                _fields.Add(field.Name, local);
                Locals.Add(local);
                Hoisted.Add(Expression.Assign(local, field.Read(lead)));
            }

            return local;
        }

        private Expression Field(FieldCondition f)
        {
            var field = binder.Resolve(f.Field);
            var x = Local(field);
            var cmp = Expression.Constant(binder.Comparison);
            if (field.IsText)
            {
                Expression NotNull() => Expression.NotEqual(x, Expression.Constant(null, typeof(string)));
                Expression EqualsText(string v) => binder.Comparison == StringComparison.Ordinal
                    ? Expression.Call(StringEquals, x, Expression.Constant(v))
                    : Expression.Call(StringEqualsCmp, x, Expression.Constant(v), cmp);
                return f.Operator switch
                {
                    ConditionOperator.Equals => EqualsText(f.Values[0].Text!),
                    ConditionOperator.In when f.Values.Length <= 8 => f.Values.Select(v => EqualsText(v.Text!)).Aggregate(Expression.OrElse),
                    ConditionOperator.In => Expression.AndAlso(NotNull(), Expression.Call(
                        Expression.Constant(f.Values.Select(v => v.Text!).ToFrozenSet(binder.Comparer)),
                        typeof(FrozenSet<string>).GetMethod(nameof(FrozenSet<string>.Contains))!, x)),
                    ConditionOperator.Contains => Expression.AndAlso(NotNull(), Expression.Call(x, StringContains, Expression.Constant(f.Values[0].Text), cmp)),
                    ConditionOperator.ContainsAny when f.Values.Length == 1 => Expression.AndAlso(NotNull(), Expression.Call(x, StringContains, Expression.Constant(f.Values[0].Text), cmp)),
                    ConditionOperator.ContainsAny => Expression.Call(ContainsAnyPiece, x,
                        Expression.Constant(SearchValues.Create([.. f.Values.Select(v => v.Text!)], binder.Comparison))),
                    ConditionOperator.StartsWith => Expression.AndAlso(NotNull(), Expression.Call(x, StringStartsWith, Expression.Constant(f.Values[0].Text), cmp)),
                    ConditionOperator.IsMissing => Expression.Call(IsNullOrEmpty, x),
                    _ => throw new InvalidOperationException($"Operator {f.Operator} does not apply to text field '{f.Field}'."),
                };
            }

            return NumberCondition(f, x);
        }
    }

    private static ConstantExpression NumberValue(ConditionValue v) => Expression.Constant(v.Flag is bool b ? (b ? 1d : 0d) : v.Number);

    private static Expression NumberCondition(FieldCondition f, Expression x) => f.Operator switch
    {
        ConditionOperator.Equals => Expression.Equal(x, NumberValue(f.Values[0])),
        ConditionOperator.In => f.Values.Select(v => (Expression)Expression.Equal(x, NumberValue(v))).Aggregate(Expression.OrElse),
        ConditionOperator.Between => Expression.AndAlso(Expression.GreaterThanOrEqual(x, NumberValue(f.Values[0])), Expression.LessThanOrEqual(x, NumberValue(f.Values[1]))),
        ConditionOperator.GreaterThan => Expression.GreaterThan(x, NumberValue(f.Values[0])),
        ConditionOperator.GreaterThanOrEqual => Expression.GreaterThanOrEqual(x, NumberValue(f.Values[0])),
        ConditionOperator.LessThan => Expression.LessThan(x, NumberValue(f.Values[0])),
        ConditionOperator.LessThanOrEqual => Expression.LessThanOrEqual(x, NumberValue(f.Values[0])),
        ConditionOperator.IsMissing => Expression.Call(IsNaN, x),
        _ => throw new InvalidOperationException($"Operator {f.Operator} does not apply to number field '{f.Field}'."),
    };

    private sealed class EncodedContext(ParameterExpression data, ParameterExpression offset, EncodingPlan encoding)
    {
        private readonly Dictionary<int, ParameterExpression> _slots = [];

        public List<ParameterExpression> Locals { get; } = [];

        public List<Expression> Hoisted { get; } = [];

        public Expression Condition(Condition c) => c switch
        {
            Condition.All all => all.Conditions.Select(Condition).Aggregate(Expression.AndAlso),
            Condition.Any any => any.Conditions.Select(Condition).Aggregate(Expression.OrElse),
            Condition.Negated not => Expression.Not(Condition(not.Inner)),
            FieldCondition f => Field(f),
            _ => throw new InvalidOperationException($"Unknown condition type {c.GetType().Name}."),
        };

        private ParameterExpression Slot(int slot)
        {
            if (!_slots.TryGetValue(slot, out var local))
            {
                local = Expression.Variable(typeof(double), "s" + slot);
                _slots.Add(slot, local);
                Locals.Add(local);
                Hoisted.Add(Expression.Assign(local, Expression.ArrayIndex(data, Expression.Add(offset, Expression.Constant(slot)))));
            }

            return local;
        }

        private Expression Field(FieldCondition f)
        {
            var field = encoding.Field(f.Field);
            if (!field.Binding.IsText)
            {
                return NumberCondition(f, Slot(field.ValueSlot));
            }

            switch (f.Operator)
            {
                case ConditionOperator.Contains or ConditionOperator.ContainsAny or ConditionOperator.StartsWith:
                    return Expression.Equal(Slot(encoding.PredicateSlot(f)), Expression.Constant(1d));
                case ConditionOperator.IsMissing:
                    return Expression.Equal(Slot(field.ValueSlot), Expression.Constant(EncodingPlan.Missing));
                case ConditionOperator.Equals or ConditionOperator.In:
                    var s = Slot(field.ValueSlot);
                    return f.Values.Select(v => (Expression)Expression.Equal(s, Expression.Constant((double)field.Symbol(v.Text!)))).Aggregate(Expression.OrElse);
                default:
                    throw new InvalidOperationException($"Operator {f.Operator} does not apply to text field '{f.Field}'.");
            }
        }
    }
}
