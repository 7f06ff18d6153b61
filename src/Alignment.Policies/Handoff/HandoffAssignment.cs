using Alignment.Handoff;
using Alignment.Leads;

namespace Alignment.Policies.Handoff;

/// <summary>
/// The handoff record a store keeps for a lead: the decision in force, its service level, and what sales did with it. A lead
/// has one current record; reassignment, the inside-sales-to-field handoff and routing the lead again after its handoff
/// <see cref="IsClosed">closed</see> replace it with the next <see cref="Epoch"/> (stores keep the replaced records as history).
/// </summary>
/// <param name="Decision">The decision in force.</param>
/// <param name="Facts">What routing read from the lead, to route it again.</param>
/// <param name="Epoch">1 for the first routing, then one more for each rerouting (reassignment, field handoff, or a fresh routing after the handoff closed).</param>
/// <param name="DecidedAt">When the decision was made.</param>
/// <param name="Status">Where the handoff stands.</param>
public sealed record HandoffAssignment(HandoffDecision Decision, RoutingFacts Facts, int Epoch, DateTimeOffset DecidedAt, HandoffStatus Status)
{
    /// <summary>The lead.</summary>
    public LeadId LeadId => Decision.LeadId;

    /// <summary>The rep who holds the lead, or <see langword="null"/> when it is queued.</summary>
    public RepId? Rep => Decision is HandoffDecision.Assigned a ? a.Rep : null;

    /// <summary>The id of the policy that decided.</summary>
    public string PolicyId { get; init; } = string.Empty;

    /// <summary>The leg of the handoff the decision was for.</summary>
    public RoutingPhase Phase { get; init; }

    /// <summary>Whether an inside-sales qualification rule made the decision (the rep later hands the lead to a field rep).</summary>
    public bool Qualification { get; init; }

    /// <summary>When the first touch is due; <see langword="null"/> for a queued lead.</summary>
    public DateTimeOffset? SlaDueAt { get; init; }

    /// <summary>How many times the lead was reassigned after a missed service level.</summary>
    public int Reassignments { get; init; }

    /// <summary>Whether the breach of this assignment's service level was already reported and escalated.</summary>
    public bool Escalated { get; init; }

    /// <summary>When the rep first touched the lead.</summary>
    public DateTimeOffset? FirstTouchAt { get; init; }

    /// <summary>When sales accepted or rejected the lead.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The reason sales gave for a rejection.</summary>
    public RejectionReason? Rejection { get; init; }

    /// <summary>The rep's note on a rejection.</summary>
    public string? Note { get; init; }

    /// <summary>
    /// Whether sales is done with this handoff: accepted, rejected or recycled. Routing the lead again (for example when it comes
    /// back from nurture as an MQL) makes a fresh decision instead of returning a closed handoff; an open one (queued, assigned,
    /// touched) is returned unchanged.
    /// </summary>
    public bool IsClosed => Status is HandoffStatus.Accepted or HandoffStatus.Rejected or HandoffStatus.Recycled;

    /// <summary>Whether the lead counts against its rep's cap (assigned or touched, not yet accepted or rejected).</summary>
    public bool HoldsCapacity => Rep is not null && Status is HandoffStatus.Assigned or HandoffStatus.Touched;
}
