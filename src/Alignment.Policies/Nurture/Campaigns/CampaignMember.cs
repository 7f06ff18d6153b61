using Alignment.Leads;
using Alignment.Segmentation;

namespace Alignment.Policies.Nurture.Campaigns;

/// <summary>One lead's membership of a webinar or event campaign, as an <see cref="ICampaignStore"/> keeps it.</summary>
/// <param name="Campaign">The campaign's id.</param>
/// <param name="Lead">
/// The lead. The in-memory store keeps the object it was given; a durable store keeps the lead's id and the facts that routing and
/// nurture read (account id, company country, region and domain, person language, source) and gives back a lead with those.
/// </param>
public sealed record CampaignMember(string Campaign, Lead Lead)
{
    /// <summary>The lead's segment when it was invited, if known (used for the no-show track).</summary>
    public SegmentId? Segment { get; init; }

    /// <summary>How far the lead got.</summary>
    public CampaignMemberStatus Status { get; init; }

    /// <summary>After close, for a no-show: the nurture enrolment that follows it up.</summary>
    public string? NoShowEnrolmentId { get; init; }

    /// <summary>After close, for an attendee: when the rep's follow-up is due.</summary>
    public DateTimeOffset? FollowUpDueAt { get; init; }

    /// <summary>For an attendee: when a rep followed up.</summary>
    public DateTimeOffset? FollowedUpAt { get; init; }

    /// <summary>When the campaign's close reached this member: from then on its status no longer changes.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>After close, for a no-show that was not put on the no-show track: why (for example, the lead is with sales).</summary>
    public string? NoShowSkippedReason { get; init; }

    /// <summary>The store's version of the row: 1 when added, one more per update; the optimistic-concurrency check.</summary>
    public int Version { get; init; }

    /// <summary>When the pre-event call was asked for: the event's start, by which the rep should call; <see langword="null"/> when no call was asked for.</summary>
    public DateTimeOffset? PreEventCallDueAt { get; init; }

    /// <summary>
    /// Who the pre-event call task went to: the lead's holder when it was asked for, as the owner lookup describes it (<c>rep ana
    /// (Assigned)</c>, or <c>queue 'unassigned' (Queued)</c> for a lead waiting in a queue); <see langword="null"/> when the lead had
    /// none and the handler's queue took it.
    /// </summary>
    public string? PreEventCallOwner { get; init; }

    /// <summary>When a rep called the invitee before the event (the first call counts).</summary>
    public DateTimeOffset? PreEventCalledAt { get; init; }

    /// <summary>The interests the reps heard on their calls, in the order first heard, each once (case-insensitive).</summary>
    public System.Collections.Immutable.ImmutableArray<string> Interests { get; init; } = [];

    /// <summary>Whether another member has the same values, <see cref="Interests"/> compared item by item.</summary>
    /// <param name="other">The other member.</param>
    /// <returns><see langword="true"/> when every value is equal.</returns>
    public bool Equals(CampaignMember? other) =>
        other is not null
        && Campaign == other.Campaign && EqualityComparer<Lead>.Default.Equals(Lead, other.Lead) && Segment == other.Segment && Status == other.Status
        && NoShowEnrolmentId == other.NoShowEnrolmentId && FollowUpDueAt == other.FollowUpDueAt && FollowedUpAt == other.FollowedUpAt
        && ClosedAt == other.ClosedAt && NoShowSkippedReason == other.NoShowSkippedReason && Version == other.Version
        && PreEventCallDueAt == other.PreEventCallDueAt && PreEventCallOwner == other.PreEventCallOwner && PreEventCalledAt == other.PreEventCalledAt
        && (Interests.IsDefault ? [] : Interests).SequenceEqual(other.Interests.IsDefault ? [] : other.Interests, StringComparer.Ordinal);

    /// <summary>A hash of the values <see cref="Equals(CampaignMember?)"/> compares.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => HashCode.Combine(Campaign, Lead, Status, Version, ClosedAt, PreEventCalledAt, Interests.IsDefault ? 0 : Interests.Length);
}
