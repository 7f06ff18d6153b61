using System.Collections.Immutable;
using System.Globalization;
using Alignment.Activities;
using Alignment.Handoff;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Metrics;
using Alignment.Policies.Nurture;
using Alignment.Scoring;

namespace Alignment.Cli.Demo;

/// <content>Marketing's side of the year: capture and scoring, website sessions, touches, nurture enrolments and runs, and the webinar.</content>
internal sealed partial class DemoPipeline
{
    private void PutSnapshot(LeadState state) =>
        _snapshots.Put(new LeadSnapshot(state.Sample.Lead, [.. state.Activities.Where(a => a.Timestamp >= state.EngagementSince || a.Type is ActivityType.Unsubscribed or ActivityType.Bounced)]) { Segment = state.Segment });

    private async ValueTask RecycleAsync(LeadState state, NurtureEntryReason reason, string note)
    {
        // Like most CRMs, a recycle resets engagement: only what the lead does from now on can make it an MQL again.
        state.EngagementSince = _clock.GetUtcNow();
        PutSnapshot(state);
        await EnrolAsync(new NurtureEnrolmentRequest(state.Sample.Lead, reason) { Segment = state.Segment, Actor = LifecycleActor.Sales, Note = note }).ConfigureAwait(false);
    }

    private async ValueTask CaptureAsync(LeadState state)
    {
        var sample = state.Sample;
        var lead = sample.Lead;
        _captured.Add(lead.Id);
        var first = sample.Sessions[0];
        state.Activities.AddRange(first.Activities);
        _activities += first.Activities.Length;
        state.Touches.Add(new MarketingTouch(sample.CapturedAt, lead.Source!, lead.Campaign));
        AddTouches(state, first.Activities, skipCampaign: lead.Campaign);
        var now = _clock.GetUtcNow();
        var card = _models.Scoring.Score(lead, state.Activities.ToArray(), now);
        state.Segment = _models.Segmentation.Assign(lead, card).Segment;
        state.CaptureScore = card.Total;
        PutSnapshot(state);
        if (card.State >= QualificationState.MarketingQualified)
        {
            await _recorder.TransitionAsync(lead.Id, LifecycleStage.MarketingQualified, LifecycleActor.System, $"score {card.Total.ToString(CultureInfo.InvariantCulture)} (grade {card.Grade}) at capture", _modelVersion).ConfigureAwait(false);
            await OnHandoffAsync(state, await _router.RouteWithDetailsAsync(new HandoffRequest(lead, card, state.Segment)).ConfigureAwait(false)).ConfigureAwait(false);
        }
        else
        {
            var reason = lead.Source is "Trade Show" or "Conference" ? NurtureEntryReason.EventContact
                : state.Activities.Count == 0 ? NurtureEntryReason.NeverEngaged : NurtureEntryReason.NotSalesReady;
            await EnrolAsync(new NurtureEnrolmentRequest(lead, reason) { Segment = state.Segment, Campaign = lead.Campaign, Note = $"captured from {lead.Source}, score {card.Total.ToString(CultureInfo.InvariantCulture)} below MQL" }).ConfigureAwait(false);
        }

        ScheduleNextSession(state);
    }

    private void ScheduleNextSession(LeadState state)
    {
        if (++state.NextSession < state.Sample.Sessions.Length)
        {
            Schedule(state.Sample.Sessions[state.NextSession].At, () => SessionAsync(state));
        }
    }

    private async ValueTask SessionAsync(LeadState state)
    {
        var session = state.Sample.Sessions[state.NextSession];
        state.Activities.AddRange(session.Activities);
        _activities += session.Activities.Length;
        AddTouches(state, session.Activities, skipCampaign: null);
        PutSnapshot(state);
        var lifecycle = await _lifecycles.FindAsync(state.Sample.Lead.Id).ConfigureAwait(false);
        if (lifecycle?.Stage is LifecycleStage.Recycled or LifecycleStage.Inquiry)
        {
            await HandleNurtureOutcomeAsync(await _nurture.ReevaluateAsync(state.Sample.Lead.Id).ConfigureAwait(false)).ConfigureAwait(false);
        }

        ScheduleNextSession(state);
    }

    private static void AddTouches(LeadState state, ImmutableArray<LeadActivity> activities, string? skipCampaign)
    {
        foreach (var a in activities)
        {
            if (a.Campaign is { } campaign && a.Type is ActivityType.FormSubmitted or ActivityType.ContentDownloaded or ActivityType.WebinarAttended or ActivityType.EventContact or ActivityType.DemoRequested
                && !string.Equals(campaign, skipCampaign, StringComparison.Ordinal))
            {
                state.Touches.Add(new MarketingTouch(a.Timestamp, SampleDataGenerator.SourceOf(campaign), campaign));
            }
        }
    }

    private async ValueTask EnrolAsync(NurtureEnrolmentRequest request)
    {
        await _nurture.PutOnTrackAsync(request).ConfigureAwait(false);
        _nurtureTally.Enrolments++;
    }

