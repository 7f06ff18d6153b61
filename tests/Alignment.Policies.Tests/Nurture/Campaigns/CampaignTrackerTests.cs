using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Nurture;
using Alignment.Policies.Nurture.Campaigns;
using Alignment.Policies.Tests.Nurture.TestDoubles;

namespace Alignment.Policies.Tests.Nurture.Campaigns;

public sealed class CampaignTrackerTests
{
    private static CampaignTracker Tracker(NurtureHarness h, ICampaignStore? campaigns = null, INurtureStepHandler? handler = null) =>
        new("webinar-2026-02", TimeSpan.FromHours(48), h.Engine, handler ?? h.Outbox, h.Store, h.Lifecycles, h.Time, campaigns);

    /// <summary>A step handler that fails once, at its <c>failAt</c>-th call, like a host crashing half-way through a close.</summary>
    private sealed class FailingOnceHandler(INurtureStepHandler inner, int failAt) : INurtureStepHandler
    {
        private int _calls;

        public ValueTask ExecuteAsync(NurtureStepExecution execution, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _calls) == failAt ? throw new IOException("CRM task API unavailable") : inner.ExecuteAsync(execution, cancellationToken);
    }

    [Fact]
    public async Task Webinar_600Invited_100Registered_60Attended_40NoShowsFollowedUp_2Won()
    {
        var h = new NurtureHarness();
        h.Content.Add(new NurtureContent("recording-feb", "webinar-recording", NurtureHarness.Start) { Approved = true, Campaign = "webinar-2026-02" });
        h.Content.Add(new NurtureContent("recording-other", "webinar-recording", NurtureHarness.Start) { Approved = true, Campaign = "another-webinar" });
        var tracker = Tracker(h);
        var leads = Enumerable.Range(0, 600).Select(i => h.AddLead($"w{i:000}")).ToList();
        foreach (var lead in leads.Take(300))
        {
            await h.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);
        }

        foreach (var lead in leads)
        {
            Assert.True(await tracker.InviteAsync(lead));
        }

        Assert.False(await tracker.InviteAsync(leads[0])); // inviting twice is harmless
        foreach (var lead in leads.Take(100))
        {
            await tracker.RegisterAsync(lead.Id);
        }

        foreach (var lead in leads.Take(60))
        {
            await tracker.AttendAsync(lead.Id);
            await tracker.AttendAsync(lead.Id);
        }

        h.Time.Advance(TimeSpan.FromHours(1));

        var (noShows, tasks) = await tracker.CloseAsync();
        var run = await h.Engine.RunDueAsync();
        Assert.Equal((0, 0), await tracker.CloseAsync());

        Assert.Equal((40, 60), (noShows, tasks));
        var recordings = run.Outcomes.OfType<NurtureOutcome.StepSent>().Where(s => s.Sent.TrackId == "webinar-no-show").ToList();
        Assert.Equal(40, recordings.Count);
        Assert.All(recordings, r => Assert.Equal("recording-feb", r.Sent.ContentId));
        Assert.Equal(60, h.Outbox.Executions.Count(e => e.TrackId == "campaign:webinar-2026-02" && e.Step.Kind == NurtureStepKind.RepCallTask));

        // Reps follow up 50 attendees in time and 5 late; 2 attendees go on to win.
        var closedAt = NurtureHarness.Start.AddHours(1);
        foreach (var lead in leads.Take(50))
        {
            await tracker.RecordRepFollowUpAsync(lead.Id, closedAt.AddHours(47));
            await tracker.RecordRepFollowUpAsync(lead.Id, closedAt.AddHours(60)); // the first follow-up counts
        }

        foreach (var lead in leads.Skip(50).Take(5))
        {
            await tracker.RecordRepFollowUpAsync(lead.Id, closedAt.AddHours(49));
        }

        foreach (var lead in leads.Take(2))
        {
            await Win(h, lead);
        }

        var funnel = await tracker.ReportAsync();

