using Alignment.Leads;
using Alignment.Models;
using Alignment.Nurture;
using Alignment.Segmentation;

namespace Alignment.Policies.Nurture;

/// <summary>
/// The stored state of one enrolment: the <see cref="NurtureEnrolment"/> of Abstractions plus what the scheduler needs (status,
/// concurrency version, lease) and what explains it (segment, campaign, policy version, status reason).
/// </summary>
/// <remarks>Immutable. A lead has at most one enrolment that is not <see cref="NurtureEnrolmentStatus.Ended"/>.</remarks>
public sealed record NurtureEnrolmentRecord
{
    /// <summary>The enrolment's id: <c>{lead}:{sequence}</c>, stable, used in idempotency keys of sent steps.</summary>
    public string EnrolmentId => $"{LeadId}:{Sequence}";

    /// <summary>The lead.</summary>
    public required LeadId LeadId { get; init; }

    /// <summary>The lead's enrolment number, starting at 1; each new track the lead enters gets the next number.</summary>
    public required int Sequence { get; init; }

    /// <summary>The track.</summary>
    public required string TrackId { get; init; }

    /// <summary>Why the lead entered nurture.</summary>
    public required NurtureEntryReason Reason { get; init; }

    /// <summary>The lead's segment when it was enrolled.</summary>
    public SegmentId? Segment { get; init; }

    /// <summary>The campaign (webinar, event) that caused the enrolment, if any.</summary>
    public string? Campaign { get; init; }

    /// <summary>When the lead entered the track.</summary>
    public required DateTimeOffset EnrolledAt { get; init; }

    /// <summary>The version of the nurture policy that chose the track.</summary>
    public required string PolicyVersion { get; init; }

    /// <summary>
    /// The nurture policy that chose the track: id, version (<see cref="PolicyVersion"/>) and content hash; <see langword="null"/> for
    /// an enrolment recorded before policies were hashed.
    /// </summary>
    public ModelReference? Policy { get; init; }

    /// <summary>The index of the next step to send (equal to the number of steps when only the exhaustion check remains).</summary>
    public int NextStep { get; init; }

    /// <summary>When the scheduler should next look at the enrolment (to send a step, or, when contact stopped, only to check the exits); <see langword="null"/> when it ended.</summary>
    public DateTimeOffset? NextDueAt { get; init; }

    /// <summary>Where the enrolment stands.</summary>
    public NurtureEnrolmentStatus Status { get; init; }

    /// <summary>Why the enrolment is in its status (why contact stopped, why it ended); <see langword="null"/> while active.</summary>
    public string? StatusReason { get; init; }

    /// <summary>When it ended, for an ended enrolment.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The optimistic-concurrency version, set by the store (1 when inserted, +1 on every change).</summary>
    public int Version { get; init; }

    /// <summary>The scheduler instance holding a lease on the enrolment, if any.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>When the lease expires (and the enrolment becomes due again, so that a crashed instance's work resumes).</summary>
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary><see langword="true"/> unless the enrolment ended: the lead is on this track (even when contact stopped).</summary>
    public bool IsOnTrack => Status != NurtureEnrolmentStatus.Ended;

    /// <summary>Converts to the Abstractions view of the enrolment.</summary>
    /// <returns>The enrolment.</returns>
    public NurtureEnrolment ToEnrolment() => new(LeadId, TrackId, Reason, EnrolledAt, NextStep, NextDueAt);
}
