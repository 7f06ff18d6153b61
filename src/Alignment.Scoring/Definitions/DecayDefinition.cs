using System.Collections.Immutable;

namespace Alignment.Scoring.Definitions;

/// <summary>How an activity's points fade with its age (counted in whole days before the scoring instant).</summary>
public abstract record DecayDefinition
{
    private protected DecayDefinition() { }

    /// <summary>Points halve every <paramref name="Days"/> days: factor = 2^(−age / Days).</summary>
    /// <param name="Days">The half-life in days; more than 0, at most 36,500.</param>
    public sealed record HalfLife(double Days) : DecayDefinition;

    /// <summary>Points are multiplied by the factor of the last step whose <see cref="DecayStep.AfterDays"/> the age has reached (1 before the first step).</summary>
    /// <param name="Steps">The steps (1 to 100), in increasing <see cref="DecayStep.AfterDays"/>.</param>
    public sealed record Stepped(ImmutableArray<DecayStep> Steps) : DecayDefinition
    {
        /// <inheritdoc />
        public bool Equals(Stepped? other) => other is not null && Steps.SequenceEqual(other.Steps);

        /// <inheritdoc />
        public override int GetHashCode() => Steps.Aggregate(7, (h, s) => HashCode.Combine(h, s));
    }
}
