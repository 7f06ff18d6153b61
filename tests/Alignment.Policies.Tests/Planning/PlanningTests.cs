using System.Collections.Immutable;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Policies.Metrics;
using Alignment.Policies.Planning;
using Alignment.Segmentation;

namespace Alignment.Policies.Tests.Planning;

/// <summary>The reverse waterfall, both sides of the SLA, cost and return per channel and the budget rule, on figures worked by hand.</summary>
public sealed class PlanningTests
{
    private static readonly DateTimeOffset Jan1 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static LeadLifecycle Path(string id, params (LifecycleStage To, DateTimeOffset At)[] moves)
    {
        var lifecycle = LeadLifecycle.Start(new LeadId(id));
        foreach (var (to, at) in moves)
        {
            lifecycle = lifecycle.Transition(to, at, LifecycleActor.Sales, "test");
        }

        return lifecycle;
    }

    private static (LifecycleStage, DateTimeOffset) At(LifecycleStage stage, double day) => (stage, Jan1.AddDays(day));

    private static readonly (LifecycleStage, DateTimeOffset)[] ToOpportunity =
    [
        At(LifecycleStage.MarketingQualified, 10), At(LifecycleStage.SalesAccepted, 12), At(LifecycleStage.SalesQualified, 20), At(LifecycleStage.Opportunity, 30),
    ];

    // Eight leads created on 1 January: reached Inquiry 8, MQL 4, SAL 4, SQL 2, Opportunity 2, Won 1 (rates 0.5, 1, 0.5, 1, 0.5);
    // median days 10, 2, 8, 10, 45; the one won deal is 10,000. Six came from webinars, two from paid search.
    private static List<FunnelLead> History() =>
    [
        new(Path("L1", [.. ToOpportunity, At(LifecycleStage.Won, 75)]), Jan1) { Source = "Webinar", WonAmount = 10_000m },
        new(Path("L2", [.. ToOpportunity, At(LifecycleStage.Lost, 80)]), Jan1) { Source = "Webinar" },
        new(Path("L3", At(LifecycleStage.MarketingQualified, 10), At(LifecycleStage.SalesAccepted, 12), At(LifecycleStage.Recycled, 40)), Jan1) { Source = "Webinar" },
        new(Path("L4", At(LifecycleStage.MarketingQualified, 10), At(LifecycleStage.SalesAccepted, 12)), Jan1) { Source = "Webinar" },
        new(Path("L5"), Jan1) { Source = "Webinar" },
        new(Path("L6"), Jan1) { Source = "Webinar" },
        new(Path("L7"), Jan1) { Source = "Paid Search" },
        new(Path("L8"), Jan1) { Source = "Paid Search" },
    ];

    private static readonly RevenueTarget[] Targets = [new(new DateOnly(2026, 6, 1), 30_000m), new(new DateOnly(2026, 7, 15), 30_000m)];

