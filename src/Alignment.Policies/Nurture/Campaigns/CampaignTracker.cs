using System.Diagnostics;
using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Lifecycle;
using Alignment.Segmentation;

namespace Alignment.Policies.Nurture.Campaigns;

/// <summary>
/// Tracks one webinar or event campaign: invited → registered → attended. When the campaign closes, registered no-shows go on
/// their own nurture track (entry reason <see cref="NurtureEntryReason.WebinarNoShow"/>: the recording, then a rep call task),
/// and every attendee gets a rep follow-up task due within the service level. <see cref="ReportAsync"/> gives the funnel.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe. Membership and the close are kept in an <see cref="ICampaignStore"/> (in memory unless one is given; use a durable
/// store such as PostgreSQL when the host may restart during a campaign), enrolments and sent steps in the nurture store. A close
/// interrupted half-way (a crash, a cancellation) is finished by the next <see cref="CloseAsync"/>: no registered no-show is left
/// without its follow-up. The close stamps each member before acting on it, so a registration or attendance racing with the close
/// either lands before it (and is acted on) or is refused.
/// </para>
/// <para>
/// Side effects are at least once: a crash after the step handler took an attendee task but before the member was saved sends
/// the task again on the next close, with the same execution id (<c>{campaign}/attendee/{lead id}</c>) for the handler to
/// deduplicate. A durable store keeps only the lead's id and routing facts, so with one the lead handed to the step handler
/// carries those (look the rest up by id). Close a campaign from one host at a time.
/// </para>
/// </remarks>
public sealed class CampaignTracker
{
    private readonly NurtureEngine _nurture;
    private readonly INurtureStepHandler _handler;
    private readonly INurtureStore _store;
    private readonly ILifecycleStore _lifecycles;
    private readonly ICampaignStore _campaigns;
    private readonly TimeProvider _time;

