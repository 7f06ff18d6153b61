namespace Alignment.Policies.Handoff.Definitions;

/// <summary>One routing rule: which leads it matches, which pool it routes to, how it chooses, and its service level.</summary>
internal sealed record RoutingRuleDefinition
{
    /// <summary>The rule's id, unique within the policy. Required.</summary>
    public string? Id { get; init; }

    /// <summary>Which leads the rule matches; <see langword="null"/> matches every lead.</summary>
    public RuleMatchDefinition? Match { get; init; }

    /// <summary>The names of plugin conditions (<see cref="Alignment.Handoff.IRoutingCondition"/>) that must all hold for the rule to apply; <see langword="null"/> for none.</summary>
    public IReadOnlyList<string>? Conditions { get; init; }

    /// <summary>
    /// Marks an inside-sales qualification rule: it applies only to a lead's first routing, and the rep it chooses later hands
    /// the qualified lead on to a field rep (see <see cref="HandoffRouter.HandOffQualifiedAsync"/>).
    /// </summary>
    public bool Qualification { get; init; }

    /// <summary>How the rule chooses a rep, by its name in <see cref="RoutingStrategies"/>. Required.</summary>
    public RoutingStrategy? Strategy { get; init; }

    /// <summary>The reps the rule chooses among. Required unless the strategy is one whose <see cref="RoutingStrategy.NeedsPool"/> is false (<see cref="AccountOwnerStrategy">accountOwner</see>).</summary>
    public RulePoolDefinition? Pool { get; init; }

    /// <summary>What the rule does with reps outside their working hours.</summary>
    /// <value>Defaults to <see cref="AvailabilityMode.Skip"/>.</value>
    public AvailabilityMode? Availability { get; init; }

    /// <summary>
    /// The queue that takes a matched lead when no member of the pool is eligible (all full, away or lacking a skill);
    /// <see langword="null"/> lets the lead fall through to the next rule.
    /// </summary>
    public string? Queue { get; init; }

    /// <summary>The first-touch service level in minutes (for example 15 for hot leads).</summary>
    /// <value>Defaults to the policy's <see cref="RoutingPolicyDefinition.DefaultSlaMinutes"/>.</value>
    public int? SlaMinutes { get; init; }

    /// <summary>What happens when the service level is breached; <see langword="null"/> only reports the breach.</summary>
    public EscalationDefinition? Escalation { get; init; }
}