    [Fact]
    public void Plan_WorksBackFromRevenueThroughTheMeasuredRates_InTheMonthsTheStagesTake()
    {
        var plan = DemandPlanner.Plan(History(), Targets, new DemandPlanOptions { AsOf = Jan1.AddDays(59), MinimumSample = 1 });

        // 30,000 / 10,000 = 3 deals; ÷0.5 = 6 opportunities; ÷1 = 6 SQLs; ÷0.5 = 12 SALs; ÷1 = 12 MQLs; ÷0.5 = 24 leads.
        // June's deals: opportunities 45 days before 1 June (17 April), SQLs 55 (7 April), SALs 63 (30 March), MQLs 65 (28 March),
        // leads 75 (18 March). July's: opportunities 17 May, SQLs 7 May, SALs 29 April, MQLs 27 April, leads 17 April.
        Assert.Equal(
        [
            new PlannedMonth(new DateOnly(2026, 3, 1), null, null, 0m, 0, 0, 0, 12, 12, 24),
            new PlannedMonth(new DateOnly(2026, 4, 1), null, null, 0m, 0, 6, 6, 12, 12, 24),
            new PlannedMonth(new DateOnly(2026, 5, 1), null, null, 0m, 0, 6, 6, 0, 0, 0),
            new PlannedMonth(new DateOnly(2026, 6, 1), null, null, 30_000m, 3, 0, 0, 0, 0, 0),
            new PlannedMonth(new DateOnly(2026, 7, 1), null, null, 30_000m, 3, 0, 0, 0, 0, 0),
        ], plan.Months.AsEnumerable());
        Assert.Equal([0.5, 1, 0.5, 1, 0.5], plan.Groups.Single().Conversions.Select(c => c.Rate));
        Assert.Equal([10, 2, 8, 10, 45], plan.Groups.Single().Conversions.Select(c => c.MedianDays!.Value));
        Assert.Equal(10_000m, plan.Groups.Single().AverageDealSize);
        // Paid search won nothing, so the plan puts none of the revenue on it and says so.
        Assert.Equal(["all leads, channel 'Paid Search': no won revenue in the history; no revenue is planned on it."], plan.Warnings.AsEnumerable());

        // Per channel, by the share of won revenue: all of it came from webinars (6 leads: 4 MQLs, 4 SALs, 2 SQLs, 2 opportunities,
        // 1 won; rates 2/3, 1, 0.5, 1, 0.5). 30,000 = 3 deals, 6 opportunities, 6 SQLs, 12 SALs, 12 MQLs, 12 ÷ 2/3 = 18 leads a month,
        // in the group's months; paid search gets none.
        Assert.Equal(
        [
            (new DateOnly(2026, 3, 1), 1.0, 0m, 0, 0, 0, 12, 12, 18),
            (new DateOnly(2026, 4, 1), 1.0, 0m, 0, 6, 6, 12, 12, 18),
            (new DateOnly(2026, 5, 1), 1.0, 0m, 0, 6, 6, 0, 0, 0),
            (new DateOnly(2026, 6, 1), 1.0, 30_000m, 3, 0, 0, 0, 0, 0),
            (new DateOnly(2026, 7, 1), 1.0, 30_000m, 3, 0, 0, 0, 0, 0),
        ], plan.Channels.Where(c => c.Channel == "Webinar").Select(c => (c.Month, c.Share, c.Revenue, c.WonDeals!.Value, c.Opportunities!.Value, c.Sqls!.Value, c.Sals!.Value, c.Mqls!.Value, c.Leads!.Value)));
        Assert.All(plan.Channels.Where(c => c.Channel == "Paid Search"), c => Assert.Equal((0.0, 0m, 0, 0), (c.Share, c.Revenue, c.WonDeals, c.Leads)));
    }

    [Fact]
    public void Plan_Pipeline_WeighsOpenLeadsByTheirStagesChanceToWin_AndGivesTheGap()
    {
        // On 1 March (day 59): L1 and L2 are open opportunities (won/lost later), L4 an open SAL, L5–L8 open inquiries; L3 recycled.
        var plan = DemandPlanner.Plan(History(), Targets, new DemandPlanOptions { AsOf = Jan1.AddDays(59), MinimumSample = 1 });

        // Chances: opportunity 0.5, SAL 0.5 × 1 × 0.5 = 0.25, inquiry 0.125. Expected 2 × 0.5 + 0.25 + 4 × 0.125 = 1.75 deals = 17,500.
        // Targets from March on: 60,000; gap 42,500 = 4.25 deals = 34 leads at 0.125.
        Assert.Equal(new PipelineCoverage(4, 0, 1, 0, 2, 1.75, 17_500m, 60_000m, 42_500m, 34), plan.Groups.Single().Pipeline);
    }