        Assert.Equivalent(new CampaignFunnel("webinar-2026-02", 600, 100, 60, 40, 40, 50, 5, 5, 2) { PreEventCalls = new(0, 0, 0, 600, 100, 60) }, funnel, strict: true);
        Assert.Equal(
            """{"campaign":"webinar-2026-02","invited":600,"registered":100,"attended":60,"noShows":40,"noShowsFollowedUp":40,"attendeesFollowedUpWithinSla":50,"attendeesFollowedUpLate":5,"attendeesAwaitingFollowUp":5,"won":2,"preEventCalls":{"called":0,"calledRegistered":0,"calledAttended":0,"notCalled":600,"notCalledRegistered":100,"notCalledAttended":60,"calledRegistrationRate":0,"notCalledRegistrationRate":0.1667}}""",
            funnel.ToJson());
        Assert.True((await h.Audit.RunAsync(null)).IsClean);
    }

    [Fact]
    public async Task NoShowWithoutFreshRecording_IsNotCountedAsFollowedUp()
    {
        var h = new NurtureHarness();
        var tracker = Tracker(h);
        var lead = h.AddLead("w1");
        await tracker.InviteAsync(lead);
        await tracker.RegisterAsync(lead.Id);
        await tracker.CloseAsync();

        var run = await h.Engine.RunDueAsync();

        Assert.IsType<NurtureOutcome.StepSkipped>(Assert.Single(run.Outcomes));
        var funnel = await tracker.ReportAsync();
        Assert.Equal((1, 0), (funnel.NoShows, funnel.NoShowsFollowedUp));
    }

    [Fact]
    public async Task Attend_WithoutRegistering_Throws()
    {
        var h = new NurtureHarness();
        var tracker = Tracker(h);
        await tracker.InviteAsync(h.AddLead("w1"));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await tracker.AttendAsync(new LeadId("w1")));
        Assert.Equal("Lead w1 cannot become Attended in campaign 'webinar-2026-02': it is Invited; the funnel is invited → registered → attended.", ex.Message);
    }

    [Fact]
    public async Task Register_AfterClose_Throws()
    {
        var h = new NurtureHarness();
        var tracker = Tracker(h);
        await tracker.InviteAsync(h.AddLead("w1"));
        await tracker.CloseAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await tracker.RegisterAsync(new LeadId("w1")));
        Assert.Equal("Campaign 'webinar-2026-02' is closed; lead w1 cannot become Registered.", ex.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await tracker.InviteAsync(h.AddLead("w2")));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await tracker.RecordRepFollowUpAsync(new LeadId("w1"), h.Time.GetUtcNow()));
    }

    [Fact]
    public async Task HostRestartsMidCampaign_MembershipSurvivesInTheStore_EveryNoShowIsFollowedUp()
    {
        var h = new NurtureHarness();
        h.Content.Add(new NurtureContent("recording-feb", "webinar-recording", NurtureHarness.Start) { Approved = true, Campaign = "webinar-2026-02" });
        var campaigns = new InMemoryCampaignStore(); // stands for a durable store the restarted host reads again
        var before = Tracker(h, campaigns);
        var leads = Enumerable.Range(0, 30).Select(i => h.AddLead($"r{i:00}")).ToList();
        foreach (var lead in leads)
        {
            await before.InviteAsync(lead);
        }

        foreach (var lead in leads.Take(20))
        {
            await before.RegisterAsync(lead.Id);
        }

        // The process restarts: a new tracker over the same store records attendance and closes.
        var after = Tracker(h, campaigns);
        foreach (var lead in leads.Take(12))
        {
            await after.AttendAsync(lead.Id);
        }

        Assert.Equal((8, 12), await after.CloseAsync());
        var run = await h.Engine.RunDueAsync();
        Assert.Equal(8, run.Outcomes.OfType<NurtureOutcome.StepSent>().Count(s => s.Sent.TrackId == "webinar-no-show"));
        var funnel = await Tracker(h, campaigns).ReportAsync();
        Assert.Equal((30, 20, 12, 8, 8), (funnel.Invited, funnel.Registered, funnel.Attended, funnel.NoShows, funnel.NoShowsFollowedUp));
    }

    [Fact]
    public async Task CloseInterruptedHalfWay_NextCloseFinishesTheRest_NothingTwice()
    {
        var h = new NurtureHarness();
        var campaigns = new InMemoryCampaignStore();
        var leads = Enumerable.Range(0, 10).Select(i => h.AddLead($"c{i}")).ToList();
        var tracker = Tracker(h, campaigns, new FailingOnceHandler(h.Outbox, failAt: 3));
        foreach (var lead in leads)
        {
            await tracker.InviteAsync(lead);
            await tracker.RegisterAsync(lead.Id);
        }

        foreach (var lead in leads.Take(6))
        {
            await tracker.AttendAsync(lead.Id);
        }

        var crash = await Assert.ThrowsAsync<IOException>(async () => await tracker.CloseAsync());
        Assert.Equal("CRM task API unavailable", crash.Message);
        h.Time.Advance(TimeSpan.FromMinutes(5));

        var (noShows, tasks) = await tracker.CloseAsync();
        Assert.Equal((0, 0), await tracker.CloseAsync());

        // c0..c5 attended (tasks), c6..c9 are no-shows; the first close did c0 and c1 before failing at c2.
        Assert.Equal((4, 4), (noShows, tasks));
        Assert.Equal(6, h.Outbox.Executions.Count(e => e.TrackId == "campaign:webinar-2026-02"));
        Assert.Equal(6, h.Outbox.Executions.Where(e => e.TrackId == "campaign:webinar-2026-02").Select(e => e.Lead.Id).Distinct().Count());
        await foreach (var member in campaigns.ListMembersAsync("webinar-2026-02"))
        {
            bool attended = member.Status == CampaignMemberStatus.Attended;
            Assert.Equal(attended, member.FollowUpDueAt is not null);
            Assert.Equal(!attended, member.NoShowEnrolmentId is not null);
            // The follow-up is due 48 h after the first close, not the resumed one.
            Assert.True(member.FollowUpDueAt is null || member.FollowUpDueAt == NurtureHarness.Start.AddHours(48));
        }
    }

    /// <summary>Holds a registration's write until released, like a slow host registering while another closes.</summary>
    private sealed class GatedCampaignStore(ICampaignStore inner) : ICampaignStore
    {
        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<bool> TryAddMemberAsync(CampaignMember member, AlignmentDecision? decision = null, CancellationToken cancellationToken = default) => inner.TryAddMemberAsync(member, decision, cancellationToken);

        public ValueTask<CampaignMember?> FindMemberAsync(string campaign, LeadId leadId, CancellationToken cancellationToken = default) => inner.FindMemberAsync(campaign, leadId, cancellationToken);

        public async ValueTask<bool> TryUpdateMemberAsync(CampaignMember member, int expectedVersion, AlignmentDecision? decision = null, CancellationToken cancellationToken = default)
        {
            if (member.Status == CampaignMemberStatus.Registered && member.ClosedAt is null && !Gate.Task.IsCompleted)
            {
                Held.TrySetResult();
                await Gate.Task;
            }

            return await inner.TryUpdateMemberAsync(member, expectedVersion, decision, cancellationToken);
        }

        public IAsyncEnumerable<CampaignMember> ListMembersAsync(string campaign, CancellationToken cancellationToken = default) => inner.ListMembersAsync(campaign, cancellationToken);

        public ValueTask<DateTimeOffset> CloseAsync(string campaign, DateTimeOffset at, CancellationToken cancellationToken = default) => inner.CloseAsync(campaign, at, cancellationToken);

        public ValueTask<DateTimeOffset?> FindClosedAtAsync(string campaign, CancellationToken cancellationToken = default) => inner.FindClosedAtAsync(campaign, cancellationToken);
    }

    [Fact]
    public async Task RegistrationRacingWithClose_IsRefused_NeverLeftRegisteredWithoutFollowUp()
    {
        var h = new NurtureHarness();
        var store = new GatedCampaignStore(new InMemoryCampaignStore());
        var tracker = Tracker(h, store);
        var lead = h.AddLead("race");
        await tracker.InviteAsync(lead);

        // The registration has checked that the campaign is open and is about to write when the close runs to the end.
        var register = Task.Run(async () => await tracker.RegisterAsync(lead.Id));
        await store.Held.Task;
        Assert.Equal((0, 0), await tracker.CloseAsync());
        store.Gate.SetResult();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => register);
        Assert.Equal("Campaign 'webinar-2026-02' is closed; lead race cannot become Registered.", ex.Message);
        var member = (await store.FindMemberAsync("webinar-2026-02", lead.Id))!;
        Assert.Equal(CampaignMemberStatus.Invited, member.Status);
        Assert.NotNull(member.ClosedAt);
    }

    [Fact]
    public async Task NoShowWithSalesOrClosed_IsNotPulledBackIntoNurture_TheRestOfTheCloseGoesOn()
    {
        var h = new NurtureHarness();
        var campaigns = new InMemoryCampaignStore();
        var tracker = Tracker(h, campaigns);
        var (gone, fresh, attendee) = (h.AddLead("a-disqualified"), h.AddLead("b-fresh"), h.AddLead("c-attendee"));
        foreach (var lead in new[] { gone, fresh, attendee })
        {
            await tracker.InviteAsync(lead);
            await tracker.RegisterAsync(lead.Id);
        }

        await tracker.AttendAsync(attendee.Id);
        await h.Recorder.TransitionAsync(gone.Id, LifecycleStage.Disqualified, LifecycleActor.Sales, "bad data");

        Assert.Equal((1, 1), await tracker.CloseAsync());
        Assert.Equal((0, 0), await tracker.CloseAsync());

        var skipped = (await campaigns.FindMemberAsync("webinar-2026-02", gone.Id))!;
        Assert.Null(skipped.NoShowEnrolmentId);
        Assert.Equal("at stage Disqualified when 'webinar-2026-02' closed: not pulled back into nurture", skipped.NoShowSkippedReason);
        Assert.Equal(LifecycleStage.Disqualified, (await h.LifecycleOf(gone.Id)).Stage);
        Assert.NotNull((await campaigns.FindMemberAsync("webinar-2026-02", fresh.Id))!.NoShowEnrolmentId);
        var funnel = await tracker.ReportAsync();
        Assert.Equal((3, 1, 2), (funnel.Registered, funnel.Attended, funnel.NoShows));
    }

    private static async Task Win(NurtureHarness h, Lead lead)
    {
        h.MakeSalesReady(lead.Id);
        Assert.IsType<NurtureOutcome.ExitedToHandoff>(await h.Engine.ReevaluateAsync(lead.Id));
        Assert.IsType<HandoffDecision.Assigned>(await h.Assignments.FindDecisionAsync(lead.Id));
        foreach (var stage in new[] { LifecycleStage.SalesAccepted, LifecycleStage.SalesQualified, LifecycleStage.Opportunity, LifecycleStage.Won })
        {
            await h.Recorder.TransitionAsync(lead.Id, stage, LifecycleActor.Sales, $"rep moved to {stage}");
        }
    }
}
