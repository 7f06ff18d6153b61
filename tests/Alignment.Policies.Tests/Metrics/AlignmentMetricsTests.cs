using System.Text.Json;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Policies.Metrics;
using Alignment.Segmentation;

namespace Alignment.Policies.Tests.Metrics;

public sealed class AlignmentMetricsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 10, 0, 0, 0, TimeSpan.Zero);

    private static LeadLifecycle Path(string id, params (LifecycleStage To, double Day, string Reason)[] moves)
    {
        var lifecycle = LeadLifecycle.Start(new LeadId(id));
        foreach (var (to, day, reason) in moves)
        {
            lifecycle = lifecycle.Transition(to, T0.AddDays(day), LifecycleActor.Sales, reason);
        }

        return lifecycle;
    }

    private static readonly (LifecycleStage, double, string)[] WonPath =
    [
        (LifecycleStage.MarketingQualified, 2, "score"), (LifecycleStage.SalesAccepted, 3, "ok"), (LifecycleStage.SalesQualified, 5, "bant"),
        (LifecycleStage.Opportunity, 9, "opp"), (LifecycleStage.Won, 29, "won"),
    ];

    private static List<FunnelLead> Sample() =>
    [
        // a: won, two touches (webinar then paid search), touched 4 h after MQL within a 24 h SLA.
        new(Path("a", WonPath), T0) { Segment = new SegmentId("smb"), Source = "Webinar", Campaign = "w1", WonAmount = 9000m, FirstSalesTouchAt = T0.AddDays(2).AddHours(4), SlaDueAt = T0.AddDays(3),
            Touches = [new MarketingTouch(T0, "Webinar", "w1"), new MarketingTouch(T0.AddDays(20), "Paid Search", "ps1"), new MarketingTouch(T0.AddDays(40), "Organic", null)] },
        // b: MQL, rejected for timing, back as MQL, then won; touched 30 h after MQL, SLA missed; escalated.
        new(Path("b", (LifecycleStage.MarketingQualified, 1, "score"), (LifecycleStage.Recycled, 2, "recycled to nurture: RecycledTiming (not now)"),
            (LifecycleStage.MarketingQualified, 40, "score"), (LifecycleStage.SalesAccepted, 41, "ok"), (LifecycleStage.SalesQualified, 43, "bant"), (LifecycleStage.Opportunity, 45, "opp"), (LifecycleStage.Won, 60, "won")), T0)
            { Segment = new SegmentId("smb"), Source = "Paid Search", Campaign = "ps1", WonAmount = 1000m, FirstSalesTouchAt = T0.AddDays(1).AddHours(30), SlaDueAt = T0.AddDays(2), Escalated = true },
        // c (created in February): MQL, recycled for timing, never back. Not touched; SLA ran out.
        new(Path("c", (LifecycleStage.MarketingQualified, 35, "score"), (LifecycleStage.Recycled, 36, "recycled to nurture: RecycledTiming")), T0.AddDays(31)) { Segment = new SegmentId("enterprise"), Source = "Webinar", Campaign = "w1", SlaDueAt = T0.AddDays(36) },
        // d (created in February): straight to nurture (not a recycle), then disqualified.
        new(Path("d", (LifecycleStage.Recycled, 31, "straight to nurture: NeverEngaged"), (LifecycleStage.Disqualified, 41, "duplicate")), T0.AddDays(31)) { Source = "Organic" },
    ];

    [Fact]
    public void Compute_Waterfall_CountsEveryStageReachedAndConversions()
    {
        var report = AlignmentMetrics.Compute(Sample(), new AlignmentMetricsOptions { AsOf = T0.AddDays(90) });

        Assert.Equal([4, 3, 2, 2, 2, 2], report.Overall.Stages.Select(s => s.Leads));
        Assert.Equal([0.75, 0.6667, 1, 1, 1], report.Overall.Conversions.Select(c => c.Rate));
        Assert.Equal(["(none)", "enterprise", "smb"], report.BySegment.Select(d => d.Key));
        Assert.Equal([2, 2, 2, 2, 2, 2], report.BySegment[2].Waterfall.Stages.Select(s => s.Leads));
        Assert.Equal(["Organic", "Paid Search", "Webinar"], report.BySource.Select(d => d.Key));
        Assert.Equal(["(none)", "ps1", "w1"], report.ByCampaign.Select(d => d.Key));
        Assert.Equal([("2026-01", 2), ("2026-02", 2)], report.ByPeriod.Select(d => (d.Key, d.Waterfall.Stages[0].Leads)));
    }

    [Fact]
    public void Compute_Velocity_IsTheMedianDaysPerStage()
    {
        var report = AlignmentMetrics.Compute(Sample(), new AlignmentMetricsOptions { AsOf = T0.AddDays(90) });

        // Inquiry→MQL: a 2, b 1, c 4 → median 2. MQL→SAL: a 1 (2→3), b 40 (1→41; first MQL to first SAL) → 20.5.
        Assert.Equal([2, 20.5, 2, 3, 17.5], report.Velocity.Select(v => v.MedianDays!.Value));
        Assert.Equal([3, 2, 2, 2, 2], report.Velocity.Select(v => v.Leads));
    }

    [Fact]
    public void Compute_SpeedToLead_MedianP95AndSlaCompliance()
    {
        var report = AlignmentMetrics.Compute(Sample(), new AlignmentMetricsOptions { AsOf = T0.AddDays(90) });

        Assert.Equivalent(new SpeedToLeadReport(mqlLeads: 3, touched: 2, medianHours: 17, p95Hours: 30, slaMeasured: 3, slaMet: 1, slaComplianceRate: 0.3333, escalations: 1), report.SpeedToLead, strict: true);
    }

    [Fact]
    public void Compute_SpeedToLead_SlaStillRunning_IsLeftOut()
    {
        var report = AlignmentMetrics.Compute(Sample(), new AlignmentMetricsOptions { AsOf = T0.AddDays(4) });

        Assert.Equal((2, 1), (report.SpeedToLead.SlaMeasured, report.SpeedToLead.SlaMet));
    }

    [Fact]
    public void Compute_Recycling_PerReason_WithReturnAndWins_IgnoringStraightToNurture()
    {
        var report = AlignmentMetrics.Compute(Sample(), new AlignmentMetricsOptions { AsOf = T0.AddDays(90) });

        Assert.Equal((2, 1, 1), (report.Recycling.Recycled, report.Recycling.CameBackAsMql, report.Recycling.Won));
        Assert.Equivalent(new[] { new RecyclingRow("RecycledTiming", 2, 1, 1) }, report.Recycling.ByReason.ToArray(), strict: true);
    }

    [Fact]
    public void Compute_Recycling_GroupsTheRoutersAndTheNurtureReasonsByCode()
    {
        var leads = new List<FunnelLead>
        {
            new(Path("r1", (LifecycleStage.MarketingQualified, 1, "score"), (LifecycleStage.Recycled, 2, "rejected by sales: timing (budget in Q3)")), T0),
            new(Path("r2", (LifecycleStage.MarketingQualified, 1, "score"), (LifecycleStage.Recycled, 2, "rejected by sales: timing")), T0),
            new(Path("r3", (LifecycleStage.MarketingQualified, 1, "score"), (LifecycleStage.Recycled, 2, "recycled to nurture: RecycledTiming (call in May)"),
                (LifecycleStage.MarketingQualified, 9, "score"), (LifecycleStage.Recycled, 10, "score dropped below MQL")), T0),
        };

        var report = AlignmentMetrics.Compute(leads, new AlignmentMetricsOptions { AsOf = T0.AddDays(30) });

        Assert.Equivalent(
            new[] { new RecyclingRow("timing", 2, 0, 0), new RecyclingRow("RecycledTiming", 1, 1, 0), new RecyclingRow("score dropped below MQL", 1, 0, 0) },
            report.Recycling.ByReason.ToArray(), strict: true);
    }

    [Fact]
    public void Compute_Attribution_FirstLastAndLinear()
    {
        var report = AlignmentMetrics.Compute(Sample(), new AlignmentMetricsOptions { AsOf = T0.AddDays(90) });
        var a = report.Attribution;

        Assert.Equal((2, 10000m), (a.WonDeals, a.WonRevenue));
        Assert.Equivalent(new[] { new AttributionRow("Webinar", "w1", 9000m, 1), new AttributionRow("Paid Search", "ps1", 1000m, 1) }, a.FirstTouch.ToArray(), strict: true);
        // a won on day 29: its day-40 organic touch came after the win and earns nothing.
        Assert.Equivalent(new[] { new AttributionRow("Paid Search", "ps1", 5500m, 1.5), new AttributionRow("Webinar", "w1", 4500m, 0.5) }, a.Linear.ToArray(), strict: true);
        Assert.Equivalent(new[] { new AttributionRow("Paid Search", "ps1", 10000m, 2) }, a.LastTouch.ToArray(), strict: true);
    }

    [Fact]
    public void ToJson_UsesCamelCaseAndStageNames_AndRoundTrips()
    {
        var report = AlignmentMetrics.Compute(Sample(), new AlignmentMetricsOptions { AsOf = T0.AddDays(90) });

        var json = report.ToJson(indented: false);
        using var doc = JsonDocument.Parse(json);

        Assert.Equal("MarketingQualified", doc.RootElement.GetProperty("overall").GetProperty("stages")[1].GetProperty("stage").GetString());
        Assert.Equal(0.3333, doc.RootElement.GetProperty("speedToLead").GetProperty("slaComplianceRate").GetDouble());
        Assert.Equal(10000m, doc.RootElement.GetProperty("attribution").GetProperty("wonRevenue").GetDecimal());
        var back = AlignmentMetricsReport.FromJson(json);
        Assert.Equivalent(report.SpeedToLead, back.SpeedToLead, strict: true);
        Assert.Equal(json, back.ToJson(indented: false));
    }

    [Fact]
    public void Compute_NoLeads_GivesZeroesAndNulls()
    {
        var report = AlignmentMetrics.Compute([], new AlignmentMetricsOptions { AsOf = T0 });

        // One conversion and one velocity per pair of consecutive funnel stages (Inquiry .. Won), even with no leads.
        Assert.Equal(5, report.Overall.Conversions.Length);
        Assert.All(report.Overall.Conversions, c => Assert.Equal(0, c.Rate));
        Assert.Null(report.SpeedToLead.MedianHours);
        Assert.Equal(5, report.Velocity.Length);
        Assert.All(report.Velocity, v => Assert.Null(v.MedianDays));
    }
}