    [Fact]
    public void Plan_FlagsRatesOnTooLittleHistory_AndCannotPlanPastARateOfZero()
    {
        var flagged = DemandPlanner.Plan(History(), Targets, new DemandPlanOptions { AsOf = Jan1, MinimumSample = 3 });

        // SAL → SQL rests on 4 leads but 2 moves, SQL → Opportunity on 2 and 2, Opportunity → Won on 2 and 1; the deal size on 1 won deal.
        Assert.Equal([true, true, false, false, false], flagged.Groups.Single().Conversions.Select(c => c.Trusted));
        Assert.False(flagged.Groups.Single().DealSizeTrusted);
        Assert.Contains(flagged.Warnings, w => w.Contains("Opportunity → Won rests on 2 leads, 1 of which made the move (fewer than 3)", StringComparison.Ordinal));
        Assert.Contains(flagged.Warnings, w => w.Contains("average deal size rests on 1 won deals", StringComparison.Ordinal));

        var enterprise = History().Select(l => new FunnelLead(l.Lifecycle, l.CreatedAt)
        {
            Source = l.Source, WonAmount = l.WonAmount, Segment = new SegmentId(l.Lifecycle.LeadId.Value == "L3" ? "enterprise" : "smb"),
        }).ToList();
        var none = DemandPlanner.Plan(enterprise, [new RevenueTarget(new DateOnly(2026, 6, 1), 10_000m) { Segment = "enterprise" }], new DemandPlanOptions { AsOf = Jan1 });

        // The enterprise history (L3) has no SQL and no won deal: nothing can be counted, and the plan says why.
        Assert.Null(none.Months.Single(m => m.Revenue > 0).WonDeals);
        Assert.Contains(none.Months, m => m.Leads is null);
        Assert.DoesNotContain(none.Months, m => m.Leads > 0 || m.Mqls > 0 || m.Sals > 0 || m.Sqls > 0 || m.Opportunities > 0 || m.WonDeals > 0);
        Assert.Empty(none.Channels);
        Assert.Contains(none.Warnings, w => w.StartsWith("segment 'enterprise': no lead went from SalesAccepted to SalesQualified", StringComparison.Ordinal));
        Assert.Contains(none.Warnings, w => w.StartsWith("segment 'enterprise': no won deal with an amount", StringComparison.Ordinal));
        Assert.Equal(1, none.Groups.Single().HistoryLeads);
    }

    // --- The service-level agreement in both directions -------------------------------------------------------------------

    private static FunnelLead Mql(string id, string segment, DateTimeOffset mqlAt, DateTimeOffset? touch, (LifecycleStage To, DateTimeOffset At)? disposition) =>
        new(disposition is { } d ? Path(id, (LifecycleStage.MarketingQualified, mqlAt), d) : Path(id, (LifecycleStage.MarketingQualified, mqlAt)), mqlAt.AddDays(-1))
        {
            Segment = new SegmentId(segment), FirstSalesTouchAt = touch,
        };

    private static DateTimeOffset D(int month, int day, int hour = 0) => new(2026, month, day, hour, 0, 0, TimeSpan.Zero);

    private static List<FunnelLead> SlaLeads() =>
    [
        // January (closed at the report's instant, 15 February).
        Mql("a", "smb", D(1, 5, 9), D(1, 5, 15), (LifecycleStage.SalesAccepted, D(1, 7))),   // touched in 6 h, accepted in 2 days
        Mql("b", "smb", D(1, 10), D(1, 12), (LifecycleStage.Recycled, D(1, 20))),            // touched in 48 h, recycled after 10 days
        Mql("c", "ent", D(1, 20), D(1, 20, 1), null),                                          // touched in 1 h, never disposed of
        Mql("d", "ent", D(1, 30, 12), null, (LifecycleStage.SalesAccepted, D(2, 2, 12))),     // never touched, accepted in 3 days
        // February (running: half of it gone).
        Mql("e", "ent", D(2, 14, 12), null, null),                                             // still inside both times
        Mql("f", "smb", D(2, 3), D(2, 3, 2), (LifecycleStage.SalesAccepted, D(2, 4))),        // touched in 2 h, accepted next day
        Mql("g", "ent", D(2, 1), D(2, 20), null),                                              // touched after the report's instant: a miss
    ];

