using System.Collections.Concurrent;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Segmentation;

namespace Alignment.Policies.Nurture.Campaigns;

/// <summary>
/// Tracks one webinar or event campaign: invited → registered → attended. When the campaign closes, registered no-shows go on
/// their own nurture track (entry reason <see cref="NurtureEntryReason.WebinarNoShow"/>: the recording, then a rep call task),
/// and every attendee gets a rep follow-up task due within the service level. <see cref="ReportAsync"/> gives the funnel.
/// </summary>
/// <remarks>Thread-safe. Membership is kept in memory for the life of the campaign; enrolments and sent steps live in the nurture store.</remarks>
public sealed class CampaignTracker
{
    private readonly ConcurrentDictionary<LeadId, Member> _members = new();
    private readonly Lock _gate = new();
    private readonly NurtureEngine _nurture;
    private readonly INurtureStepHandler _handler;
    private readonly INurtureStore _store;
    private readonly ILifecycleStore _lifecycles;
    private readonly TimeProvider _time;
    private DateTimeOffset? _closedAt;

    /// <summary>Creates a tracker.</summary>
    /// <param name="campaign">The campaign's id (also the campaign of the no-show enrolments, so steps find its recording).</param>
    /// <param name="attendeeFollowUpSla">How soon after the campaign closes a rep must follow up an attendee.</param>
    /// <param name="nurture">Enrols the no-shows.</param>
    /// <param name="handler">Receives the attendees' rep follow-up tasks.</param>
    /// <param name="store">The nurture store (to see whether no-show follow-ups were carried out).</param>
    /// <param name="lifecycles">The lifecycle store (to count won deals).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="campaign"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attendeeFollowUpSla"/> is not positive.</exception>
    public CampaignTracker(string campaign, TimeSpan attendeeFollowUpSla, NurtureEngine nurture, INurtureStepHandler handler, INurtureStore store, ILifecycleStore lifecycles, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(campaign);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(attendeeFollowUpSla, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(nurture);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(lifecycles);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Campaign = campaign;
        AttendeeFollowUpSla = attendeeFollowUpSla;
        _nurture = nurture;
        _handler = handler;
        _store = store;
        _lifecycles = lifecycles;
        _time = timeProvider;
    }

    /// <summary>The campaign's id.</summary>
    public string Campaign { get; }

    /// <summary>How soon after close a rep must follow up an attendee.</summary>
    public TimeSpan AttendeeFollowUpSla { get; }

    /// <summary>Records an invitation (inviting twice is harmless).</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="segment">Its segment, if known (used for the no-show track).</param>
    /// <exception cref="ArgumentNullException"><paramref name="lead"/> is null.</exception>
    public void Invite(Lead lead, SegmentId? segment = null)
    {
        ArgumentNullException.ThrowIfNull(lead);
        _members.TryAdd(lead.Id, new Member(lead, segment));
    }

    /// <summary>Records a registration.</summary>
    /// <param name="leadId">An invited lead.</param>
    /// <exception cref="InvalidOperationException">The lead was not invited, or the campaign is closed.</exception>
    public void Register(LeadId leadId) => Advance(leadId, CampaignMemberStatus.Registered);

    /// <summary>Records attendance.</summary>
    /// <param name="leadId">A registered lead.</param>
    /// <exception cref="InvalidOperationException">The lead did not register, or the campaign is closed.</exception>
    public void Attend(LeadId leadId) => Advance(leadId, CampaignMemberStatus.Attended);

    /// <summary>
    /// Closes the campaign: every registered no-show is enrolled for its follow-up, and every attendee's rep follow-up task is
    /// handed to the step handler, due within <see cref="AttendeeFollowUpSla"/>. Closing twice does nothing the second time.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of no-shows enrolled and of attendee tasks created by this call.</returns>
    public async ValueTask<(int NoShowsEnrolled, int AttendeeTasks)> CloseAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_closedAt is not null)
            {
                return (0, 0);
            }