    /// <summary>Creates a tracker.</summary>
    /// <param name="campaign">The campaign's id (also the campaign of the no-show enrolments, so steps find its recording).</param>
    /// <param name="attendeeFollowUpSla">How soon after the campaign closes a rep must follow up an attendee.</param>
    /// <param name="nurture">Enrols the no-shows.</param>
    /// <param name="handler">Receives the attendees' rep follow-up tasks.</param>
    /// <param name="store">The nurture store (to see whether no-show follow-ups were carried out).</param>
    /// <param name="lifecycles">The lifecycle store (to count won deals).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="campaigns">Where membership and the close are kept; <see langword="null"/> for a new <see cref="InMemoryCampaignStore"/>.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="campaigns"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="campaign"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attendeeFollowUpSla"/> is not positive.</exception>
    public CampaignTracker(string campaign, TimeSpan attendeeFollowUpSla, NurtureEngine nurture, INurtureStepHandler handler, INurtureStore store, ILifecycleStore lifecycles, TimeProvider timeProvider, ICampaignStore? campaigns = null)
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
        _campaigns = campaigns ?? new InMemoryCampaignStore();
    }

    /// <summary>The campaign's id.</summary>
    public string Campaign { get; }

    /// <summary>How soon after close a rep must follow up an attendee.</summary>
    public TimeSpan AttendeeFollowUpSla { get; }

    /// <summary>Records an invitation (inviting twice is harmless: the first invitation stands).</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="segment">Its segment, if known (used for the no-show track).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when the lead was invited by this call; <see langword="false"/> when it already was.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lead"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The campaign is closed.</exception>
    public async ValueTask<bool> InviteAsync(Lead lead, SegmentId? segment = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lead);
        await ThrowIfClosedAsync(lead.Id, CampaignMemberStatus.Invited, cancellationToken).ConfigureAwait(false);
        var invited = Changed(lead.Id, CampaignEvent.Invited, _time.GetUtcNow());
        if (!await _campaigns.TryAddMemberAsync(new CampaignMember(Campaign, lead) { Segment = segment }, invited, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await PublishAsync(invited, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Records a registration (registering twice is harmless).</summary>
    /// <param name="leadId">An invited lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the registration is stored.</returns>
    /// <exception cref="InvalidOperationException">The lead was not invited, or the campaign is closed.</exception>
    public ValueTask RegisterAsync(LeadId leadId, CancellationToken cancellationToken = default) => AdvanceAsync(leadId, CampaignMemberStatus.Registered, cancellationToken);

    /// <summary>Records attendance (attending twice is harmless).</summary>
    /// <param name="leadId">A registered lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the attendance is stored.</returns>
    /// <exception cref="InvalidOperationException">The lead did not register, or the campaign is closed.</exception>
    public ValueTask AttendAsync(LeadId leadId, CancellationToken cancellationToken = default) => AdvanceAsync(leadId, CampaignMemberStatus.Attended, cancellationToken);

    /// <summary>
    /// Closes the campaign: every registered no-show is enrolled for its follow-up, and every attendee's rep follow-up task is
    /// handed to the step handler, due within <see cref="AttendeeFollowUpSla"/> of the close. Each member's outcome is stored as it
    /// is done, so calling it again after an interruption finishes the rest; after a completed close it does nothing. A no-show
    /// that is with sales or out of marketing's hands (stage MQL, SAL, SQL, opportunity, won or disqualified) is not pulled back
    /// into nurture: the reason is kept as <see cref="CampaignMember.NoShowSkippedReason"/> and it counts as not followed up.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call; what was done so far stays done.</param>
    /// <returns>The number of no-shows enrolled and of attendee tasks created by this call.</returns>
    public async ValueTask<(int NoShowsEnrolled, int AttendeeTasks)> CloseAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var closedAt = await _campaigns.CloseAsync(Campaign, now, cancellationToken).ConfigureAwait(false);
        var due = closedAt + AttendeeFollowUpSla;
        int enrolled = 0, tasks = 0;

        // The list is read whole first: the store's reader (a database connection) is not held while the handler and nurture run.
        foreach (var listed in await ListAsync(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Stamp first: after this no registration or attendance can change the member, so what follows matches its status.
            var member = await UpdateMemberAsync(listed.Lead.Id, m => m.ClosedAt is null ? m with { ClosedAt = closedAt } : null, null, cancellationToken).ConfigureAwait(false);
            if (member.Status == CampaignMemberStatus.Registered && member.NoShowEnrolmentId is null && member.NoShowSkippedReason is null)
            {
                var stage = (await _lifecycles.FindAsync(member.Lead.Id, cancellationToken).ConfigureAwait(false))?.Stage ?? LifecycleStage.Inquiry;
                if (stage is not (LifecycleStage.Inquiry or LifecycleStage.Recycled or LifecycleStage.Lost))
                {
                    string skipped = $"at stage {stage} when '{Campaign}' closed: not pulled back into nurture";
                    await UpdateMemberAsync(member.Lead.Id, m => m.NoShowEnrolmentId is null && m.NoShowSkippedReason is null ? m with { NoShowSkippedReason = skipped } : null, Changed(member.Lead.Id, CampaignEvent.NoShowNotEnrolled, now), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var request = new NurtureEnrolmentRequest(member.Lead, NurtureEntryReason.WebinarNoShow)
                {
                    Segment = member.Segment,
                    Campaign = Campaign,
                    Note = $"registered for '{Campaign}' and did not attend",
                };
                var outcome = await _nurture.PutOnTrackAsync(request, cancellationToken).ConfigureAwait(false);
                string enrolment = outcome.Enrolment.EnrolmentId;
                await UpdateMemberAsync(member.Lead.Id, m => m.NoShowEnrolmentId is null ? m with { NoShowEnrolmentId = enrolment } : null, Changed(member.Lead.Id, CampaignEvent.NoShowEnrolled, now), cancellationToken).ConfigureAwait(false);
                enrolled++;
            }
            else if (member.Status == CampaignMemberStatus.Attended && member.FollowUpDueAt is null)
            {
                var step = new NurtureStep("attendee-follow-up", NurtureStepKind.RepCallTask, null, TimeSpan.Zero);
                var why = $"attended '{Campaign}': a rep follows up by {due:yyyy-MM-dd HH:mm} UTC (service level {AttendeeFollowUpSla.TotalHours:0.#} h)";
                await _handler.ExecuteAsync(new NurtureStepExecution($"{Campaign}/attendee/{member.Lead.Id}", member.Lead, $"campaign:{Campaign}", step, null, Campaign, now, why), cancellationToken).ConfigureAwait(false);
                await UpdateMemberAsync(member.Lead.Id, m => m.FollowUpDueAt is null ? m with { FollowUpDueAt = due } : null, Changed(member.Lead.Id, CampaignEvent.FollowUpRequested, now), cancellationToken).ConfigureAwait(false);
                tasks++;
            }
        }

        return (enrolled, tasks);
    }

    /// <summary>Records that a rep followed up an attendee (the first follow-up counts).</summary>
    /// <param name="leadId">The attendee.</param>
    /// <param name="at">When the rep followed up.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the follow-up is stored.</returns>
    /// <exception cref="InvalidOperationException">The lead did not attend.</exception>
    public async ValueTask RecordRepFollowUpAsync(LeadId leadId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var member = await _campaigns.FindMemberAsync(Campaign, leadId, cancellationToken).ConfigureAwait(false);
        if (member is not { Status: CampaignMemberStatus.Attended })
        {
            throw new InvalidOperationException($"Lead {leadId} did not attend campaign '{Campaign}'; only attendees get a rep follow-up.");
        }

        await UpdateMemberAsync(leadId, m => m.FollowedUpAt is null ? m with { FollowedUpAt = at } : null, Changed(leadId, CampaignEvent.FollowedUp, at), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Asks the reps to call the invitees before the event, to learn their interests so the content can be tailored: for every member
    /// not yet called or asked for, a rep call task (step <c>pre-event-call</c>, id <c>{campaign}/pre-event/{lead}</c>) is handed to the
    /// step handler, owned by the lead's owner from <paramref name="owners"/> (asked with the lead's current facts from the nurture engine's lead source:
    /// <see cref="AccountOwnerLookup"/> names its account owner, then its routed rep) or, without one,
    /// left to the handler's queue; the member records the due time and owner. Calling it again asks only for the members added
    /// since; after an interruption it finishes the rest (the handler may see a task again for the member it was working on, with
    /// the same id).
    /// </summary>
    /// <param name="eventStartsAt">When the event starts: the calls are due by then.</param>
    /// <param name="owners">Finds each invitee's owner, asked with the invitee's lead (<see cref="ILeadOwnerLookup.FindOwnerOfLeadAsync(Lead, CancellationToken)"/>); <see langword="null"/> leaves every task to the handler's queue.</param>
    /// <param name="cancellationToken">Cancels the call; what was done so far stays done.</param>
    /// <returns>The call tasks handed over by this call.</returns>
    /// <exception cref="InvalidOperationException">The campaign is closed, or <paramref name="eventStartsAt"/> has passed.</exception>
    public async ValueTask<int> RequestPreEventCallsAsync(DateTimeOffset eventStartsAt, ILeadOwnerLookup? owners = null, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        if (eventStartsAt <= now)
        {
            throw new InvalidOperationException($"Campaign '{Campaign}': the event starts at {eventStartsAt:O}, which is not after now ({now:O}); pre-event calls are asked for before it.");
        }

        if (await _campaigns.FindClosedAtAsync(Campaign, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new InvalidOperationException($"Campaign '{Campaign}' is closed; its invitees are not called before the event any more.");
        }

        var tasks = 0;
        foreach (var member in await ListAsync(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member.PreEventCallDueAt is not null || member.PreEventCalledAt is not null || member.Status == CampaignMemberStatus.Attended)
            {
                continue;
            }

            string? owner = null;
            if (owners is not null)
            {
                // The lead's current facts (its account, domains) from the engine's lead source: a campaign store keeps only what the
                // funnel needs of the invitee (the PostgreSQL store keeps no e-mail address), and facts change after the invitation.
                var current = (await _nurture.Leads.FindAsync(member.Lead.Id, cancellationToken).ConfigureAwait(false))?.Lead ?? member.Lead;
                owner = await owners.FindOwnerOfLeadAsync(current, cancellationToken).ConfigureAwait(false);
            }

            var step = new NurtureStep("pre-event-call", NurtureStepKind.RepCallTask, null, TimeSpan.Zero);
            var why = $"invited to '{Campaign}': {owner ?? "a rep"} calls before {eventStartsAt:yyyy-MM-dd HH:mm} UTC to learn the invitee's interests, so the content can be tailored";
            await _handler.ExecuteAsync(new NurtureStepExecution($"{Campaign}/pre-event/{member.Lead.Id}", member.Lead, $"campaign:{Campaign}", step, null, Campaign, now, why), cancellationToken).ConfigureAwait(false);
            await UpdateMemberAsync(member.Lead.Id, m => m.PreEventCallDueAt is null ? m with { PreEventCallDueAt = eventStartsAt, PreEventCallOwner = owner } : null, Changed(member.Lead.Id, CampaignEvent.PreEventCallRequested, now), cancellationToken).ConfigureAwait(false);
            tasks++;
        }

        return tasks;
    }

    /// <summary>
    /// Records a rep's call to an invitee before the event and the interests heard; the first call's time counts, and every call's
    /// interests are kept (each once, case-insensitive, in the order first heard).
    /// </summary>
    /// <param name="leadId">The invitee.</param>
    /// <param name="at">When the rep called.</param>
    /// <param name="interests">What the invitee is interested in (topics, products, problems); blank entries are ignored.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the call is stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="interests"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The lead is not a member of the campaign.</exception>
    public async ValueTask RecordPreEventCallAsync(LeadId leadId, DateTimeOffset at, IEnumerable<string> interests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(interests);
        var heard = interests.Where(static i => !string.IsNullOrWhiteSpace(i)).Select(static i => i.Trim()).ToList();
        var member = await _campaigns.FindMemberAsync(Campaign, leadId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Lead {leadId} is not a member of campaign '{Campaign}'; only invitees are called before the event.");
        await UpdateMemberAsync(
            leadId,
            m =>
            {
                var merged = m.Interests.IsDefault ? [] : m.Interests;
                foreach (var interest in heard)
                {
                    if (!merged.Contains(interest, StringComparer.OrdinalIgnoreCase))
                    {
                        merged = merged.Add(interest);
                    }
                }

                return m.PreEventCalledAt is not null && merged.Length == m.Interests.Length ? null : m with { PreEventCalledAt = m.PreEventCalledAt ?? at, Interests = merged };
            },
            member.PreEventCalledAt is null ? Changed(leadId, CampaignEvent.PreEventCalled, at) : null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reports the campaign funnel now.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The funnel.</returns>
    public async ValueTask<CampaignFunnel> ReportAsync(CancellationToken cancellationToken = default)
    {
        bool closed = await _campaigns.FindClosedAtAsync(Campaign, cancellationToken).ConfigureAwait(false) is not null;
        int invited = 0, registered = 0, attended = 0, noShows = 0, noShowsFollowedUp = 0, withinSla = 0, late = 0, awaiting = 0, won = 0;
        int called = 0, calledRegistered = 0, calledAttended = 0, notCalledRegistered = 0, notCalledAttended = 0;
        foreach (var member in await ListAsync(cancellationToken).ConfigureAwait(false))
        {
            invited++;
            var wasCalled = member.PreEventCalledAt is not null;
            called += wasCalled ? 1 : 0;
            if (member.Status >= CampaignMemberStatus.Registered)
            {
                _ = wasCalled ? calledRegistered++ : notCalledRegistered++;
            }

            if (member.Status == CampaignMemberStatus.Attended)
            {
                _ = wasCalled ? calledAttended++ : notCalledAttended++;
            }

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
            else if (member.Status == CampaignMemberStatus.Registered && closed)
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

        return new CampaignFunnel(Campaign, invited, registered, attended, noShows, noShowsFollowedUp, withinSla, late, awaiting, won)
        {
            PreEventCalls = new PreEventCallFunnel(called, calledRegistered, calledAttended, invited - called, notCalledRegistered, notCalledAttended),
        };
    }

    private async ValueTask AdvanceAsync(LeadId leadId, CampaignMemberStatus to, CancellationToken cancellationToken)
    {
        await ThrowIfClosedAsync(leadId, to, cancellationToken).ConfigureAwait(false);
        var member = await _campaigns.FindMemberAsync(Campaign, leadId, cancellationToken).ConfigureAwait(false);
        if (member is null || member.Status < to - 1)
        {
            throw new InvalidOperationException($"Lead {leadId} cannot become {to} in campaign '{Campaign}': it is {(member is null ? "not invited" : member.Status.ToString())}; the funnel is invited → registered → attended.");
        }

        await UpdateMemberAsync(
            leadId,
            m => m.ClosedAt is not null
                ? throw new InvalidOperationException($"Campaign '{Campaign}' is closed; lead {leadId} cannot become {to}.")
                : m.Status < to ? m with { Status = to } : null,
            Changed(leadId, to == CampaignMemberStatus.Registered ? CampaignEvent.Registered : CampaignEvent.Attended, _time.GetUtcNow()),
            cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<List<CampaignMember>> ListAsync(CancellationToken cancellationToken)
    {
        var members = new List<CampaignMember>();
        await foreach (var member in _campaigns.ListMembersAsync(Campaign, cancellationToken).ConfigureAwait(false))
        {
            members.Add(member);
        }

        return members;
    }

    private async ValueTask ThrowIfClosedAsync(LeadId leadId, CampaignMemberStatus to, CancellationToken cancellationToken)
    {
        if (await _campaigns.FindClosedAtAsync(Campaign, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new InvalidOperationException($"Campaign '{Campaign}' is closed; lead {leadId} cannot become {to}.");
        }
    }

    /// <summary>
    /// Reads, changes and saves a member until no other writer interferes; <paramref name="change"/> returns null for "nothing to
    /// do" (or throws to refuse). Returns the member as stored afterwards.
    /// </summary>
    private async ValueTask<CampaignMember> UpdateMemberAsync(LeadId leadId, Func<CampaignMember, CampaignMember?> change, AlignmentDecision.CampaignChanged? decision, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        int attempt = 0;
        for (; await ConflictRetry.BeforeAttemptAsync(attempt, started, cancellationToken).ConfigureAwait(false); attempt++)
        {
            var current = await _campaigns.FindMemberAsync(Campaign, leadId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Lead {leadId} is not a member of campaign '{Campaign}'.");
            if (change(current) is not { } next)
            {
                return current;
            }

            if (await _campaigns.TryUpdateMemberAsync(next, current.Version, decision, cancellationToken).ConfigureAwait(false))
            {
                await PublishAsync(decision, cancellationToken).ConfigureAwait(false);
                return next with { Version = current.Version + 1 };
            }
        }

        throw new InvalidOperationException($"Lead {leadId} in campaign '{Campaign}': could not save after {ConflictRetry.Describe(attempt, started)} (concurrent writers); try again.");
    }

    private AlignmentDecision.CampaignChanged Changed(LeadId leadId, CampaignEvent what, DateTimeOffset at) => new(leadId, Campaign, what, at);

    /// <summary>Publishes a decision the store did not record with its change (a store that does not record decisions).</summary>
    private async ValueTask PublishAsync(AlignmentDecision? decision, CancellationToken cancellationToken)
    {
        if (decision is not null && !_campaigns.RecordsDecisions)
        {
            await _nurture.Decisions.PublishAsync(decision, cancellationToken).ConfigureAwait(false);
        }
    }
}
