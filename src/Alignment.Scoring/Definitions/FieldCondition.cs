using System.Collections.Immutable;
using System.Text;

namespace Alignment.Scoring.Definitions;

/// <summary>A test of one field against literals, such as <c>{"field": "company.employeeCount", "between": [200, 5000]}</c>.</summary>
/// <param name="Field">
/// The field: a field of the lead read from the lead itself (see <see cref="Alignment.Leads.LeadFields"/>, such as
/// <c>company.industry</c>), or <c>attributes.&lt;name&gt;</c> for a custom attribute declared by the model.
/// </param>
/// <param name="Operator">The operator.</param>
/// <param name="Values">The literals: one for most operators, two for <see cref="ConditionOperator.Between"/>, one or more for sets, none for <see cref="ConditionOperator.IsMissing"/>.</param>
public sealed record FieldCondition(string Field, ConditionOperator Operator, ImmutableArray<ConditionValue> Values) : Condition
{
    /// <inheritdoc />
    public bool Equals(FieldCondition? other) =>
        other is not null && Field == other.Field && Operator == other.Operator && Values.SequenceEqual(other.Values);

    /// <inheritdoc />
    public override int GetHashCode() => Values.Aggregate(HashCode.Combine(Field, Operator), (h, v) => HashCode.Combine(h, v));

    private protected override void Write(StringBuilder sb)
    {
        sb.Append(Field).Append(' ').Append(OperatorText(Operator));
        if (Operator == ConditionOperator.IsMissing)
        {
            return;
        }

        sb.Append(' ');
        if (Values.Length == 1 && Operator is not (ConditionOperator.In or ConditionOperator.ContainsAny))
        {
            sb.Append(Values[0].ToString());
            return;
        }

        sb.Append('[');
        for (int i = 0; i < Values.Length; i++)
        {
            sb.Append(i > 0 ? ", " : string.Empty).Append(Values[i].ToString());
        }

        sb.Append(']');
    }

    internal static string OperatorText(ConditionOperator op) => op switch
    {
        ConditionOperator.Equals => "equals",
        ConditionOperator.In => "in",
        ConditionOperator.Between => "between",
        ConditionOperator.GreaterThan => "gt",
        ConditionOperator.GreaterThanOrEqual => "gte",
        ConditionOperator.LessThan => "lt",
        ConditionOperator.LessThanOrEqual => "lte",
        ConditionOperator.Contains => "contains",
        ConditionOperator.ContainsAny => "containsAny",
        ConditionOperator.StartsWith => "startsWith",
        ConditionOperator.IsMissing => "isMissing",
        _ => op.ToString(),
    };
}