    private static readonly ServiceLevelAgreement Agreement = new()
    {
        MarketingCommitments = [new MqlCommitment(3), new MqlCommitment(3) { Segment = "smb" }],
        FirstTouchWithin = TimeSpan.FromHours(24),
        FirstTouchShare = 0.9,
        DispositionWithin = TimeSpan.FromDays(5),
    };

    [Fact]
    public void Sla_ClosedPeriod_MeasuresBothSidesAndNamesTheLeadsBehindEachMiss()
    {
        var january = SlaAttainment.Compute(SlaLeads(), Agreement, D(2, 15)).Periods[0];

        Assert.Equal(("2026-01", 1.0), (january.Period, january.Elapsed));
        Assert.Equal(new MarketingAttainment(null, null, 3, 4, 1.3333, 4, SlaPace.Met), january.Marketing[0]);
        Assert.Equal(new MarketingAttainment("smb", null, 3, 2, 0.6667, 2, SlaPace.Missed), january.Marketing[1]);
        Assert.Equal((4, 4, 2, 0.5, SlaPace.Missed), (january.FirstTouch.Mqls, january.FirstTouch.Measured, january.FirstTouch.Met, january.FirstTouch.Share!.Value, january.FirstTouch.Pace));
        Assert.Equal(["b", "d"], january.FirstTouch.Misses.Select(id => id.Value));
        Assert.Equal((4, 2, 0.5, SlaPace.Missed), (january.Disposition.Measured, january.Disposition.Met, january.Disposition.Share!.Value, january.Disposition.Pace));
        Assert.Equal(["b", "c"], january.Disposition.Misses.Select(id => id.Value));
    }

    [Fact]
    public void Sla_RunningPeriod_ProjectsThePaceAndLeavesLeadsStillInsideTheirTimeOut()
    {
        var february = SlaAttainment.Compute(SlaLeads(), Agreement, D(2, 15)).Periods[1];

        Assert.Equal(0.5, february.Elapsed);
        // Three MQLs by mid-month project to 6 against 3 committed; smb has one (f), projecting 2 against 3.
        Assert.Equal(new MarketingAttainment(null, null, 3, 3, 1, 6, SlaPace.OnTrack), february.Marketing[0]);
        Assert.Equal(new MarketingAttainment("smb", null, 3, 1, 0.3333, 2, SlaPace.Behind), february.Marketing[1]);
        // e is inside its 24 h; f met; g's touch on 20 February is not seen on the 15th and its time ran out on the 2nd.
        Assert.Equal((3, 2, 1, 0.5, SlaPace.Behind), (february.FirstTouch.Mqls, february.FirstTouch.Measured, february.FirstTouch.Met, february.FirstTouch.Share!.Value, february.FirstTouch.Pace));
        Assert.Equal(["g"], february.FirstTouch.Misses.Select(id => id.Value));
        // Disposition: e inside its 5 days; f met; g out of time on the 6th.
        Assert.Equal((2, 1, SlaPace.Behind), (february.Disposition.Measured, february.Disposition.Met, february.Disposition.Pace));

        var early = SlaAttainment.Compute(SlaLeads(), Agreement, D(2, 1, 12)).Periods[1];
        Assert.Equal((0, (double?)null, SlaPace.OnTrack), (early.FirstTouch.Measured, early.FirstTouch.Share, early.FirstTouch.Pace));

        // At the very first instant of March nothing can have been delivered yet: March is on track, not behind.
        var march = SlaAttainment.Compute(SlaLeads(), Agreement, D(3, 1)).Periods[^1];
        Assert.Equal(("2026-03", 0.0), (march.Period, march.Elapsed));
        Assert.Equal(new MarketingAttainment(null, null, 3, 0, 0, 0, SlaPace.OnTrack), march.Marketing[0]);
    }

