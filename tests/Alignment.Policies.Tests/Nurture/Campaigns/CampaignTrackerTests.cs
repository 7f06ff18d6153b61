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
    private static CampaignTracker Tracker(NurtureHarness h) =>
        new("webinar-2026-02", TimeSpan.FromHours(48), h.Engine, h.Outbox, h.Store, h.Lifecycles, h.Time);

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

        leads.ForEach(l => tracker.Invite(l));
        leads.Take(100).ToList().ForEach(l => tracker.Register(l.Id));
        leads.Take(60).ToList().ForEach(l => tracker.Attend(l.Id));
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
        leads.Take(50).ToList().ForEach(l => tracker.RecordRepFollowUp(l.Id, closedAt.AddHours(47)));
        leads.Skip(50).Take(5).ToList().ForEach(l => tracker.RecordRepFollowUp(l.Id, closedAt.AddHours(49)));
        foreach (var lead in leads.Take(2))
        {
            await Win(h, lead);
        }

        var funnel = await tracker.ReportAsync();

        Assert.Equal(new CampaignFunnel("webinar-2026-02", 600, 100, 60, 40, 40, 50, 5, 5, 2), funnel);
        Assert.Equal(
            """{"campaign":"webinar-2026-02","invited":600,"registered":100,"attended":60,"noShows":40,"noShowsFollowedUp":40,"attendeesFollowedUpWithinSla":50,"attendeesFollowedUpLate":5,"attendeesAwaitingFollowUp":5,"won":2}""",
            funnel.ToJson());
        Assert.True((await h.Audit.RunAsync(null)).IsClean);
    }

    [Fact]
    public async Task NoShowWithoutFreshRecording_IsNotCountedAsFollowedUp()
    {
        var h = new NurtureHarness();
        var tracker = Tracker(h);
        var lead = h.AddLead("w1");
        tracker.Invite(lead);
        tracker.Register(lead.Id);
        await tracker.CloseAsync();

        var run = await h.Engine.RunDueAsync();

        Assert.IsType<NurtureOutcome.StepSkipped>(Assert.Single(run.Outcomes));
        var funnel = await tracker.ReportAsync();
        Assert.Equal((1, 0), (funnel.NoShows, funnel.NoShowsFollowedUp));
    }

    [Fact]
    public void Attend_WithoutRegistering_Throws()
    {
        var h = new NurtureHarness();
        var tracker = Tracker(h);
        tracker.Invite(h.AddLead("w1"));

        var ex = Assert.Throws<InvalidOperationException>(() => tracker.Attend(new LeadId("w1")));
        Assert.Equal("Lead w1 cannot become Attended in campaign 'webinar-2026-02': it is Invited; the funnel is invited → registered → attended.", ex.Message);
    }

    [Fact]
    public async Task Register_AfterClose_Throws()
    {
        var h = new NurtureHarness();
        var tracker = Tracker(h);
        tracker.Invite(h.AddLead("w1"));
        await tracker.CloseAsync();

        var ex = Assert.Throws<InvalidOperationException>(() => tracker.Register(new LeadId("w1")));
        Assert.Equal("Campaign 'webinar-2026-02' is closed; lead w1 cannot become Registered.", ex.Message);
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
