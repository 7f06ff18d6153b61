using System.Collections.Immutable;
using System.Globalization;
using Alignment.Activities;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Handoff;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Metrics;
using Alignment.Policies.Nurture;
using Alignment.Policies.Nurture.Campaigns;
using Alignment.Scoring;
using Alignment.Segmentation;
using Alignment.Segmentation.Collateral;
using Alignment.Segmentation.Consistency;

namespace Alignment.Cli.Demo;

/// <summary>
/// Runs the sample year through the real engines on a simulated clock: capture → score → segment → handoff → nurture → outcomes.
/// Events (a lead captured, a website session, a rep's first touch, the router's service-level check at a handoff's due time, a
/// sales decision, the nurture scheduler's morning run, the webinar) are processed in time order; the sales reps' decisions are drawn from each lead's own seeded random stream, so the
/// whole year is the same on every run.
/// </summary>
internal sealed class DemoPipeline : IDisposable
{
    private static readonly DateTimeOffset WebinarAt = new(2025, 6, 12, 16, 0, 0, TimeSpan.Zero);
    private readonly DemoModelSet _models;
    private readonly ImmutableArray<SampleLead> _sample;
    private readonly int _seed;
    private readonly SimulationClock _clock = new(SampleDataGenerator.Start);
    private readonly PriorityQueue<Func<ValueTask>, (long Ticks, long Sequence)> _events = new();
    private readonly InMemoryLifecycleStore _lifecycles = new();
    private readonly InMemoryNurtureStore _nurtureStore = new();
    private readonly InMemoryLeadSnapshotSource _snapshots = new();
    private readonly InMemoryNurtureOutbox _outbox = new();
    private readonly ReopeningRoutingStateStore _routingStore = new(new InMemoryRoutingStateStore());
    private readonly RoutingTally _tally = new();
    private readonly SlaEscalationTally _escalations = new();
    private readonly LifecycleRecorder _recorder;
    private readonly HandoffRouter _router;
    private readonly NurtureEngine _nurture;
    private readonly LifecycleAudit _audit;
    private readonly CampaignTracker _webinar;
    private readonly NurtureOptions _nurtureOptions = new() { InstanceId = "demo", BatchSize = 2_000 };
    private readonly Dictionary<LeadId, LeadState> _leads = [];
    private readonly List<LeadId> _captured = [];
    private readonly List<FirstTouch> _touches = [];
    private readonly NurtureTally _nurtureTally = new();
    private readonly Dictionary<string, double> _repPace = new(StringComparer.Ordinal);
    private readonly string _modelVersion;
    private long _sequence;
    private int _activities;
    private int _queueSweeps;
    private int _auditsRun;
    private int _worstAudit;

    /// <summary>Creates the pipeline over the sample leads.</summary>
    /// <param name="models">The compiled models.</param>
    /// <param name="sample">The generated leads.</param>
    /// <param name="seed">The seed they were generated with.</param>
    public DemoPipeline(DemoModelSet models, ImmutableArray<SampleLead> sample, int seed)
    {
        _models = models;
        _sample = sample;
        _seed = seed;
        _modelVersion = $"{models.Scoring.Id}@{models.Scoring.Version}";
        _recorder = new LifecycleRecorder(_lifecycles, _tally, _clock);
        _router = new HandoffRouter(models.Routing, _routingStore, _tally, _clock, lifecycle: _lifecycles, escalation: _escalations);
        var content = new InMemoryNurtureContentLibrary();
        foreach (var item in NurtureContentFrom(models))
        {
            content.Add(item);
        }

        _nurture = new NurtureEngine(models.Nurture, _nurtureStore, _recorder, models.Scoring, content, _outbox, _snapshots, _tally, _clock, _nurtureOptions, _router);
        _audit = new LifecycleAudit(_lifecycles, _nurtureStore, new RoutingStateOwnerLookup(_routingStore));
        _webinar = new CampaignTracker(DemoModels.WebinarCampaign, TimeSpan.FromHours(48), _nurture, _outbox, _nurtureStore, _lifecycles, _clock);
        double[] paces = [0.7, 1.0, 1.3, 0.85, 1.15, 1.6, 0.9];
        for (int i = 0; i < models.Routing.Reps.Length; i++)
        {
            _repPace[models.Routing.Reps[i].Value] = paces[i % paces.Length];
        }
    }

