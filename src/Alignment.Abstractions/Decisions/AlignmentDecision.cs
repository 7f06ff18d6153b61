using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Models;
using Alignment.Nurture;
using Alignment.Scoring;
using Alignment.Segmentation;
using Alignment.Segmentation.Collateral;

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

    private AlignmentDecision(DateTimeOffset at)
    {
        At = at;
    }

    /// <summary>
    /// The lead the decision is about; <see langword="null"/> only for a decision about something else than a lead (a
    /// <see cref="ContentChanged"/> sales-content change), so <c>decision.LeadId!.Value</c> is safe for every other kind.
    /// </summary>
    public LeadId? LeadId { get; }

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
    public sealed record Enrolled(NurtureEnrolment Enrolment) : AlignmentDecision(Enrolment.LeadId, Enrolment.EnrolledAt)
    {
        /// <summary>The nurture policy that chose the track (id, version, content hash); <see langword="null"/> when not recorded.</summary>
        public ModelReference? Policy { get; init; }
    }

    /// <summary>A lead's score crossed a qualification threshold with the passage of time alone (decay, a window ending, inactivity).</summary>
    /// <param name="Lead">The lead.</param>
    /// <param name="Crossing">From which state to which.</param>
    /// <param name="Score">The total score from <paramref name="CrossedAt"/> on.</param>
    /// <param name="CrossedAt">The instant the new state began (computed, not the time it was noticed).</param>
    public sealed record ScoreCrossed(LeadId Lead, ThresholdCrossing Crossing, decimal Score, DateTimeOffset CrossedAt) : AlignmentDecision(Lead, CrossedAt);

    /// <summary>A nurture step was handed to the step handler (an e-mail sent, a rep's call task created).</summary>
    /// <param name="Lead">The lead.</param>
    /// <param name="EnrolmentId">The enrolment (<c>{lead}:{sequence}</c>).</param>
    /// <param name="TrackId">The track.</param>
    /// <param name="StepIndex">The step's index on the track.</param>
    /// <param name="StepId">The step's id.</param>
    /// <param name="ContentId">The collateral sent, if any.</param>
    /// <param name="SentAt">When it was handed over.</param>
    /// <param name="Explanation">Why this step and this collateral.</param>
    public sealed record NurtureStepSent(LeadId Lead, string EnrolmentId, string TrackId, int StepIndex, string StepId, string? ContentId, DateTimeOffset SentAt, string Explanation)
        : AlignmentDecision(Lead, SentAt)
    {
        /// <summary>The nurture policy the step was carried out under (id, version, content hash); <see langword="null"/> when not recorded.</summary>
        public ModelReference? Policy { get; init; }
    }

    /// <summary>A nurture step was skipped because no fresh, approved collateral fits it; the track goes on with the next step.</summary>
    /// <param name="Lead">The lead.</param>
    /// <param name="EnrolmentId">The enrolment (<c>{lead}:{sequence}</c>).</param>
    /// <param name="TrackId">The track.</param>
    /// <param name="StepIndex">The step's index on the track.</param>
    /// <param name="StepId">The step's id.</param>
    /// <param name="SkippedAt">When.</param>
    /// <param name="Explanation">Why (the collateral passed over, by reason).</param>
    public sealed record NurtureStepSkipped(LeadId Lead, string EnrolmentId, string TrackId, int StepIndex, string StepId, DateTimeOffset SkippedAt, string Explanation)
        : AlignmentDecision(Lead, SkippedAt)
    {
        /// <summary>The nurture policy the step was skipped under (id, version, content hash); <see langword="null"/> when not recorded.</summary>
        public ModelReference? Policy { get; init; }
    }

    /// <summary>A lead's nurture enrolment ended: back to sales, out of marketing, or on to another track.</summary>
    /// <param name="Lead">The lead.</param>
    /// <param name="EnrolmentId">The enrolment that ended (<c>{lead}:{sequence}</c>).</param>
    /// <param name="TrackId">The track left.</param>
    /// <param name="Exit">How it ended.</param>
    /// <param name="ExitedAt">When.</param>
    /// <param name="Explanation">Why, in words a marketer and a rep can both read.</param>
    public sealed record NurtureExited(LeadId Lead, string EnrolmentId, string TrackId, NurtureExit Exit, DateTimeOffset ExitedAt, string Explanation)
        : AlignmentDecision(Lead, ExitedAt);

    /// <summary>Something happened to a lead in a webinar or event campaign: invited, registered, attended, or what the close did for it.</summary>
    /// <param name="Lead">The lead.</param>
    /// <param name="Campaign">The campaign's id.</param>
    /// <param name="Event">What happened.</param>
    /// <param name="OccurredAt">When.</param>
    public sealed record CampaignChanged(LeadId Lead, string Campaign, CampaignEvent Event, DateTimeOffset OccurredAt) : AlignmentDecision(Lead, OccurredAt);

    /// <summary>A lead moved between lifecycle stages (including recycling).</summary>
    /// <param name="Lead">The lead.</param>
    /// <param name="Transition">The move.</param>
    public sealed record StageChanged(LeadId Lead, LifecycleTransition Transition) : AlignmentDecision(Lead, Transition.At);

    /// <summary>
    /// A tenant's sales content changed: a rep's suggestion, a draft, a sales review (approved or sent back), a revision, a
    /// re-review, an expiry or a retirement. Not about a lead: <see cref="LeadId"/> is <see langword="null"/>.
    /// </summary>
    /// <param name="Change">The change.</param>
    public sealed record ContentChanged(ContentChange Change) : AlignmentDecision(Change.At);
}
