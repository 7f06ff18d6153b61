namespace Alignment.Policies.Handoff.Definitions;

/// <summary>What happens when a rep misses a rule's first-touch service level.</summary>
internal sealed record EscalationDefinition
{
    /// <summary>Notify the rep's manager (once per assignment) through <see cref="IHandoffEscalationHandler"/>.</summary>
    public bool NotifyManager { get; init; }

    /// <summary>How many times a lead is reassigned to the next eligible rep after a breach; 0 never reassigns.</summary>
    public int? MaxReassignments { get; init; }

    /// <summary>The queue that takes the lead once it has been reassigned <see cref="MaxReassignments"/> times (or no rep is eligible); defaults to the policy's fallback queue.</summary>
    public string? Queue { get; init; }
}
