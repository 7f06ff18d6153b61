using System.Collections.Immutable;
using System.Text;

namespace Alignment.Scoring.Definitions;

/// <summary>
/// A condition on a lead's attributes: a <see cref="FieldCondition"/>, or <see cref="All"/>, <see cref="Any"/> and <see cref="Negated"/> over others.
/// A closed set of data types: conditions are never code.
/// </summary>
public abstract record Condition
{
    private protected Condition() { }

    /// <summary>Writes the condition in a compact, readable form (for explanations and diffs).</summary>
    /// <returns>The condition's text, such as <c>industry in ["Software", "Retail"]</c>.</returns>
    public sealed override string ToString()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }

    private protected abstract void Write(StringBuilder sb);

    /// <summary>True when every inner condition is true (<c>{"all": [...]}</c>).</summary>
    /// <param name="Conditions">The inner conditions; at least one.</param>
    public sealed record All(ImmutableArray<Condition> Conditions) : Condition
    {
        /// <inheritdoc />
        public bool Equals(All? other) => other is not null && Conditions.SequenceEqual(other.Conditions);

        /// <inheritdoc />
        public override int GetHashCode() => Conditions.Aggregate(17, (h, c) => HashCode.Combine(h, c));

        private protected override void Write(StringBuilder sb) => WriteList(sb, " and ", Conditions);
    }

    /// <summary>True when at least one inner condition is true (<c>{"any": [...]}</c>).</summary>
    /// <param name="Conditions">The inner conditions; at least one.</param>
    public sealed record Any(ImmutableArray<Condition> Conditions) : Condition
    {
        /// <inheritdoc />
        public bool Equals(Any? other) => other is not null && Conditions.SequenceEqual(other.Conditions);

        /// <inheritdoc />
        public override int GetHashCode() => Conditions.Aggregate(31, (h, c) => HashCode.Combine(h, c));

        private protected override void Write(StringBuilder sb) => WriteList(sb, " or ", Conditions);
    }

    /// <summary>True when the inner condition is false (<c>{"not": {...}}</c>).</summary>
    /// <param name="Inner">The inner condition.</param>
    public sealed record Negated(Condition Inner) : Condition
    {
        private protected override void Write(StringBuilder sb)
        {
            sb.Append("not (");
            Inner.Write(sb);
            sb.Append(')');
        }
    }

    private static void WriteList(StringBuilder sb, string separator, ImmutableArray<Condition> conditions)
    {
        sb.Append('(');
        for (int i = 0; i < conditions.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(separator);
            }

            conditions[i].Write(sb);
        }

        sb.Append(')');
    }

    internal void WriteTo(StringBuilder sb) => Write(sb);
}