    [Fact]
    public void Sla_BadAgreement_NamesTheProperty()
    {
        var bad = new ServiceLevelAgreement { FirstTouchShare = 1.5 };
        Assert.Contains("FirstTouchShare", Assert.Throws<ArgumentException>(() => SlaAttainment.Compute(SlaLeads(), bad, D(2, 15))).Message, StringComparison.Ordinal);
        var negative = new ServiceLevelAgreement { MarketingCommitments = [new MqlCommitment(-1)] };
        Assert.Contains("MarketingCommitments[0].Mqls", Assert.Throws<ArgumentException>(() => negative.Validate()).Message, StringComparison.Ordinal);
    }

    // --- Spend, return and the budget rule -----------------------------------------------------------------------------------

    private static readonly (LifecycleStage, DateTimeOffset)[] Won =
        [.. ToOpportunity, At(LifecycleStage.Won, 40)];

    private static List<FunnelLead> SpendLeads(DateTimeOffset created, decimal webinarWin, decimal searchWin, bool searchWinTouchedWebinar)
    {
        var w = webinarWin == 0 ? 0 : 1;
        return
        [
            new(Path($"w1-{created:MM}", [.. Won.Select(m => (m.Item1, m.Item2 + (created - Jan1)))]), created) { Source = "Webinar", WonAmount = webinarWin, Touches = [new MarketingTouch(created, "Webinar", "w")] },
            new(Path($"w2-{created:MM}", (LifecycleStage.MarketingQualified, created.AddDays(3))), created) { Source = "Webinar" },
            new(Path($"s1-{created:MM}", [.. Won.Select(m => (m.Item1, m.Item2 + (created - Jan1)))]), created)
            {
                Source = "Paid Search", WonAmount = searchWin,
                Touches = searchWinTouchedWebinar ? [new MarketingTouch(created, "Paid Search", "ps"), new MarketingTouch(created.AddDays(5), "Webinar", "w")] : [new MarketingTouch(created, "Paid Search", "ps")],
            },
            new(Path($"s2-{created:MM}", (LifecycleStage.MarketingQualified, created.AddDays(3)), (LifecycleStage.SalesAccepted, created.AddDays(4)), (LifecycleStage.SalesQualified, created.AddDays(6)), (LifecycleStage.Opportunity, created.AddDays(8))), created) { Source = "Paid Search" },
            new(Path($"s3-{created:MM}"), created) { Source = "Paid Search" },
            new(Path($"e1-{created:MM}", (LifecycleStage.MarketingQualified, created.AddDays(3))), created) { Source = "Events" },
        ];
    }

    private static ChannelSpend[] Spend(int month) =>
        [new(new DateOnly(2026, month, 1), "Webinar", 1_000m), new(new DateOnly(2026, month, 1), "Paid Search", 3_000m), new(new DateOnly(2026, month, 1), "Events", 1_000m)];

    [Fact]
    public void Spend_CostPerStageAndReturnPerChannel_UnderEachAttributionModel()
    {
        var report = SpendAnalysis.Compute(SpendLeads(Jan1, 8_000m, 3_000m, searchWinTouchedWebinar: true), Spend(1));

        // Won: webinar 8,000 (one touch), search 3,000 (search then webinar). CAC 5,000 / 2 deals.
        Assert.Equal((5_000m, 2, 11_000m, 2_500m), (report.Spend, report.WonDeals, report.WonRevenue, report.CustomerAcquisitionCost!.Value));
        Assert.Equal(["Events", "Paid Search", "Webinar"], report.Channels.Select(c => c.Channel));
        var (events, search, webinar) = (report.Channels[0], report.Channels[1], report.Channels[2]);
        // Paid search: 3 leads (1,000 each), 2 MQLs (1,500), 2 opportunities (1,500), 1 won (3,000).
        Assert.Equal((3, 2, 2, 1, 1_000m, 1_500m, 1_500m, 3_000m), (search.Leads, search.Mqls, search.Opportunities, search.WonDeals, search.CostPerLead!.Value, search.CostPerMql!.Value, search.CostPerOpportunity!.Value, search.CostPerWonDeal!.Value));
        // First touch: webinar 8,000, search 3,000; last touch: webinar 11,000, search 0; linear: webinar 9,500, search 1,500.
        Assert.Equal((8_000m, 11_000m, 9_500m, 8.0, 11.0, 9.5), (webinar.FirstTouchRevenue, webinar.LastTouchRevenue, webinar.LinearRevenue, webinar.FirstTouchReturn!.Value, webinar.LastTouchReturn!.Value, webinar.LinearReturn!.Value));
        Assert.Equal((3_000m, 0m, 1_500m, 1.0, 0.0, 0.5), (search.FirstTouchRevenue, search.LastTouchRevenue, search.LinearRevenue, search.FirstTouchReturn!.Value, search.LastTouchReturn!.Value, search.LinearReturn!.Value));
        Assert.Equal((1, 0m, 0.0, (decimal?)null), (events.Leads, events.LinearRevenue, events.LinearReturn!.Value, events.CostPerWonDeal));
    }

