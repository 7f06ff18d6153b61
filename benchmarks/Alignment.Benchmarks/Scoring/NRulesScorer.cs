using System.Collections.Immutable;
using System.Linq.Expressions;
using System.Reflection;
using NRules;
using NRules.RuleModel;
using NRules.RuleModel.Builders;

namespace Alignment.Benchmarks.Scoring;

/// <summary>
/// The 40 peer rules run by NRules 1.0.4 in its fastest idiomatic mode: the rules are generated once from <see cref="PeerRules"/>
/// through NRules' canonical rule model (<see cref="RuleBuilder"/>; one pattern over <see cref="NRulesLeadFact"/> per rule, a top-level
/// <c>and</c> split into separate pattern conditions as the fluent DSL would write them) and compiled into a session factory; leads are
/// then scored 1,000 per session: insert, <c>Fire</c>, read each fact's accumulator.
/// </summary>
/// <remarks>The session factory is thread-safe; <see cref="ScoreAll"/> creates its own sessions.</remarks>
public sealed class NRulesScorer
{
    /// <summary>The number of leads inserted into one session before it fires.</summary>
    public const int LeadsPerSession = 1_000;

    private const string FactName = "lead";
    private static readonly MethodInfo AddPointsMethod = typeof(NRulesLeadFact).GetMethod(nameof(NRulesLeadFact.AddPoints))!;
    private static readonly MethodInfo ContainsMethod = typeof(string).GetMethod(nameof(string.Contains), [typeof(string), typeof(StringComparison)])!;
    private readonly ISessionFactory _factory;

    /// <summary>Builds and compiles the 40 rules.</summary>
    public NRulesScorer()
        : this(PeerRules.All)
    {
    }

    /// <summary>Builds and compiles the given rules.</summary>
    /// <param name="rules">The rules.</param>
    public NRulesScorer(IEnumerable<PeerRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Definitions = [.. rules.Select(Define)];
        _factory = new RuleCompiler().Compile(Definitions);
    }

    /// <summary>The NRules rule definitions built from the peer rules.</summary>
    public ImmutableArray<IRuleDefinition> Definitions { get; }

    /// <summary>Scores leads, <see cref="LeadsPerSession"/> per session.</summary>
    /// <param name="leads">The leads.</param>
    /// <param name="scores">Receives each lead's score at the lead's position; at least as long as <paramref name="leads"/>.</param>
    /// <returns>The sum of the scores.</returns>
    public long ScoreAll(ReadOnlySpan<PeerLead> leads, Span<int> scores)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scores.Length, leads.Length, nameof(scores));
        long total = 0;
        for (int start = 0; start < leads.Length; start += LeadsPerSession)
        {
            int count = Math.Min(LeadsPerSession, leads.Length - start);
            var facts = new NRulesLeadFact[count];
            for (int i = 0; i < count; i++)
            {
                facts[i] = new NRulesLeadFact(leads[start + i]);
            }

            ISession session = _factory.CreateSession();
            session.InsertAll(facts);
            session.Fire();
            for (int i = 0; i < count; i++)
            {
                scores[start + i] = facts[i].Score;
                total += facts[i].Score;
            }
        }

        return total;
    }

    private static IRuleDefinition Define(PeerRule rule)
    {
        var builder = new RuleBuilder();
        builder.Name(rule.Name);
        PatternBuilder pattern = builder.LeftHandSide().Pattern(typeof(NRulesLeadFact), FactName);
        ParameterExpression fact = pattern.Declaration.ToParameterExpression();
        Expression lead = Expression.Property(fact, nameof(NRulesLeadFact.Lead));
        IEnumerable<PeerCondition> conditions = rule.When is PeerCondition.All all ? all.Conditions : [rule.When];
        foreach (PeerCondition condition in conditions)
        {
            pattern.Condition(Expression.Lambda(Translate(condition, lead), fact));
        }

        ParameterExpression context = Expression.Parameter(typeof(IContext), "ctx");
        builder.RightHandSide().Action(Expression.Lambda(
            Expression.Call(fact, AddPointsMethod, Expression.Constant(rule.Points)),
            context,
            fact));
        return builder.Build();
    }

    private static Expression Translate(PeerCondition condition, Expression lead) => condition switch
    {
        PeerCondition.OneOf c => Or(c.Values.Select(v => (Expression)Expression.Equal(Field(lead, c.Field), Expression.Constant(v)))),
        PeerCondition.TextEquals c => Expression.Equal(Field(lead, c.Field), Expression.Constant(c.Value)),
        PeerCondition.Between c => Expression.AndAlso(
            Expression.GreaterThanOrEqual(Field(lead, c.Field), Number(lead, c.Field, c.Low)),
            Expression.LessThanOrEqual(Field(lead, c.Field), Number(lead, c.Field, c.High))),
        PeerCondition.Compare c => c.Operator switch
        {
            PeerComparison.Equal => Expression.Equal(Field(lead, c.Field), Number(lead, c.Field, c.Value)),
            PeerComparison.Greater => Expression.GreaterThan(Field(lead, c.Field), Number(lead, c.Field, c.Value)),
            PeerComparison.GreaterOrEqual => Expression.GreaterThanOrEqual(Field(lead, c.Field), Number(lead, c.Field, c.Value)),
            PeerComparison.Less => Expression.LessThan(Field(lead, c.Field), Number(lead, c.Field, c.Value)),
            PeerComparison.LessOrEqual => Expression.LessThanOrEqual(Field(lead, c.Field), Number(lead, c.Field, c.Value)),
            _ => throw new InvalidOperationException($"Unknown comparison {c.Operator}."),
        },
        PeerCondition.Flag c => c.Expected ? Field(lead, c.Field) : Expression.Not(Field(lead, c.Field)),
        PeerCondition.ContainsAny c => Or(c.Substrings.Select(s => (Expression)Expression.Call(
            Field(lead, c.Field), ContainsMethod, Expression.Constant(s), Expression.Constant(StringComparison.Ordinal)))),
        PeerCondition.All c => c.Conditions.Select(x => Translate(x, lead)).Aggregate(Expression.AndAlso),
        PeerCondition.Any c => Or(c.Conditions.Select(x => Translate(x, lead))),
        _ => throw new InvalidOperationException($"Unknown condition {condition.GetType().Name}."),
    };

    private static Expression Or(IEnumerable<Expression> terms) => terms.Aggregate(Expression.OrElse);

    private static MemberExpression Field(Expression lead, PeerField field) => Expression.Property(lead, field.ToString());

    // Integer constants of the property's own type, as a C# author would write them (all the rule numbers are whole).
    private static ConstantExpression Number(Expression lead, PeerField field, double value)
    {
        if (value != Math.Floor(value))
        {
            throw new InvalidOperationException($"Rule number {value} for {field} is not a whole number.");
        }

        Type type = Field(lead, field).Type;
        return type == typeof(long) ? Expression.Constant(checked((long)value)) : Expression.Constant(checked((int)value));
    }
}
