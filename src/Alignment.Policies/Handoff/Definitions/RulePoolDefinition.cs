namespace Alignment.Policies.Handoff.Definitions;

/// <summary>The reps a rule chooses among, and what a rep must have to take a given lead.</summary>
internal sealed record RulePoolDefinition
{
    /// <summary>Rep ids in the pool.</summary>
    public IReadOnlyList<string>? Reps { get; init; }

    /// <summary>Teams whose every rep is in the pool.</summary>
    public IReadOnlyList<string>? Teams { get; init; }

    /// <summary>Skills a member needs, all of them (for example <c>agency</c>); members without them are passed over for skill.</summary>
    public IReadOnlyList<string>? Skills { get; init; }

    /// <summary>When set, a member must speak the lead's language (a lead with no language passes).</summary>
    public bool MatchLanguage { get; init; }

    /// <summary>When set, a member's territories must include the lead's country or region (a lead with neither passes).</summary>
    public bool MatchTerritory { get; init; }
}