    /// <summary>Runs the year.</summary>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>What the run measured.</returns>
    public async Task<DemoRun> RunAsync(CancellationToken cancellationToken = default)
    {
        foreach (var sample in _sample)
        {
            var state = new LeadState(sample);
            _leads[sample.Lead.Id] = state;
            Schedule(sample.CapturedAt, () => CaptureAsync(state));
        }

        for (var day = SampleDataGenerator.Start; day < SampleDataGenerator.End; day = day.AddDays(1))
        {
            Schedule(day.AddHours(7), RunNurtureAsync);
            Schedule(day.AddHours(23).AddMinutes(59), AuditAsync);
        }

        Schedule(WebinarAt, RunWebinarAsync);

        while (_events.TryDequeue(out var action, out var when))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (when.Ticks >= SampleDataGenerator.End.UtcTicks)
            {
                break;
            }

            _clock.MoveTo(new DateTimeOffset(when.Ticks, TimeSpan.Zero));
            await action().ConfigureAwait(false);
        }

        _clock.MoveTo(SampleDataGenerator.End);
        var finalAudit = await _audit.RunAsync(_captured, cancellationToken).ConfigureAwait(false);
        var funnel = new List<FunnelLead>(_leads.Count);
        var scores = ImmutableArray.CreateBuilder<(decimal, LeadOutcome)>(_leads.Count);
        foreach (var id in _captured)
        {
            var state = _leads[id];
            var lifecycle = await _lifecycles.FindAsync(id, cancellationToken).ConfigureAwait(false) ?? LeadLifecycle.Start(id);
            var lead = state.Sample.Lead;
            funnel.Add(new FunnelLead(lifecycle, state.Sample.CapturedAt)
            {
                Segment = state.Segment,
                Source = lead.Source,
                Campaign = lead.Campaign,
                FirstSalesTouchAt = state.FirstTouchAt,
                SlaDueAt = state.SlaDueAt,
                WonAmount = lifecycle.Stage == LifecycleStage.Won ? state.Sample.DealSize : null,
                Touches = [.. state.Touches],
            });
            scores.Add((state.CaptureScore, OutcomeOf(lifecycle.Stage)));
        }

