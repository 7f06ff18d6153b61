using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Scoring;
using Alignment.Segmentation;

namespace Alignment.Decisions;

/// <summary>
/// A decision Alignment made about a lead, published to an <see cref="IDecisionSink"/> so the CRM can persist it,
/// show it to a rep, or put it on a message bus. A closed set: one nested type per kind.
/// </summary>
public abstract record AlignmentDecision
{
    private AlignmentDecision(LeadId leadId, DateTimeOffset at)
    {
        LeadId = leadId;
        At = at;
    }

    /// <summary>The lead.</summary>
    public LeadId LeadId { get; }

    /// <summary>When the decision was made.</summary>
    public DateTimeOffset At { get; }

    /// <summary>
    /// The decision's idempotency key when it was delivered from an <see cref="IDecisionOutbox"/> (stable across redeliveries, for
    /// example <c>routed:lead-42:3</c>): a sink that remembers the keys it has seen handles each decision exactly once.
    /// <see langword="null"/> for a decision published directly, without an outbox. Not part of the decision's equality: the same
    /// decision published directly and delivered from an outbox are equal.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Whether <paramref name="other"/> is the same decision: same kind, lead, instant and content; the key is not compared.</summary>
    /// <param name="other">The other decision.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public virtual bool Equals(AlignmentDecision? other) =>
        ReferenceEquals(this, other) || (other is not null && EqualityContract == other.EqualityContract && LeadId == other.LeadId && At == other.At);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(EqualityContract, LeadId, At);

    /// <summary>A lead was scored.</summary>
    /// <param name="Card">The score card.</param>
    public sealed record Scored(ScoreCard Card) : AlignmentDecision(Card.LeadId, Card.AsOf);

    /// <summary>A lead was put in a segment.</summary>
    /// <param name="Assignment">The segment assignment.</param>
    /// <param name="DecidedAt">When.</param>
    public sealed record Segmented(SegmentAssignment Assignment, DateTimeOffset DecidedAt) : AlignmentDecision(Assignment.LeadId, DecidedAt);

    /// <summary>A lead was routed to a rep or a queue.</summary>
    /// <param name="Decision">The routing decision.</param>
    /// <param name="DecidedAt">When.</param>
    public sealed record Routed(HandoffDecision Decision, DateTimeOffset DecidedAt) : AlignmentDecision(Decision.LeadId, DecidedAt);

    /// <summary>A handoff's service level was breached.</summary>
    /// <param name="Lead">The lead.</param>
    /// <param name="Rep">The rep who did not respond in time.</param>
    /// <param name="DueAt">When the first touch was due.</param>
    /// <param name="DetectedAt">When the breach was detected.</param>
    public sealed record SlaBreached(LeadId Lead, RepId Rep, DateTimeOffset DueAt, DateTimeOffset DetectedAt) : AlignmentDecision(Lead, DetectedAt);

    /// <summary>A lead was put on a nurture track.</summary>
    /// <param name="Enrolment">The enrolment.</param>
    public sealed record Enrolled(NurtureEnrolment Enrolment) : AlignmentDecision(Enrolment.LeadId, Enrolment.EnrolledAt);

    /// <summary>A lead's score crossed a qualification threshold with the passage of time alone (decay, a window ending, inactivity).</summary>
    /// <param name="Lead">The lead.</param>
    /// <param name="Crossing">From which state to which.</param>
    /// <param name="Score">The total score from <paramref name="CrossedAt"/> on.</param>
    /// <param name="CrossedAt">The instant the new state began (computed, not the time it was noticed).</param>
    public sealed record ScoreCrossed(LeadId Lead, ThresholdCrossing Crossing, decimal Score, DateTimeOffset CrossedAt) : AlignmentDecision(Lead, CrossedAt);

    /// <summary>A lead moved between lifecycle stages (including recycling).</summary>
    /// <param name="Lead">The lead.</param>
    /// <param name="Transition">The move.</param>
    public sealed record StageChanged(LeadId Lead, LifecycleTransition Transition) : AlignmentDecision(Lead, Transition.At);
}
