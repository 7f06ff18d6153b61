using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Policies.Metrics;
using Alignment.Policies.Planning;

namespace Alignment.Policies.Tests.Planning;

/// <summary>A revenue target for one sales team is planned on that team's history only.</summary>
public sealed class PlanTeamTargetTests
{
    private static readonly DateTimeOffset Jan1 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static FunnelLead Lead(string id, string team, decimal? won, params (LifecycleStage To, double Day)[] moves)
    {
        var lifecycle = LeadLifecycle.Start(new LeadId(id));
        foreach (var (to, day) in moves)
        {
            lifecycle = lifecycle.Transition(to, Jan1.AddDays(day), LifecycleActor.Sales, "test");
        }

        return new FunnelLead(lifecycle, Jan1) { Source = "Webinar", Team = team, WonAmount = won };
    }

    private static readonly (LifecycleStage, double)[] ToOpportunity =
    [
        (LifecycleStage.MarketingQualified, 10), (LifecycleStage.SalesAccepted, 12), (LifecycleStage.SalesQualified, 20), (LifecycleStage.Opportunity, 30),
    ];

    // Team emea: four leads, all MQLs and SALs, two SQLs and opportunities, one won (10,000): rates 1, 1, 0.5, 1, 0.5; median days
    // 10, 2, 8, 10, 45. Team na: four leads that never became MQLs, which halve the company-wide Inquiry → MQL rate.
    private static List<FunnelLead> History() =>
    [
        Lead("e1", "emea", 10_000m, [.. ToOpportunity, (LifecycleStage.Won, 75)]),
        Lead("e2", "emea", null, [.. ToOpportunity, (LifecycleStage.Lost, 80)]),
        Lead("e3", "emea", null, (LifecycleStage.MarketingQualified, 10), (LifecycleStage.SalesAccepted, 12), (LifecycleStage.Recycled, 40)),
        Lead("e4", "emea", null, (LifecycleStage.MarketingQualified, 10), (LifecycleStage.SalesAccepted, 12)),
        Lead("n1", "na", null), Lead("n2", "na", null), Lead("n3", "na", null), Lead("n4", "na", null),
    ];

    [Fact]
    public void TeamTarget_IsWorkedBackThroughTheTeamsOwnRates()
    {
        var target = new RevenueTarget(new DateOnly(2026, 6, 1), 20_000m) { Team = "emea" };

        var plan = DemandPlanner.Plan(History(), [target], new DemandPlanOptions { AsOf = Jan1, MinimumSample = 1 });

        // 20,000 / 10,000 = 2 deals; ÷0.5 = 4 opportunities; ÷1 = 4 SQLs; ÷0.5 = 8 SALs; ÷1 = 8 MQLs; ÷1 = 8 leads (the company-wide
        // Inquiry → MQL rate, 4 of 8, would ask for 16). Opportunities 45 days before 1 June (17 April), SQLs 55 (7 April), SALs 63
        // (30 March), MQLs 65 (28 March), leads 75 (18 March).
        var group = Assert.Single(plan.Groups);
        Assert.Equal((null, "emea", 4, 1, 10_000m), (group.Segment, group.Team, group.HistoryLeads, group.WonDeals, group.AverageDealSize));
        Assert.Equal([1, 1, 0.5, 1, 0.5], group.Conversions.Select(c => c.Rate));
        Assert.All(plan.Months, m => Assert.Equal("emea", m.Team));
        Assert.Equal(new PlannedMonth(new DateOnly(2026, 3, 1), null, "emea", 0m, 0, 0, 0, 8, 8, 8), plan.Months.Single(m => m.Month == new DateOnly(2026, 3, 1)));
        Assert.Equal(new PlannedMonth(new DateOnly(2026, 4, 1), null, "emea", 0m, 0, 4, 4, 0, 0, 0), plan.Months.Single(m => m.Month == new DateOnly(2026, 4, 1)));
        Assert.Equal(new PlannedMonth(new DateOnly(2026, 6, 1), null, "emea", 20_000m, 2, 0, 0, 0, 0, 0), plan.Months.Single(m => m.Month == new DateOnly(2026, 6, 1)));

        // The same target for the whole company counts the other team's leads that never qualified: twice the leads.
        var company = DemandPlanner.Plan(History(), [new RevenueTarget(new DateOnly(2026, 6, 1), 20_000m)], new DemandPlanOptions { AsOf = Jan1, MinimumSample = 1 });
        Assert.Equal(16, company.Months.Single(m => m.Month == new DateOnly(2026, 3, 1)).Leads);
    }
}
