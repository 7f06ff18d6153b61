using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Tests.Nurture.TestDoubles;

namespace Alignment.Policies.Tests.Lifecycle;

public sealed class LifecycleAuditTests
{
    [Fact]
    public async Task RunAsync_CrmLeadNeverEnrolledOrRouted_IsReportedWithoutOwnerOrTrack()
    {
        var h = new NurtureHarness();
        await h.Engine.EnrolAsync(h.AddLead("kept"), NurtureEntryReason.NeverEngaged);

        var report = await h.Audit.RunAsync([new LeadId("kept"), new LeadId("forgotten")]);

        var defect = Assert.Single(report.WithoutOwnerOrTrack);
        Assert.Equal(("forgotten", LifecycleStage.Inquiry, "at Inquiry and never enrolled in nurture"), (defect.LeadId.Value, defect.Stage, defect.Detail));
        Assert.Equal(1, report.LeadsWithoutOwnerOrTrack);
        Assert.Equal((2, 1), (report.LeadsAudited, report.Count(LeadCustodyKind.MarketingTrack)));
        Assert.False(report.IsClean);
    }

    [Fact]
    public async Task RunAsync_MqlNotRouted_IsADefect_RoutedIsHeldBySales()
    {
        var h = new NurtureHarness();
        var routed = h.AddLead("routed");
        await h.Recorder.TransitionAsync(new LeadId("unrouted"), LifecycleStage.MarketingQualified, LifecycleActor.System, "score 70");
        await h.Recorder.TransitionAsync(routed.Id, LifecycleStage.MarketingQualified, LifecycleActor.System, "score 70");
        await h.Router.RouteAsync(new HandoffRequest(routed, h.Scorer.Score(routed, [], h.Time.GetUtcNow()), null));

        var report = await h.Audit.RunAsync(null);

        Assert.Equal("at MarketingQualified but no rep or queue holds it", Assert.Single(report.WithoutOwnerOrTrack).Detail);
        Assert.Equal(1, report.Count(LeadCustodyKind.Sales));
    }

    [Fact]
    public async Task RunAsync_RecycledLeadWhoseTrackEnded_IsADefect()
    {
        var h = new NurtureHarness();
        var lead = h.AddLead("l1");
        await h.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);
        var record = (await h.Store.FindLatestAsync(lead.Id))!;
        await h.Store.TryUpdateAsync(record with { Status = Alignment.Policies.Nurture.NurtureEnrolmentStatus.Ended, NextDueAt = null, StatusReason = "deleted by a buggy host" }, record.Version);

        var defect = Assert.Single((await h.Audit.RunAsync(null)).WithoutOwnerOrTrack);

        Assert.Equal("at Recycled, and its last track 'default' ended: deleted by a buggy host", defect.Detail);
    }

    [Fact]
    public async Task RunAsync_LeadWithSalesAndStillOnATrack_IsHeldTwice()
    {
        var h = new NurtureHarness();
        var lead = h.AddLead("l1");
        await h.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);
        await h.Recorder.TransitionAsync(lead.Id, LifecycleStage.MarketingQualified, LifecycleActor.Sales, "rep picked it up by hand");
        await h.Router.RouteAsync(new HandoffRequest(lead, h.Scorer.Score(lead, [], h.Time.GetUtcNow()), null));

        var report = await h.Audit.RunAsync(null);

        var twice = Assert.Single(report.HeldTwice);
        Assert.Equal((LeadCustodyKind.Sales, "rep rep-1"), (twice.Kind, twice.Detail));
        Assert.Empty(report.WithoutOwnerOrTrack);

        // The next scheduler pass notices and ends the track.
        var ended = Assert.IsType<Alignment.Policies.Nurture.NurtureOutcome.Ended>(Assert.Single((await h.Engine.RunDueAsync()).Outcomes));
        Assert.Equal("left track 'default': the lead is at lifecycle stage MarketingQualified, no longer with marketing; routed by 'round-robin'", ended.Explanation);
        Assert.True((await h.Audit.RunAsync(null)).IsClean);
    }

    [Fact]
    public async Task ResolveAsync_ClosedLeads_CarryTheirReason()
    {
        var h = new NurtureHarness();
        var lead = h.AddLead("l1");
        foreach (var (stage, why) in new[] { (LifecycleStage.MarketingQualified, "score"), (LifecycleStage.SalesAccepted, "accepted"), (LifecycleStage.SalesQualified, "BANT"), (LifecycleStage.Opportunity, "opp"), (LifecycleStage.Lost, "lost to competitor X") })
        {
            await h.Recorder.TransitionAsync(lead.Id, stage, LifecycleActor.Sales, why);
        }

        var custody = await h.Audit.ResolveByIdAsync(lead.Id);

        Assert.Equal((LeadCustodyKind.Lost, "lost to competitor X"), (custody.Kind, custody.Detail));
    }
}
