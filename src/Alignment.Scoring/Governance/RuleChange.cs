using System.Collections.Immutable;

namespace Alignment.Scoring.Governance;

/// <summary>A rule added, removed or changed between two model versions (rules are matched by id).</summary>
/// <param name="RuleId">The rule's id.</param>
/// <param name="Section">The model-file section of the rule (<c>fit</c>, <c>engagement</c>, <c>negative</c>, <c>plugins</c>), in the newer version when it exists there.</param>
/// <param name="OldDescription">The rule as it was (<see cref="Definitions.ScoringRuleDefinition.Describe"/>); <see langword="null"/> for an added rule.</param>
/// <param name="NewDescription">The rule as it is; <see langword="null"/> for a removed rule.</param>
/// <param name="Properties">For a changed rule, every property that differs, in a fixed order; empty for added and removed rules.</param>
public sealed record RuleChange(string RuleId, string Section, string? OldDescription, string? NewDescription, ImmutableArray<PropertyChange> Properties)
{
    /// <summary>Compares two changes by content, including every property change.</summary>
    /// <param name="other">The other change.</param>
    /// <returns><see langword="true"/> when both have the same content.</returns>
    public bool Equals(RuleChange? other) =>
        other is not null && RuleId == other.RuleId && Section == other.Section && OldDescription == other.OldDescription &&
        NewDescription == other.NewDescription && Properties.SequenceEqual(other.Properties);

    /// <summary>Hashes the rule id and the number of property changes.</summary>
    /// <returns>A hash code consistent with <see cref="Equals(RuleChange?)"/>.</returns>
    public override int GetHashCode() => HashCode.Combine(RuleId, Properties.Length);
}
