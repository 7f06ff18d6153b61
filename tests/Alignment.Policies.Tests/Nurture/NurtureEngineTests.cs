using Alignment.Activities;
using Alignment.Decisions;
using Alignment.Diagnostics;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Nurture;
using Alignment.Policies.Tests.Nurture.TestDoubles;
using Alignment.Segmentation;

namespace Alignment.Policies.Tests.Nurture;

public sealed class NurtureEngineTests
{
    [Fact]
    public async Task EnrolAsync_NewLead_GoesStraightToNurtureOnTheCatchAllTrack_StepDueNow()
    {
        var h = new NurtureHarness();
        var lead = h.AddLead("l1");

        var enrolment = await h.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);

        Assert.Equal("default", enrolment.TrackId);
        Assert.Equal(NurtureHarness.Start, enrolment.NextDueAt);
        var lifecycle = await h.LifecycleOf(lead.Id);
        Assert.Equal(LifecycleStage.Recycled, lifecycle.Stage);
        Assert.Equal(("straight to nurture: NeverEngaged", LifecycleActor.Marketing), (lifecycle.History[0].Reason, lifecycle.History[0].Actor));
        Assert.Equal([typeof(AlignmentDecision.StageChanged), typeof(AlignmentDecision.Enrolled)], h.Decisions.Decisions.Select(d => d.GetType()));
        Assert.Equal(LeadCustodyKind.MarketingTrack, (await h.Audit.ResolveByIdAsync(lead.Id)).Kind);
    }

    [Fact]
    public async Task PutOnTrackAsync_SecondTrackOfLowerPriority_KeepsTheLeadOnOneTrack()
    {
        var h = new NurtureHarness();
        var lead = h.AddLead("l1", "smb");
        await h.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);

        var again = await h.Engine.PutOnTrackAsync(new NurtureEnrolmentRequest(lead, NurtureEntryReason.EventContact) { Segment = new SegmentId("smb") });

        Assert.Equal("default", again.Enrolment.TrackId);
        Assert.Equal(1, again.Enrolment.Sequence);
        Assert.StartsWith("already on track 'default' since 2026-01-05; a lead is on one track at a time", again.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutOnTrackAsync_HigherPriorityTrack_ReplacesTheCurrentOne()
    {
        var h = new NurtureHarness();
        var lead = h.AddLead("l1");
        await h.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);

        var moved = await h.Engine.PutOnTrackAsync(new NurtureEnrolmentRequest(lead, NurtureEntryReason.WebinarNoShow) { Campaign = "w1" });

        Assert.Equal("webinar-no-show", moved.Enrolment.TrackId);
        Assert.Equal("l1:2", moved.Enrolment.EnrolmentId);
        Assert.StartsWith("moved from track 'default'", moved.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunDueAsync_AskedTwiceAtTheSameInstant_SendsTheStepOnce()
    {
        var h = new NurtureHarness();
        await h.Engine.EnrolAsync(h.AddLead("l1"), NurtureEntryReason.NeverEngaged);

        var first = await h.Engine.RunDueAsync();
        var second = await h.Engine.RunDueAsync();

        Assert.Equal(1, first.StepsSent);
        Assert.Equal(0, second.Claimed);
        Assert.Equal(1, h.Outbox.Deliveries);
        var sent = Assert.IsType<NurtureOutcome.StepSent>(Assert.Single(first.Outcomes));
        Assert.Equal("l1:1/0", sent.Sent.IdempotencyKey);
        Assert.Equal("guide-10", sent.Sent.ContentId);
        Assert.StartsWith("step 1/3 'welcome' of track 'default' (entered 2026-01-05 for NeverEngaged, an unsegmented lead): e-mail with 'guide-10'", sent.Explanation, StringComparison.Ordinal);
        Assert.Contains("score 0 (NotQualified, stub@1.0.0) is below MQL", sent.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDueAsync_IsAReadOnlyQuery()
    {
        var h = new NurtureHarness();
        await h.Engine.EnrolAsync(h.AddLead("l1"), NurtureEntryReason.NeverEngaged);

        var due = await h.Engine.GetDueAsync(10);
        var again = await h.Engine.GetDueAsync(10);

        Assert.Equal("l1", Assert.Single(due).LeadId.Value);
        Assert.Single(again);
        Assert.Equal(0, h.Outbox.Deliveries);
    }

    [Fact]
    public async Task RunDueAsync_FollowsTheCadence_ThenMovesAnExhaustedTrackToTheSlowerOne()
    {
        var h = new NurtureHarness();
        var lead = h.AddLead("l1");
        await h.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);
        var outcomes = new List<NurtureOutcome>();

        for (var day = 0; day < 30; day++)
        {
            outcomes.AddRange((await h.Engine.RunDueAsync()).Outcomes);
            h.Time.Advance(TimeSpan.FromDays(1));
        }

        Assert.Equal(["welcome", "case", "call"], outcomes.OfType<NurtureOutcome.StepSent>().Take(3).Select(s => s.Sent.StepId));
        Assert.Equal([0, 7, 14], outcomes.OfType<NurtureOutcome.StepSent>().Take(3).Select(s => (s.At - NurtureHarness.Start).Days));
        var changed = Assert.Single(outcomes.OfType<NurtureOutcome.TrackChanged>());
        Assert.Equal(("default", "slow", 21), (changed.FromTrack, changed.ToTrack, (changed.At - NurtureHarness.Start).Days));
        Assert.Equal("track 'default' exhausted: all 3 steps sent; moved to track 'slow'", changed.Explanation);
        Assert.Equal("newsletter", outcomes.OfType<NurtureOutcome.StepSent>().Last().Sent.StepId);
    }

    [Fact]
    public async Task RunDueAsync_MaxTimeOnTrack_MovesToTheSlowerTrack()
    {
        var h = new NurtureHarness();
        var lead = h.AddLead("l1", "smb");
        await h.Engine.PutOnTrackAsync(new NurtureEnrolmentRequest(lead, NurtureEntryReason.RecycledTiming) { Segment = new SegmentId("smb") });
        await h.Engine.RunDueAsync();
        var current = (await h.Store.FindLatestAsync(lead.Id))!;
        await h.Store.TryUpdateAsync(current with { NextDueAt = NurtureHarness.Start.AddDays(95) }, current.Version);
        h.Time.Advance(TimeSpan.FromDays(95));

        var run = await h.Engine.RunDueAsync();

        var changed = Assert.IsType<NurtureOutcome.TrackChanged>(Assert.Single(run.Outcomes));
        Assert.Equal("maximum time on track 'smb-recycled' reached (90 days since 2026-01-05); moved to track 'slow'", changed.Explanation);
    }

    [Fact]
    public async Task RunDueAsync_OnlyFreshApprovedCollateral_IsSent_OtherwiseTheStepIsSkippedWithReasons()
    {
        const string json = """
        { "id": "p", "version": "1", "contentMaxAgeDays": 30,
          "tracks": [ { "id": "t", "cadenceDays": 7, "onExhausted": "t", "steps": [ { "id": "s", "kind": "email", "topic": "rare" }, { "id": "s2", "kind": "email", "topic": "rare" } ] } ] }
        """;
        var h = new NurtureHarness(json);
        var now = NurtureHarness.Start;
        h.Content.Add(new NurtureContent("unapproved", "rare", now.AddDays(-1)));
        h.Content.Add(new NurtureContent("stale", "rare", now.AddDays(-31)) { Approved = true });
        h.Content.Add(new NurtureContent("expired", "rare", now.AddDays(-2)) { Approved = true, ExpiresAt = now.AddHours(-1) });
        h.Content.Add(new NurtureContent("enterprise-only", "rare", now.AddDays(-1)) { Approved = true, Segment = new SegmentId("enterprise") });
        h.Content.Add(new NurtureContent("good", "rare", now.AddDays(-3)) { Approved = true });
        await h.Engine.EnrolAsync(h.AddLead("l1"), NurtureEntryReason.NeverEngaged);

        var first = await h.Engine.RunDueAsync();
        h.Time.Advance(TimeSpan.FromDays(7));
        var second = await h.Engine.RunDueAsync();

        Assert.Equal("good", Assert.IsType<NurtureOutcome.StepSent>(Assert.Single(first.Outcomes)).Sent.ContentId);
        var skipped = Assert.IsType<NurtureOutcome.StepSkipped>(Assert.Single(second.Outcomes));
        Assert.Equal("step 2/2 's2' of track 't' skipped: no fresh, approved collateral not yet sent (4 candidates on topic 'rare': 1 unapproved, 1 not fresh (older than 30 days), 1 expired, 1 already sent to the lead, 0 for another segment or campaign)", skipped.Explanation);
        Assert.Equal(1, h.Outbox.Deliveries);
    }

    [Fact]
    public async Task RunDueAsync_TrackRemovedFromANewPolicyVersion_MovesTheLeadToTheTrackThatFitsNow()
    {
        var h = new NurtureHarness();
        var lead = h.AddLead("l1", "smb");
        await h.Engine.PutOnTrackAsync(new NurtureEnrolmentRequest(lead, NurtureEntryReason.RecycledTiming) { Segment = new SegmentId("smb") });
        var v2 = NurturePolicy.Load(NurtureHarness.PolicyJson.Replace("smb-recycled", "smb-recycled-v2", StringComparison.Ordinal).Replace("\"1.0.0\"", "\"2.0.0\"", StringComparison.Ordinal));
        var engine = new NurtureEngine(v2, new NurtureEngineServices { Store = h.Store, Lifecycle = h.Recorder, Scorer = h.Scorer, Content = h.Content, StepHandler = h.Outbox, Leads = h.Leads, Decisions = h.Decisions, TimeProvider = h.Time, Handoff = h.Router, Owners = null, MeterFactory = h.MeterFactory }, h.Options);

        var changed = Assert.IsType<NurtureOutcome.TrackChanged>(Assert.Single((await engine.RunDueAsync()).Outcomes));

        Assert.Equal("track 'smb-recycled' is not in policy test-nurture@2.0.0; moved to track 'smb-recycled-v2'", changed.Explanation);
        Assert.Equal(("smb-recycled-v2", "2.0.0"), ((await h.Store.FindLatestAsync(lead.Id))!.TrackId, (await h.Store.FindLatestAsync(lead.Id))!.PolicyVersion));
    }

    [Fact]
    public async Task RunDueAsync_InAQuietPeriod_PausesUntilItEnds()
    {
        const string json = """
        { "id": "p", "version": "1",
          "tracks": [ { "id": "t", "cadenceDays": 7, "onExhausted": "t", "quietPeriods": [ { "name": "new year", "from": "01-01", "to": "01-07" } ],
                        "steps": [ { "id": "s", "kind": "repCallTask" } ] } ] }
        """;
        var h = new NurtureHarness(json);
        await h.Engine.EnrolAsync(h.AddLead("l1"), NurtureEntryReason.NeverEngaged);

        var paused = Assert.IsType<NurtureOutcome.Paused>(Assert.Single((await h.Engine.RunDueAsync()).Outcomes));
        Assert.Equal(new DateTimeOffset(2026, 1, 8, 0, 0, 0, TimeSpan.Zero), paused.Until);
        Assert.Equal("step 1/1 's' of track 't' paused until 2026-01-08: quiet period 'new year'", paused.Explanation);
        Assert.Equal(0, (await h.Engine.RunDueAsync()).Claimed);

        h.Time.SetUtcNow(paused.Until);
        Assert.Equal(1, (await h.Engine.RunDueAsync()).StepsSent);
    }

    [Fact]
    public async Task RunDueAsync_Unsubscribed_StopsContact_LeadStaysOnRecordWithMarketing()
    {
        var h = new NurtureHarness();
        var lead = h.AddLead("l1");
        await h.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);
        h.AddActivity(lead.Id, new LeadActivity(ActivityType.Unsubscribed, NurtureHarness.Start.AddMinutes(-5)));

        var run = await h.Engine.RunDueAsync();
        h.Time.Advance(TimeSpan.FromDays(6));
        var early = await h.Engine.RunDueAsync();
        h.Time.Advance(TimeSpan.FromDays(1));
        var check = await h.Engine.RunDueAsync();

        var stopped = Assert.IsType<NurtureOutcome.ContactStopped>(Assert.Single(run.Outcomes));
        Assert.Equal("contact stopped: unsubscribed on 2026-01-05; the lead stays with marketing on track 'default', on record, and is not contacted again", stopped.Explanation);
        Assert.Equal(0, early.Claimed);
        var paused = Assert.IsType<NurtureOutcome.Paused>(Assert.Single(check.Outcomes));
        Assert.Equal("contact stopped on track 'default' (unsubscribed on 2026-01-05): nothing sent; exits checked again on 2026-01-19", paused.Explanation);
        Assert.Equal(0, h.Outbox.Deliveries);
        var custody = await h.Audit.ResolveByIdAsync(lead.Id);
        Assert.Equal((LeadCustodyKind.MarketingTrack, "track 'default' (ContactStopped)"), (custody.Kind, custody.Detail));
    }

    [Fact]
    public async Task RunDueAsync_ScoreCrossesMql_ExitsToHandoff_WithModelVersionOnTheTransition()
    {
        var h = new NurtureHarness();
        var lead = h.AddLead("l1");
        await h.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);
        h.MakeSalesReady(lead.Id);

        var exit = Assert.IsType<NurtureOutcome.ExitedToHandoff>(Assert.Single((await h.Engine.RunDueAsync()).Outcomes));

        Assert.IsType<HandoffDecision.Assigned>(exit.Handoff);
        Assert.Equal("back to handoff: score 50 and grade B reached MarketingQualified under stub@1.0.0 while on nurture track 'default'; routed to rep rep-1 by 'round-robin'", exit.Explanation);
        var lifecycle = await h.LifecycleOf(lead.Id);
        Assert.Equal(LifecycleStage.MarketingQualified, lifecycle.Stage);
        Assert.Equal(("stub@1.0.0", LifecycleActor.System), (lifecycle.History[^1].ModelVersion, lifecycle.History[^1].Actor));
        Assert.False((await h.Store.FindLatestAsync(lead.Id))!.IsOnTrack);
        Assert.Equal((LeadCustodyKind.Sales, "rep rep-1"), ((await h.Audit.ResolveByIdAsync(lead.Id)).Kind, (await h.Audit.ResolveByIdAsync(lead.Id)).Detail));
        Assert.Equal(0, h.Outbox.Deliveries);
    }

    [Fact]
    public async Task RunDueAsync_ContactStoppedLeadBecomesSalesReady_StillGoesBackToHandoff()
    {
        var h = new NurtureHarness();
        var lead = h.AddLead("l1");
        await h.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);
        await h.Engine.StopContactAsync(lead.Id, "hard bounce reported by the e-mail platform");
        h.Time.Advance(TimeSpan.FromDays(7));
        h.MakeSalesReady(lead.Id);

        var exit = Assert.IsType<NurtureOutcome.ExitedToHandoff>(Assert.Single((await h.Engine.RunDueAsync()).Outcomes));

        Assert.NotNull(exit.Handoff);
        Assert.Equal(0, h.Outbox.Deliveries);
        Assert.True((await h.Audit.RunAsync(null)).IsClean);
    }

    [Fact]
    public async Task RunDueAsync_ContactStoppedLeadTakenBySalesOutsideNurture_LeavesTheTrack()
    {
        var h = new NurtureHarness();
        var lead = h.AddLead("l1");
        await h.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);
        await h.Engine.StopContactAsync(lead.Id, "unsubscribed");
        await h.Recorder.TransitionAsync(lead.Id, LifecycleStage.MarketingQualified, LifecycleActor.Sales, "called in and asked for a quote");
        await h.Router.RouteAsync(new HandoffRequest(lead, h.Scorer.Score(lead, [], h.Time.GetUtcNow()), null));
        Assert.Single((await h.Audit.RunAsync(null)).HeldTwice);

        h.Time.Advance(TimeSpan.FromDays(7));
        Assert.IsType<NurtureOutcome.Ended>(Assert.Single((await h.Engine.RunDueAsync()).Outcomes));

        Assert.True((await h.Audit.RunAsync(null)).IsClean);
    }

    [Fact]
    public async Task ReevaluateAsync_NewActivity_ExitsAtOnceWithoutSending()
    {
        var h = new NurtureHarness();
        var lead = h.AddLead("l1");
        await h.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);
        await h.Engine.RunDueAsync();
        h.Time.Advance(TimeSpan.FromDays(1));

        Assert.Null(await h.Engine.ReevaluateAsync(lead.Id));
        h.MakeSalesReady(lead.Id);
        var exit = await h.Engine.ReevaluateAsync(lead.Id);

        Assert.IsType<NurtureOutcome.ExitedToHandoff>(exit);
        Assert.Equal(1, h.Outbox.Deliveries);
    }

    [Fact]
    public async Task DisqualifyAsync_EndsTheTrackAndRecordsTheReason()
    {
        var h = new NurtureHarness();
        var lead = h.AddLead("l1");
        await h.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);

        var outcome = await h.Engine.DisqualifyAsync(lead.Id, "student, not a buyer", LifecycleActor.Marketing);

        Assert.Equal("left track 'default': disqualified by Marketing: student, not a buyer", outcome.Explanation);
        var custody = await h.Audit.ResolveByIdAsync(lead.Id);
        Assert.Equal((LeadCustodyKind.Disqualified, "student, not a buyer", false), (custody.Kind, custody.Detail, custody.HeldTwice));
        Assert.Equal(0, (await h.Engine.RunDueAsync()).Claimed);
    }

    [Fact]
    public async Task EnrolAsync_LeadInThePipeline_Throws()
    {
        var h = new NurtureHarness();
        var lead = h.AddLead("l1");
        foreach (var stage in new[] { LifecycleStage.MarketingQualified, LifecycleStage.SalesAccepted, LifecycleStage.SalesQualified, LifecycleStage.Opportunity })
        {
            await h.Recorder.TransitionAsync(lead.Id, stage, LifecycleActor.Sales, "test");
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await h.Engine.EnrolAsync(lead, NurtureEntryReason.LostDeal));
        Assert.Equal("Lead l1 is at stage Opportunity; only leads with marketing, with sales before the pipeline, or lost can be nurtured.", ex.Message);
    }

    [Fact]
    public async Task RecycleRoundTrip_RejectedForTiming_Nurtured_BackAsMql_RoutedAgain()
    {
        var h = new NurtureHarness();
        var lead = h.AddLead("l1", "smb");
        await h.Recorder.TransitionAsync(lead.Id, LifecycleStage.MarketingQualified, LifecycleActor.System, "score 60 >= 50", "stub@1.0.0");
        await h.Router.RouteAsync(new HandoffRequest(lead, h.Scorer.Score(lead, [], h.Time.GetUtcNow()), null));

        // Sales rejects for timing: back to marketing.
        h.Assignments.Forget(lead.Id);
        var recycled = await h.Engine.PutOnTrackAsync(new NurtureEnrolmentRequest(lead, NurtureEntryReason.RecycledTiming) { Segment = new SegmentId("smb"), Actor = LifecycleActor.Sales, Note = "not before Q3" });
        Assert.Equal("smb-recycled", recycled.Enrolment.TrackId);
        Assert.Equal(LifecycleStage.Recycled, (await h.LifecycleOf(lead.Id)).Stage);
        Assert.Equal(LeadCustodyKind.MarketingTrack, (await h.Audit.ResolveByIdAsync(lead.Id)).Kind);

        await h.Engine.RunDueAsync();
        h.Time.Advance(TimeSpan.FromDays(14));
        h.MakeSalesReady(lead.Id);
        var exit = Assert.IsType<NurtureOutcome.ExitedToHandoff>(Assert.Single((await h.Engine.RunDueAsync()).Outcomes));

        var history = (await h.LifecycleOf(lead.Id)).History;
        Assert.Equal(
            [(LifecycleStage.Inquiry, LifecycleStage.MarketingQualified), (LifecycleStage.MarketingQualified, LifecycleStage.Recycled), (LifecycleStage.Recycled, LifecycleStage.MarketingQualified)],
            history.Select(t => (t.From, t.To)));
        Assert.Equal(("recycled to nurture: RecycledTiming (not before Q3)", LifecycleActor.Sales), (history[1].Reason, history[1].Actor));
        Assert.NotNull(exit.Handoff);
        Assert.True((await h.Audit.RunAsync(null)).IsClean);
    }

    [Fact]
    public async Task CrashAfterClaim_LeaseExpires_AnotherInstanceSendsTheStepOnce()
    {
        var h = new NurtureHarness();
        await h.Engine.EnrolAsync(h.AddLead("l1"), NurtureEntryReason.NeverEngaged);

        // An instance claims the due step and dies before handling it.
        var claimed = await h.Store.ClaimDueAsync(h.Time.GetUtcNow(), 10, "dead-instance", h.Time.GetUtcNow() + h.Options.LeaseDuration);
        Assert.Single(claimed);
        var survivor = h.CreateEngine(new NurtureOptions { InstanceId = "survivor" });
        Assert.Equal(0, (await survivor.RunDueAsync()).Claimed);

        h.Time.Advance(h.Options.LeaseDuration);
        var resumed = await survivor.RunDueAsync();
        var again = await survivor.RunDueAsync();

        Assert.Equal(1, resumed.StepsSent);
        Assert.Equal(0, again.Claimed);
        Assert.Equal(1, h.Outbox.Deliveries);
    }

    [Fact]
    public async Task CrashAfterRecordingTheSend_Resume_DoesNotSendAgain()
    {
        var h = new NurtureHarness(store: new FailingUpdateStore());
        var lead = h.AddLead("l1");
        await h.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);
        ((FailingUpdateStore)h.Store).FailNextUpdate = true;

        await Assert.ThrowsAsync<IOException>(async () => await h.Engine.RunDueAsync());
        h.Time.Advance(h.Options.LeaseDuration);
        var resumed = await h.Engine.RunDueAsync();

        var sent = Assert.IsType<NurtureOutcome.StepSent>(Assert.Single(resumed.Outcomes));
        Assert.True(sent.Repeated);
        Assert.Equal("step 1/3 'welcome' of track 'default' was already sent before a restart; not sent again", sent.Explanation);
        Assert.Equal(1, h.Outbox.Deliveries);
        Assert.Equal(1, (await h.Store.FindLatestAsync(lead.Id))!.NextStep);
    }

    [Fact]
    public async Task CrashBetweenHandlerAndRecord_Resume_HandsTheStepOverAgainWithTheSameKey()
    {
        var h = new NurtureHarness();
        await h.Engine.EnrolAsync(h.AddLead("l1"), NurtureEntryReason.NeverEngaged);
        var dying = h.CreateEngine(h.Options, new DyingHandler(h.Outbox));

        await Assert.ThrowsAsync<IOException>(async () => await dying.RunDueAsync());
        h.Time.Advance(h.Options.LeaseDuration);
        await h.Engine.RunDueAsync();

        Assert.Equal(2, h.Outbox.Deliveries);
        Assert.Single(h.Outbox.Executions);
    }

    [Fact]
    public async Task Counters_ArePublishedUnderTheAlignmentMeter()
    {
        var counts = new Dictionary<string, long>();
        using var meters = new TestMeterFactory();
        using var listener = meters.Listen(counts);
        var h = new NurtureHarness(meterFactory: meters);
        var lead = h.AddLead("l1");
        await h.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);
        await h.Engine.RunDueAsync();
        h.MakeSalesReady(lead.Id);
        await h.Engine.ReevaluateAsync(lead.Id);

        Assert.All(meters.RequestedNames, n => Assert.Equal(AlignmentDiagnostics.MeterName, n));
        Assert.Equal(1, counts["alignment.nurture.enrolled"]);
        Assert.Equal(1, counts["alignment.nurture.steps"]);
        Assert.Equal(1, counts["alignment.nurture.exits"]);
    }

    private sealed class FailingUpdateStore : INurtureStore
    {
        private readonly InMemoryNurtureStore _inner = new();

        public bool FailNextUpdate { get; set; }

        public ValueTask<NurtureEnrolmentRecord?> FindLatestAsync(LeadId leadId, CancellationToken cancellationToken = default) => _inner.FindLatestAsync(leadId, cancellationToken);

        public ValueTask<bool> TryInsertAsync(NurtureEnrolmentRecord record, CancellationToken cancellationToken = default) => _inner.TryInsertAsync(record, cancellationToken);

        public ValueTask<bool> TryUpdateAsync(NurtureEnrolmentRecord record, int expectedVersion, NurtureEnrolmentRecord? successor = null, AlignmentDecision? decision = null, CancellationToken cancellationToken = default)
        {
            if (FailNextUpdate)
            {
                FailNextUpdate = false;
                throw new IOException("simulated crash");
            }

            return _inner.TryUpdateAsync(record, expectedVersion, successor, decision, cancellationToken);
        }

        public ValueTask<IReadOnlyList<NurtureDueItem>> PeekDueAsync(DateTimeOffset asOf, int maxCount, CancellationToken cancellationToken = default) => _inner.PeekDueAsync(asOf, maxCount, cancellationToken);

        public ValueTask<IReadOnlyList<NurtureEnrolmentRecord>> ClaimDueAsync(DateTimeOffset asOf, int maxCount, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) => _inner.ClaimDueAsync(asOf, maxCount, owner, leaseUntil, cancellationToken);

        public ValueTask<bool> TryRecordSentAsync(NurtureSentStep sent, CancellationToken cancellationToken = default) => _inner.TryRecordSentAsync(sent, cancellationToken);

        public ValueTask<bool> WasSentAsync(string enrolmentId, int stepIndex, CancellationToken cancellationToken = default) => _inner.WasSentAsync(enrolmentId, stepIndex, cancellationToken);

        public ValueTask<IReadOnlyList<NurtureSentStep>> ListSentAsync(LeadId leadId, CancellationToken cancellationToken = default) => _inner.ListSentAsync(leadId, cancellationToken);

        public IAsyncEnumerable<NurtureEnrolmentRecord> ListLatestAsync(CancellationToken cancellationToken = default) => _inner.ListLatestAsync(cancellationToken);
    }

    private sealed class DyingHandler(INurtureStepHandler inner) : INurtureStepHandler
    {
        public async ValueTask ExecuteAsync(NurtureStepExecution execution, CancellationToken cancellationToken = default)
        {
            await inner.ExecuteAsync(execution, cancellationToken);
            throw new IOException("simulated crash after the e-mail went out");
        }
    }
}