            _closedAt = now;
        }

        int enrolled = 0, tasks = 0;
        var due = now + AttendeeFollowUpSla;
        foreach (var member in _members.Values.OrderBy(static m => m.Lead.Id.Value, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member.Status == CampaignMemberStatus.Registered)
            {
                var outcome = await _nurture.PutOnTrackAsync(new NurtureEnrolmentRequest(member.Lead, NurtureEntryReason.WebinarNoShow) { Segment = member.Segment, Campaign = Campaign, Note = $"registered for '{Campaign}' and did not attend" }, cancellationToken).ConfigureAwait(false);
                member.NoShowEnrolmentId = outcome.Enrolment.EnrolmentId;
                enrolled++;
            }
            else if (member.Status == CampaignMemberStatus.Attended)
            {
                var step = new NurtureStep("attendee-follow-up", NurtureStepKind.RepCallTask, null, TimeSpan.Zero);
                var why = $"attended '{Campaign}': a rep follows up by {due:yyyy-MM-dd HH:mm} UTC (service level {AttendeeFollowUpSla.TotalHours:0.#} h)";
                await _handler.ExecuteAsync(new NurtureStepExecution($"{Campaign}/attendee/{member.Lead.Id}", member.Lead, $"campaign:{Campaign}", step, null, Campaign, now, why), cancellationToken).ConfigureAwait(false);
                member.FollowUpDueAt = due;
                tasks++;
            }
        }

        return (enrolled, tasks);
    }

    /// <summary>Records that a rep followed up an attendee.</summary>
    /// <param name="leadId">The attendee.</param>
    /// <param name="at">When the rep followed up.</param>
    /// <exception cref="InvalidOperationException">The lead did not attend.</exception>
    public void RecordRepFollowUp(LeadId leadId, DateTimeOffset at)
    {
        if (!_members.TryGetValue(leadId, out var member) || member.Status != CampaignMemberStatus.Attended)
        {
            throw new InvalidOperationException($"Lead {leadId} did not attend campaign '{Campaign}'; only attendees get a rep follow-up.");
        }

        member.FollowedUpAt ??= at;
    }

    /// <summary>Reports the campaign funnel now.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The funnel.</returns>
    public async ValueTask<CampaignFunnel> ReportAsync(CancellationToken cancellationToken = default)
    {
        int invited = 0, registered = 0, attended = 0, noShows = 0, noShowsFollowedUp = 0, withinSla = 0, late = 0, awaiting = 0, won = 0;
        foreach (var member in _members.Values)
        {
            invited++;
            if (member.Status >= CampaignMemberStatus.Registered)
            {
                registered++;
            }

            if (member.Status == CampaignMemberStatus.Attended)
            {
                attended++;
                if (member.FollowedUpAt is { } at)
                {
                    if (member.FollowUpDueAt is { } due && at <= due)
                    {
                        withinSla++;
                    }
                    else
                    {
                        late++;
                    }
                }
                else
                {
                    awaiting++;
                }
            }
            else if (member.Status == CampaignMemberStatus.Registered && _closedAt is not null)
            {
                noShows++;
                if (member.NoShowEnrolmentId is { } enrolment && await _store.WasSentAsync(enrolment, 0, cancellationToken).ConfigureAwait(false))
                {
                    noShowsFollowedUp++;
                }
            }

            if (await _lifecycles.FindAsync(member.Lead.Id, cancellationToken).ConfigureAwait(false) is { Stage: LifecycleStage.Won })
            {
                won++;
            }
        }

        return new CampaignFunnel(Campaign, invited, registered, attended, noShows, noShowsFollowedUp, withinSla, late, awaiting, won);
    }

    private void Advance(LeadId leadId, CampaignMemberStatus to)
    {
        lock (_gate)
        {
            if (_closedAt is not null)
            {
                throw new InvalidOperationException($"Campaign '{Campaign}' is closed; lead {leadId} cannot become {to}.");
            }

            if (!_members.TryGetValue(leadId, out var member) || member.Status < to - 1)
            {
                throw new InvalidOperationException($"Lead {leadId} cannot become {to} in campaign '{Campaign}': it is {(member is null ? "not invited" : member.Status.ToString())}; the funnel is invited → registered → attended.");
            }

            if (member.Status < to)
            {
                member.Status = to;
            }
        }
    }

    private sealed class Member(Lead lead, SegmentId? segment)
    {
        public Lead Lead { get; } = lead;

        public SegmentId? Segment { get; } = segment;

        public CampaignMemberStatus Status { get; set; }

        public string? NoShowEnrolmentId { get; set; }

        public DateTimeOffset? FollowUpDueAt { get; set; }

        public DateTimeOffset? FollowedUpAt { get; set; }
    }
}
