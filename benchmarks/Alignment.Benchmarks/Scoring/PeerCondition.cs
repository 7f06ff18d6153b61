using System.Collections.Immutable;

namespace Alignment.Benchmarks.Scoring;

/// <summary>
/// A condition of the peer rule grammar: <c>in</c>, <c>between</c> (inclusive), a numeric comparison, text <c>==</c>,
/// <c>true</c>/<c>false</c>, <c>contains_any</c> (ordinal, case-sensitive), <c>and</c>, <c>or</c>.
/// </summary>
public abstract record PeerCondition
{
    private PeerCondition()
    {
    }

    /// <summary>Tells whether the condition holds for a lead (the reference semantics every peer must match).</summary>
    /// <param name="lead">The lead.</param>
    /// <returns><see langword="true"/> when it holds.</returns>
    public abstract bool IsSatisfiedBy(PeerLead lead);

    /// <summary><c>["in", F, [values]]</c>: the text equals one of the values (ordinal).</summary>
    /// <param name="Field">A text field.</param>
    /// <param name="Values">The values.</param>
    public sealed record OneOf(PeerField Field, ImmutableArray<string> Values) : PeerCondition
    {
        /// <inheritdoc/>
        public override bool IsSatisfiedBy(PeerLead lead)
        {
            ArgumentNullException.ThrowIfNull(lead);
            string value = lead.GetText(Field);
            foreach (string candidate in Values)
            {
                if (string.Equals(value, candidate, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary><c>["==", F, "text"]</c>: the text equals a value (ordinal).</summary>
    /// <param name="Field">A text field.</param>
    /// <param name="Value">The value.</param>
    public sealed record TextEquals(PeerField Field, string Value) : PeerCondition
    {
        /// <inheritdoc/>
        public override bool IsSatisfiedBy(PeerLead lead)
        {
            ArgumentNullException.ThrowIfNull(lead);
            return string.Equals(lead.GetText(Field), Value, StringComparison.Ordinal);
        }
    }

    /// <summary><c>["between", F, lo, hi]</c>, inclusive.</summary>
    /// <param name="Field">A number field.</param>
    /// <param name="Low">The lowest value that holds.</param>
    /// <param name="High">The highest value that holds.</param>
    public sealed record Between(PeerField Field, double Low, double High) : PeerCondition
    {
        /// <inheritdoc/>
        public override bool IsSatisfiedBy(PeerLead lead)
        {
            ArgumentNullException.ThrowIfNull(lead);
            double value = lead.GetNumber(Field);
            return value >= Low && value <= High;
        }
    }

    /// <summary><c>[op, F, n]</c> for a number field.</summary>
    /// <param name="Field">A number field.</param>
    /// <param name="Operator">The comparison.</param>
    /// <param name="Value">The number compared with.</param>
    public sealed record Compare(PeerField Field, PeerComparison Operator, double Value) : PeerCondition
    {
        /// <inheritdoc/>
        public override bool IsSatisfiedBy(PeerLead lead)
        {
            ArgumentNullException.ThrowIfNull(lead);
            double value = lead.GetNumber(Field);
            return Operator switch
            {
                PeerComparison.Equal => value == Value,
                PeerComparison.Greater => value > Value,
                PeerComparison.GreaterOrEqual => value >= Value,
                PeerComparison.Less => value < Value,
                PeerComparison.LessOrEqual => value <= Value,
                _ => throw new InvalidOperationException($"Unknown comparison {Operator}."),
            };
        }
    }

    /// <summary><c>["true", F]</c> (when <paramref name="Expected"/> is true) or <c>["false", F]</c>.</summary>
    /// <param name="Field">A flag field.</param>
    /// <param name="Expected">The value that satisfies the condition.</param>
    public sealed record Flag(PeerField Field, bool Expected) : PeerCondition
    {
        /// <inheritdoc/>
        public override bool IsSatisfiedBy(PeerLead lead)
        {
            ArgumentNullException.ThrowIfNull(lead);
            return lead.GetFlag(Field) == Expected;
        }
    }

    /// <summary><c>["contains_any", F, [substrings]]</c>: ordinal, case-sensitive.</summary>
    /// <param name="Field">A text field.</param>
    /// <param name="Substrings">The substrings.</param>
    public sealed record ContainsAny(PeerField Field, ImmutableArray<string> Substrings) : PeerCondition
    {
        /// <inheritdoc/>
        public override bool IsSatisfiedBy(PeerLead lead)
        {
            ArgumentNullException.ThrowIfNull(lead);
            string value = lead.GetText(Field);
            foreach (string substring in Substrings)
            {
                if (value.Contains(substring, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary><c>["and", c, ...]</c>.</summary>
    /// <param name="Conditions">The conditions that must all hold.</param>
    public sealed record All(ImmutableArray<PeerCondition> Conditions) : PeerCondition
    {
        /// <inheritdoc/>
        public override bool IsSatisfiedBy(PeerLead lead)
        {
            foreach (PeerCondition condition in Conditions)
            {
                if (!condition.IsSatisfiedBy(lead))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary><c>["or", c, ...]</c>.</summary>
    /// <param name="Conditions">The conditions of which one must hold.</param>
    public sealed record Any(ImmutableArray<PeerCondition> Conditions) : PeerCondition
    {
        /// <inheritdoc/>
        public override bool IsSatisfiedBy(PeerLead lead)
        {
            foreach (PeerCondition condition in Conditions)
            {
                if (condition.IsSatisfiedBy(lead))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