    [Fact]
    public void Budget_FloorsFirst_ThenByReturn_UnderCaps_AndAChannelWithoutRevenueKeepsItsFloor()
    {
        var history = SpendAnalysis.Compute(SpendLeads(Jan1, 8_000m, 3_000m, searchWinTouchedWebinar: true), Spend(1));
        var rule = new BudgetRule { DefaultFloor = 0.1, DefaultCap = 0.6 };

        var budget = BudgetPlanner.Recommend(history, 10_000m, rule);

        // Floors 0.1 each; the other 0.7 by linear return 9.5 : 0.5 : 0 → webinar 0.1 + 0.665 capped at 0.6, search 0.135;
        // the 0.165 left goes to search, the only other channel with a return and room: search 0.3.
        Assert.Equal(
        [
            ("Events", 0.1, 1_000m, "floor"), ("Paid Search", 0.3, 3_000m, "return"), ("Webinar", 0.6, 6_000m, "cap"),
        ], budget.Channels.Select(c => (c.Channel, c.Share, c.Amount, c.Bound)));

        // Under first touch (8 : 1 : 0): webinar 0.1 + 0.7 × 8/9 = 0.7222 → capped 0.6; search gets the rest, 0.3. In cents,
        // 99.999 / 299.997 / 599.994 round down to 999.97 and the two cents left go to the largest remainders (events, search).
        var firstTouch = BudgetPlanner.Recommend(history, 999.99m, new BudgetRule { DefaultFloor = 0.1, DefaultCap = 0.6, Model = AttributionModel.FirstTouch });
        Assert.Equal([(0.1, 100.00m), (0.3, 300.00m), (0.6, 599.99m)], firstTouch.Channels.Select(c => (c.Share, c.Amount)));
    }

