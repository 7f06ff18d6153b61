using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Policies.Metrics;
using Alignment.Policies.Planning;

namespace Alignment.Policies.Tests.Planning;

/// <summary>The reverse waterfall per channel: the group's revenue split by won revenue, each channel at its own rates, thin ones at the group's.</summary>
public sealed class ChannelPlanTests
{
    private static readonly DateTimeOffset Jan1 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Every lead moves on the same days: MQL day 10, SAL 12, SQL 20, opportunity 30, won 75 (lost 80), so the group's median days are
    // 10, 2, 8, 10, 45 whichever channel a lead came from.
    private static FunnelLead Lead(string id, string source, int stages, decimal? won = null, bool lost = false)
    {
        (LifecycleStage Stage, double Day)[] path =
        [
            (LifecycleStage.MarketingQualified, 10), (LifecycleStage.SalesAccepted, 12), (LifecycleStage.SalesQualified, 20), (LifecycleStage.Opportunity, 30), (LifecycleStage.Won, 75),
        ];
        var lifecycle = LeadLifecycle.Start(new LeadId(id));
        foreach (var (stage, day) in path.Take(stages))
        {
            lifecycle = lifecycle.Transition(stage, Jan1.AddDays(day), LifecycleActor.Sales, "test");
        }

        if (lost)
        {
            lifecycle = lifecycle.Transition(LifecycleStage.Lost, Jan1.AddDays(80), LifecycleActor.Sales, "test");
        }

        return new FunnelLead(lifecycle, Jan1) { Source = source, WonAmount = won };
    }

    // Webinar: 4 leads; 4 MQLs, 4 SALs, 2 SQLs, 2 opportunities, 2 won at 10,000 (rates 1, 1, 0.5, 1, 1; won revenue 20,000).
    // Paid Search: 8 leads; 4 MQLs, 2 SALs, 2 SQLs, 2 opportunities, 1 won at 40,000 (rates 0.5, 0.5, 1, 1, 0.5; won revenue 40,000).
    // The group: 12 leads; 8, 6, 4, 4, 3 (rates 8/12, 6/8, 4/6, 1, 3/4); 60,000 won on 3 deals = 20,000 a deal.
    private static List<FunnelLead> History() =>
    [
        Lead("W1", "Webinar", 5, 10_000m), Lead("W2", "Webinar", 5, 10_000m), Lead("W3", "Webinar", 2), Lead("W4", "Webinar", 2),
        Lead("P1", "Paid Search", 5, 40_000m), Lead("P2", "Paid Search", 4, lost: true), Lead("P3", "Paid Search", 1), Lead("P4", "Paid Search", 1),
        Lead("P5", "Paid Search", 0), Lead("P6", "Paid Search", 0), Lead("P7", "Paid Search", 0), Lead("P8", "Paid Search", 0),
    ];

    private static readonly RevenueTarget[] June = [new(new DateOnly(2026, 6, 1), 60_000m)];

    private static (string, int?, int?, int?, int?, int?, int?) Totals(DemandPlan plan, string channel)
    {
        var rows = plan.Channels.Where(c => c.Channel == channel).ToList();
        return (string.Join(", ", rows[0].GroupFallbacks), rows.Sum(c => c.WonDeals), rows.Sum(c => c.Opportunities), rows.Sum(c => c.Sqls), rows.Sum(c => c.Sals), rows.Sum(c => c.Mqls), rows.Sum(c => c.Leads));
    }