    private async ValueTask HandleNurtureOutcomeAsync(NurtureOutcome? outcome)
    {
        switch (outcome)
        {
            case NurtureOutcome.ExitedToHandoff exit:
                _nurtureTally.ExitsToHandoff++;
                var state = _leads[exit.LeadId];
                if (await _routingStore.FindAsync(exit.LeadId).ConfigureAwait(false) is { } handoff && handoff.DecidedAt == _clock.GetUtcNow())
                {
                    await OnHandoffAsync(state, handoff).ConfigureAwait(false);
                }

                break;
            case NurtureOutcome.StepSent { Repeated: false }:
                _nurtureTally.StepsSent++;
                break;
            case NurtureOutcome.StepSkipped:
                _nurtureTally.StepsSkipped++;
                break;
            case NurtureOutcome.TrackChanged:
                _nurtureTally.TrackChanges++;
                break;
            case NurtureOutcome.ContactStopped:
                _nurtureTally.ContactStopped++;
                break;
        }
    }

    private async ValueTask RunNurtureAsync()
    {
        NurtureRunResult run;
        do
        {
            run = await _nurture.RunDueAsync().ConfigureAwait(false);
            foreach (var outcome in run.Outcomes)
            {
                await HandleNurtureOutcomeAsync(outcome).ConfigureAwait(false);
            }
        }
        while (run.Claimed == _nurtureOptions.BatchSize);
    }

    private async ValueTask RunWebinarAsync()
    {
        // Invite 600 leads that marketing holds (on a track, reachable, well below MQL), 100 register, 60 attend.
        var now = _clock.GetUtcNow();
        var candidates = new List<LeadState>();
        foreach (var id in _captured)
        {
            var state = _leads[id];
            if (state.Sample.CapturedAt > now.AddDays(-21) || state.Activities.Exists(a => a.Type is ActivityType.Unsubscribed or ActivityType.Bounced))
            {
                continue;
            }

            if (await _lifecycles.FindAsync(id).ConfigureAwait(false) is not { Stage: LifecycleStage.Recycled or LifecycleStage.Inquiry }
                || await _nurtureStore.FindLatestAsync(id).ConfigureAwait(false) is not { IsOnTrack: true, Status: not NurtureEnrolmentStatus.ContactStopped })
            {
                continue;
            }

            var snapshot = await _snapshots.FindAsync(id).ConfigureAwait(false);
            if (_models.Scoring.Score(state.Sample.Lead, snapshot!.Activities.AsSpan(), now).Total <= 40)
            {
                candidates.Add(state);
            }
        }

        var rng = new Random(_seed ^ 0x600);
        var invited = candidates.OrderBy(_ => rng.Next()).Take(600).ToList();
        var registered = invited.OrderByDescending(s => s.Sample.Quality + 0.3 * rng.NextDouble()).Take(100).ToList();
        var attended = registered.OrderBy(_ => rng.Next()).Take(60).ToList();
        foreach (var s in invited)
        {
            await _webinar.InviteAsync(s.Sample.Lead, s.Segment).ConfigureAwait(false);
            s.Activities.Add(new LeadActivity(ActivityType.WebinarInvited, now.AddDays(-21)) { Campaign = DemoModels.WebinarCampaign });
        }

        foreach (var s in registered)
        {
            await _webinar.RegisterAsync(s.Sample.Lead.Id).ConfigureAwait(false);
            s.Activities.Add(new LeadActivity(ActivityType.WebinarRegistered, now.AddDays(-1 - rng.Next(18))) { Campaign = DemoModels.WebinarCampaign });
        }

        foreach (var s in attended)
        {
            await _webinar.AttendAsync(s.Sample.Lead.Id).ConfigureAwait(false);
            var attendance = new LeadActivity(ActivityType.WebinarAttended, now) { Campaign = DemoModels.WebinarCampaign };
            s.Activities.Add(attendance);
            AddTouches(s, [attendance], skipCampaign: null);
        }

        foreach (var s in invited)
        {
            s.Activities.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
            PutSnapshot(s);
        }

        _activities += invited.Count + registered.Count + attended.Count;
        Schedule(now.AddHours(1), CloseWebinarAsync);

        async ValueTask CloseWebinarAsync()
        {
            var closedAt = _clock.GetUtcNow();
            var (noShows, _) = await _webinar.CloseAsync().ConfigureAwait(false);
            _nurtureTally.Enrolments += noShows;
            await RunNurtureAsync().ConfigureAwait(false);
            foreach (var s in attended)
            {
                // Inside sales calls each attendee (service level 48 hours); attendance may also lift the score over MQL.
                Schedule(closedAt.AddHours(Math.Min(70, 20 * Math.Exp(0.7 * Normal(s.Random)))), () => _webinar.RecordRepFollowUpAsync(s.Sample.Lead.Id, _clock.GetUtcNow()));
                await HandleNurtureOutcomeAsync(await _nurture.ReevaluateAsync(s.Sample.Lead.Id).ConfigureAwait(false)).ConfigureAwait(false);
            }
        }
    }
}