        var metrics = AlignmentMetrics.Compute(funnel, new AlignmentMetricsOptions { AsOf = SampleDataGenerator.End, Period = MetricsPeriod.Quarter });
        var webinar = await _webinar.ReportAsync(cancellationToken).ConfigureAwait(false);
        _models.CollateralClock.Set(SampleDataGenerator.End);
        return new DemoRun
        {
            Models = _models,
            Seed = _seed,
            Leads = _captured.Count,
            Activities = _activities,
            AsOf = SampleDataGenerator.End,
            Metrics = metrics,
            Webinar = webinar,
            FinalAudit = finalAudit,
            AuditsRun = _auditsRun,
            WorstAuditDuringYear = _worstAudit,
            Routing = _tally,
            FirstTouches = [.. _touches],
            ScoresByOutcome = scores.MoveToImmutable(),
            Nurture = _nurtureTally,
            Consistency = MessageConsistency.Analyze(SampleAnswers.Surveys(_models), divergentCount: 5),
            Collateral = _models.Collateral.Items,
            QueueSweeps = _queueSweeps,
            Escalations = _escalations,
        };
    }

    /// <inheritdoc />
    public void Dispose() => _router.Dispose();

    private static LeadOutcome OutcomeOf(LifecycleStage stage) => stage switch
    {
        LifecycleStage.Inquiry or LifecycleStage.Recycled => LeadOutcome.Nurture,
        LifecycleStage.Won => LeadOutcome.Won,
        LifecycleStage.Lost => LeadOutcome.Lost,
        LifecycleStage.Disqualified => LeadOutcome.Disqualified,
        _ => LeadOutcome.Open,
    };

    private static IEnumerable<NurtureContent> NurtureContentFrom(DemoModelSet models)
    {
        int segments = DemoModels.Segments.Length;
        foreach (var item in models.Collateral.Items)
        {
            if (item.Kind is null)
            {
                continue;
            }

            var content = new NurtureContent(item.Id, item.Kind, item.ApprovedAt ?? item.LastReviewedAt)
            {
                Approved = item.Status == CollateralStatus.Approved,
                ExpiresAt = item.ExpiresAt,
                Title = item.Title,
                Campaign = models.CollateralCampaigns.GetValueOrDefault(item.Id),
            };
            if (item.Segments.Length == segments)
            {
                yield return content;
            }
            else
            {
                foreach (var segment in item.Segments)
                {
                    yield return content with { Segment = segment };
                }
            }
        }
    }

    private void PutSnapshot(LeadState state) =>
        _snapshots.Put(new LeadSnapshot(state.Sample.Lead, [.. state.Activities.Where(a => a.Timestamp >= state.EngagementSince || a.Type is ActivityType.Unsubscribed or ActivityType.Bounced)]) { Segment = state.Segment });

    private async ValueTask RecycleAsync(LeadState state, NurtureEntryReason reason, string note)
    {
        // Like most CRMs, a recycle resets engagement: only what the lead does from now on can make it an MQL again.
        state.EngagementSince = _clock.GetUtcNow();
        PutSnapshot(state);
        await EnrolAsync(new NurtureEnrolmentRequest(state.Sample.Lead, reason) { Segment = state.Segment, Actor = LifecycleActor.Sales, Note = note }).ConfigureAwait(false);
    }

    private void Schedule(DateTimeOffset at, Func<ValueTask> action) => _events.Enqueue(action, (at.UtcTicks, _sequence++));

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
                var state = _leads[exit.Lead];
                if (await _routingStore.FindAsync(exit.Lead).ConfigureAwait(false) is { } handoff && handoff.DecidedAt == _clock.GetUtcNow())
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

    private async ValueTask AuditAsync()
    {
        var report = await _audit.RunAsync(_captured).ConfigureAwait(false);
        _auditsRun++;
        _worstAudit = Math.Max(_worstAudit, report.LeadsWithoutOwnerOrTrack + report.HeldTwice.Length);
    }

    private async ValueTask OnHandoffAsync(LeadState state, HandoffAssignment handoff)
    {
        var now = _clock.GetUtcNow();
        state.HandledEpoch = handoff.Epoch;
        if (handoff.Rep is not { } rep)
        {
            // Every rep of the matching pools is full: the lead waits in the queue until the morning sweep routes it again.
            Schedule(now.Date.AddDays(1).AddHours(6).AddMinutes(30), () => SweepQueueAsync(state, handoff.Epoch));
            return;
        }

        var sla = _models.Routing.GetSla(_models.Routing.IndexOfRule(handoff.Decision.RuleId));
        var start = (handoff.SlaDueAt ?? now) - sla;
        if (state.SlaDueAt is null && handoff.Phase == RoutingPhase.Initial)
        {
            state.SlaDueAt = handoff.SlaDueAt;
        }

        double pace = _repPace.GetValueOrDefault(rep.Value, 1.0);
        double minutes = sla <= TimeSpan.FromHours(1)
            ? 8 * pace * Math.Exp(0.8 * Normal(state.Random))
            : 240 * pace * Math.Exp(1.1 * Normal(state.Random));
        var touchAt = start + TimeSpan.FromMinutes(Math.Max(1, minutes));
        state.SlaMinutes = (int)sla.TotalMinutes;
        Schedule(touchAt < now ? now : touchAt, () => FirstTouchAsync(state, handoff.Epoch, (int)sla.TotalMinutes, start));
        if (handoff.SlaDueAt is { } due)
        {
            // Scheduled after the touch, so a touch at the very due time comes first and counts as in time (as FirstTouch.Met does).
            Schedule(due, () => CheckSlaAsync(state, handoff.Epoch));
        }

        await ValueTask.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>
    /// The host's service-level job, woken at a handoff's due time: when the rep has not touched the lead yet, it runs the router's
    /// <see cref="HandoffRouter.ProcessSlaBreachesAsync"/>, which publishes the breach, notifies the manager when the rule asks for it,
    /// and reassigns or escalates to a queue when the rule sets <c>maxReassignments</c>. A host runs the same call every minute; in the
    /// simulation it runs only at the instants a breach can begin, which finds the same breaches without half a million idle calls.
    /// </summary>
    private async ValueTask CheckSlaAsync(LeadState state, int epoch)
    {
        if (await _routingStore.FindAsync(state.Sample.Lead.Id).ConfigureAwait(false) is not { Status: HandoffStatus.Assigned, Escalated: false } current || current.Epoch != epoch)
        {
            return; // touched in time, rerouted, or already reported by a check at the same instant
        }

        int before = _tally.SlaBreaches.Count;
        _escalations.Checks++;
        var handoffs = await _router.ProcessSlaBreachesAsync().ConfigureAwait(false);
        for (int i = before; i < _tally.SlaBreaches.Count; i++)
        {
            int minutes = _leads[_tally.SlaBreaches[i].Lead].SlaMinutes;
            _escalations.BreachesBySlaMinutes[minutes] = _escalations.BreachesBySlaMinutes.GetValueOrDefault(minutes) + 1;
        }

        foreach (var handoff in handoffs)
        {
            var breached = _leads[handoff.LeadId];
            if (handoff.Epoch <= breached.HandledEpoch)
            {
                continue; // still with the rep who missed it (the rule does not reassign), or already handled
            }

            // The router moved the lead on (a new epoch): the new rep gets a first touch of their own and a new service level; the
            // touch scheduled for the rep who missed it is dropped when it comes, because its epoch is stale.
            if (handoff.Rep is null)
            {
                _escalations.EscalatedToQueue++;
            }
            else
            {
                _escalations.Reassigned++;
            }

            await OnHandoffAsync(breached, handoff).ConfigureAwait(false);
        }
    }

    private async ValueTask SweepQueueAsync(LeadState state, int epoch)
    {
        var id = state.Sample.Lead.Id;
        if (await _routingStore.FindAsync(id).ConfigureAwait(false) is not { Status: HandoffStatus.Queued } current || current.Epoch != epoch)
        {
            return;
        }

        _queueSweeps++;
        var snapshot = await _snapshots.FindAsync(id).ConfigureAwait(false);
        var card = _models.Scoring.Score(state.Sample.Lead, snapshot!.Activities.AsSpan(), _clock.GetUtcNow());
        var request = new HandoffRequest(state.Sample.Lead, card with { State = card.State < QualificationState.MarketingQualified ? QualificationState.MarketingQualified : card.State }, state.Segment);
        await OnHandoffAsync(state, await _router.RouteWithDetailsAsync(request).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private async ValueTask FirstTouchAsync(LeadState state, int epoch, int slaMinutes, DateTimeOffset slaStart)
    {
        var id = state.Sample.Lead.Id;
        var current = await _routingStore.FindAsync(id).ConfigureAwait(false);
        if (current is not { Status: HandoffStatus.Assigned } || current.Epoch != epoch)
        {
            // RecordFirstTouchAsync touches whatever handoff is in force; a touch for an older epoch belongs to a rep who no longer
            // holds the lead (the router reassigned it or queued it after a breach), so it is dropped: the new owner touches it.
            if (current is not null && current.Epoch > epoch)
            {
                _escalations.StaleTouchesDropped++;
            }

            return;
        }

        var touched = await _router.RecordFirstTouchAsync(id, by: current.Rep).ConfigureAwait(false);
        var now = _clock.GetUtcNow();
        state.FirstTouchAt ??= now;
        _touches.Add(new FirstTouch(touched.Rep!.Value.Value, slaMinutes, (now - slaStart).TotalMinutes, touched.SlaDueAt is not { } due || now <= due, touched.Escalated));
        var hours = current.Qualification ? 1 + state.Random.Next(47) : 2 + state.Random.Next(70);
        Schedule(now.AddHours(hours), () => DecideAsync(state, epoch));
    }

    private async ValueTask DecideAsync(LeadState state, int epoch)
    {
        var id = state.Sample.Lead.Id;
        if (await _routingStore.FindAsync(id).ConfigureAwait(false) is not { Status: HandoffStatus.Touched } current || current.Epoch != epoch)
        {
            return;
        }

        double q = state.Sample.Quality;
        var rng = state.Random;
        double roll = rng.NextDouble();
        if (current.Qualification)
        {
            if (roll < 0.3 + 0.6 * q)
            {
                await OnHandoffAsync(state, await _router.HandOffQualifiedAsync(id).ConfigureAwait(false)).ConfigureAwait(false);
                return;
            }

            await RejectAsync(state, rng.NextDouble() < 0.65).ConfigureAwait(false);
            return;
        }

        if (roll < 0.6 + 0.35 * q)
        {
            await _router.AcceptAsync(id, by: current.Rep).ConfigureAwait(false);
            Schedule(_clock.GetUtcNow().AddDays(2 + rng.Next(9)), () => ProgressAsync(state, LifecycleStage.SalesAccepted));
            return;
        }

        await RejectAsync(state, rng.NextDouble() < 0.7).ConfigureAwait(false);
    }

    private async ValueTask RejectAsync(LeadState state, bool timing)
    {
        var id = state.Sample.Lead.Id;
        var rng = state.Random;
        if (timing)
        {
            var reason = rng.NextDouble() < 0.5 ? RejectionReason.Timing : RejectionReason.NotNow;
            await _router.RejectAsync(id, reason, reason == RejectionReason.Timing ? "evaluating next quarter" : "busy with a migration").ConfigureAwait(false);
            await RecycleAsync(state, NurtureEntryReason.RecycledTiming, "sales: timing, call back later").ConfigureAwait(false);
            return;
        }

        RejectionReason[] reasons = [RejectionReason.NotAFit, RejectionReason.NotAFit, RejectionReason.BadData, RejectionReason.Duplicate, RejectionReason.NoAuthority];
        await _router.RejectAsync(id, reasons[rng.Next(reasons.Length)]).ConfigureAwait(false);
    }

    private async ValueTask ProgressAsync(LeadState state, LifecycleStage expected)
    {
        var id = state.Sample.Lead.Id;
        var lifecycle = await _lifecycles.FindAsync(id).ConfigureAwait(false);
        if (lifecycle?.Stage != expected)
        {
            return;
        }

        double q = state.Sample.Quality;
        var rng = state.Random;
        double roll = rng.NextDouble();
        var now = _clock.GetUtcNow();
        switch (expected)
        {
            case LifecycleStage.SalesAccepted when roll < 0.25 + 0.45 * q:
                await _recorder.TransitionAsync(id, LifecycleStage.SalesQualified, LifecycleActor.Sales, "need, budget and timeline confirmed").ConfigureAwait(false);
                Schedule(now.AddDays(3 + rng.Next(12)), () => ProgressAsync(state, LifecycleStage.SalesQualified));
                break;
            case LifecycleStage.SalesAccepted:
                await RecycleAsync(state, NurtureEntryReason.RecycledTiming, "no budget this year").ConfigureAwait(false);
                break;
            case LifecycleStage.SalesQualified when roll < 0.55 + 0.3 * q:
                await _recorder.TransitionAsync(id, LifecycleStage.Opportunity, LifecycleActor.Sales, "opportunity opened").ConfigureAwait(false);
                Schedule(now.AddDays(20 + rng.Next(71)), () => ProgressAsync(state, LifecycleStage.Opportunity));
                break;
            case LifecycleStage.SalesQualified:
                await _recorder.TransitionAsync(id, LifecycleStage.Disqualified, LifecycleActor.Sales, "no project after discovery").ConfigureAwait(false);
                break;
            case LifecycleStage.Opportunity when roll < 0.06 + 0.42 * q:
                await _recorder.TransitionAsync(id, LifecycleStage.Won, LifecycleActor.Sales, $"closed won: {state.Sample.DealSize.ToString(CultureInfo.InvariantCulture)}").ConfigureAwait(false);
                break;
            case LifecycleStage.Opportunity:
                await _recorder.TransitionAsync(id, LifecycleStage.Lost, LifecycleActor.Sales, rng.NextDouble() < 0.5 ? "lost to a competitor" : "no decision").ConfigureAwait(false);
                if (rng.NextDouble() < 0.55)
                {
                    await RecycleAsync(state, NurtureEntryReason.LostDeal, "revisit at their renewal").ConfigureAwait(false);
                }

                break;
        }
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

    private static double Normal(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private sealed class LeadState(SampleLead sample)
    {
        public SampleLead Sample { get; } = sample;

        public Random Random { get; } = new(sample.Seed);

        public List<LeadActivity> Activities { get; } = [];

        public List<MarketingTouch> Touches { get; } = [];

        public SegmentId? Segment { get; set; }

        public decimal CaptureScore { get; set; }

        public int NextSession { get; set; }

        public DateTimeOffset? FirstTouchAt { get; set; }

        public DateTimeOffset? SlaDueAt { get; set; }

        public int HandledEpoch { get; set; }

        public int SlaMinutes { get; set; }

        public DateTimeOffset EngagementSince { get; set; } = DateTimeOffset.MinValue;
    }
}