    [Fact]
    public void Channels_WithDifferentRates_NeedDifferentCounts_AndAddUpToTheGroup()
    {
        var plan = DemandPlanner.Plan(History(), June, new DemandPlanOptions { AsOf = Jan1, MinimumSample = 1 });

        // Shares of won revenue: webinars 20,000 / 60,000 = 1/3, paid search 2/3. Of 60,000 in June:
        // webinars 20,000 ÷ 10,000 = 2 deals; ÷1 = 2 opportunities; ÷1 = 2 SQLs; ÷0.5 = 4 SALs; ÷1 = 4 MQLs; ÷1 = 4 leads.
        // paid search 40,000 ÷ 40,000 = 1 deal; ÷0.5 = 2 opportunities; ÷1 = 2 SQLs; ÷1 = 2 SALs; ÷0.5 = 4 MQLs; ÷0.5 = 8 leads.
        // In the group's months: won in June; opportunities 45 days before (17 April) and SQLs 55 (7 April); SALs 63 (30 March),
        // MQLs 65 (28 March), leads 75 (18 March).
        Assert.Equal(
        [
            (new DateOnly(2026, 3, 1), "Paid Search", 0.6667, 0m, 0, 0, 0, 2, 4, 8),
            (new DateOnly(2026, 3, 1), "Webinar", 0.3333, 0m, 0, 0, 0, 4, 4, 4),
            (new DateOnly(2026, 4, 1), "Paid Search", 0.6667, 0m, 0, 2, 2, 0, 0, 0),
            (new DateOnly(2026, 4, 1), "Webinar", 0.3333, 0m, 0, 2, 2, 0, 0, 0),
            (new DateOnly(2026, 6, 1), "Paid Search", 0.6667, 40_000m, 1, 0, 0, 0, 0, 0),
            (new DateOnly(2026, 6, 1), "Webinar", 0.3333, 20_000m, 2, 0, 0, 0, 0, 0),
        ], plan.Channels.Select(c => (c.Month, c.Channel, c.Share, c.Revenue, c.WonDeals!.Value, c.Opportunities!.Value, c.Sqls!.Value, c.Sals!.Value, c.Mqls!.Value, c.Leads!.Value)));
        Assert.All(plan.Channels, c => Assert.Empty(c.GroupFallbacks));

        // The group: 3 deals; ÷3/4 = 4 opportunities; 4 SQLs; ÷4/6 = 6 SALs; ÷6/8 = 8 MQLs; ÷8/12 = 12 leads: the channels' sums.
        Assert.Equal(
        [
            new PlannedMonth(new DateOnly(2026, 3, 1), null, null, 0m, 0, 0, 0, 6, 8, 12),
            new PlannedMonth(new DateOnly(2026, 4, 1), null, null, 0m, 0, 4, 4, 0, 0, 0),
            new PlannedMonth(new DateOnly(2026, 6, 1), null, null, 60_000m, 3, 0, 0, 0, 0, 0),
        ], plan.Months.AsEnumerable());
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Channel_OnTooLittleHistory_TakesTheGroupsFigures_AndSaysWhich()
    {
        var plan = DemandPlanner.Plan(History(), June, new DemandPlanOptions { AsOf = Jan1, MinimumSample = 2 });

        // At 2, paid search's Opportunity → Won (2 leads, 1 move) and deal size (1 won deal) are too thin; the group's 3/4 and 20,000
        // are used: 40,000 ÷ 20,000 = 2 deals; ÷0.75 = 2.67 opportunities; ÷1 = 2.67 SQLs; ÷1 = 2.67 SALs; ÷0.5 = 5.33 MQLs;
        // ÷0.5 = 10.67 leads; rounded up 2, 3, 3, 3, 6, 11. Webinars rest on 2 or more everywhere and keep their own figures.
        Assert.Equal(("Opportunity → Won, deal size", 2, 3, 3, 3, 6, 11), Totals(plan, "Paid Search"));
        Assert.Equal((string.Empty, 2, 2, 2, 4, 4, 4), Totals(plan, "Webinar"));
        Assert.Equal(
            ["all leads, channel 'Paid Search': Opportunity → Won, deal size rest on too little of its own history (fewer than 2); the group's are used."],
            plan.Warnings.AsEnumerable());
    }

    [Fact]
    public void Channel_WithARateOfZero_IsPlannedAtZero_AndFlagged_WithoutThrowing()
    {
        // Events: one lead that never moved, so every one of its own rates is 0 (and it won nothing: no revenue is planned on it).
        var history = History();
        history.Add(Lead("E1", "Events", 0));

        var plan = DemandPlanner.Plan(history, June, new DemandPlanOptions { AsOf = Jan1, MinimumSample = 1 });

        var events = plan.Channels.Where(c => c.Channel == "Events").ToList();
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal((0.0, 0m, 0, 0, 0, 0, 0, 0), (e.Share, e.Revenue, e.WonDeals, e.Opportunities, e.Sqls, e.Sals, e.Mqls, e.Leads)));
        Assert.Equal(
            "Inquiry → MarketingQualified, MarketingQualified → SalesAccepted, SalesAccepted → SalesQualified, SalesQualified → Opportunity, Opportunity → Won, deal size",
            string.Join(", ", events[0].GroupFallbacks));
        Assert.Contains("all leads, channel 'Events': no won revenue in the history; no revenue is planned on it.", plan.Warnings);
        // The other channels are untouched: webinars still need 4 leads, paid search 8.
        Assert.Equal((string.Empty, 1, 2, 2, 2, 4, 8), Totals(plan, "Paid Search"));
        Assert.Equal((string.Empty, 2, 2, 2, 4, 4, 4), Totals(plan, "Webinar"));
    }
}