    [Fact]
    public void Budget_NoReturnAnywhere_SharesEqually_AndAnImpossibleRuleIsRefusedNamingWhy()
    {
        var history = SpendAnalysis.Compute(SpendLeads(Jan1, 0m, 0m, searchWinTouchedWebinar: false).Select(l => new FunnelLead(Path(l.Lifecycle.LeadId.Value), l.CreatedAt) { Source = l.Source }), Spend(1));

        var budget = BudgetPlanner.Recommend(history, 900m, new BudgetRule());
        Assert.Equal([300m, 300m, 300m], budget.Channels.Select(c => c.Amount));

        var floors = Assert.Throws<ArgumentException>(() => BudgetPlanner.Recommend(history, 900m, new BudgetRule { DefaultFloor = 0.4 }));
        Assert.Contains("floors of the 3 channels add up to 1.2", floors.Message, StringComparison.Ordinal);
        var caps = Assert.Throws<ArgumentException>(() => BudgetPlanner.Recommend(history, 900m, new BudgetRule { DefaultCap = 0.3 }));
        Assert.Contains("caps of the 3 channels add up to 0.9", caps.Message, StringComparison.Ordinal);
        var above = Assert.Throws<ArgumentException>(() => BudgetPlanner.Recommend(history, 900m, new BudgetRule { Floors = ImmutableDictionary<string, double>.Empty.Add("Events", 0.7) }));
        Assert.Contains("floor of channel 'Events' (0.7) is above its cap (0.5)", above.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Budget_Backtest_ReplaysTheRuleOnTheMonthsBefore_AndValuesItAtTheMonthsReturn()
    {
        var feb1 = Jan1.AddMonths(1);
        var leads = SpendLeads(Jan1, 8_000m, 3_000m, searchWinTouchedWebinar: true).Concat(SpendLeads(feb1, 4_000m, 3_000m, searchWinTouchedWebinar: false));

        var backtest = BudgetPlanner.Backtest(leads, [.. Spend(1), .. Spend(2)], new BudgetRule { DefaultFloor = 0.1, DefaultCap = 0.6 });

        // February: 5,000 split by January's returns (as in the recommendation test): events 500, search 1,500, webinar 3,000.
        // February's returns: webinar 4,000 / 1,000 = 4, search 3,000 / 3,000 = 1, events 0 → by the rule 12,000 + 1,500 + 0.
        var february = backtest.Months.Single();
        Assert.Equal((new DateOnly(2026, 2, 1), 5_000m, 7_000m, 13_500m), (february.Month, february.Spend, february.ActualRevenue, february.RuleRevenue));
        Assert.Equal([500m, 1_500m, 3_000m], february.Recommendation.Channels.Select(c => c.Amount));
        Assert.Equal((7_000m, 13_500m), (backtest.ActualRevenue, backtest.RuleRevenue));
    }

    [Fact]
    public void HostileDates_NeitherCrashNorStall()
    {
        // A target in the first month of year 1: the stages before it fall before the calendar starts and are put in that month.
        var plan = DemandPlanner.Plan(History(), [new RevenueTarget(new DateOnly(1, 1, 1), 30_000m)], new DemandPlanOptions { AsOf = Jan1, MinimumSample = 1 });
        Assert.Equal(new DateOnly(1, 1, 1), plan.Months.Single().Month);
        Assert.Equal(24, plan.Months.Single().Leads);

        // MQLs in year 1 and in the last month of year 9999: every month between is a period, and the last one ends the calendar.
        var far = new List<FunnelLead>
        {
            new(Path("early", (LifecycleStage.MarketingQualified, new DateTimeOffset(1, 1, 5, 0, 0, 0, TimeSpan.Zero))), new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            new(Path("late", (LifecycleStage.MarketingQualified, new DateTimeOffset(9999, 12, 20, 0, 0, 0, TimeSpan.Zero))), new DateTimeOffset(9999, 12, 1, 0, 0, 0, TimeSpan.Zero)),
        };
        var sla = SlaAttainment.Compute(far, new ServiceLevelAgreement(), new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(9999 * 12, sla.Periods.Length);
        Assert.Equal(DateTimeOffset.MaxValue, sla.Periods[^1].End);
        Assert.Equal(1, sla.Periods[^1].FirstTouch.Mqls);
    }

    [Fact]
    public void NegativeZero_IsZero_NotARefusal()
    {
        var minusZero = decimal.Negate(0m);
        Assert.True(decimal.IsNegative(minusZero));

        Assert.Equal(0m, new RevenueTarget(new DateOnly(2026, 6, 1), minusZero).Revenue);
        Assert.False(decimal.IsNegative(new ChannelSpend(new DateOnly(2026, 6, 1), "Webinar", minusZero).Amount));
        Assert.Equal(0m, BudgetPlanner.Recommend(SpendAnalysis.Compute([], Spend(1)), minusZero, new BudgetRule()).Channels.Sum(c => c.Amount));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RevenueTarget(new DateOnly(2026, 6, 1), -0.01m));
    }
}
