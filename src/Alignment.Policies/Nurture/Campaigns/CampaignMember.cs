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
}
