using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Policies.Metrics;
using Alignment.Policies.Planning;

namespace Alignment.Policies.Tests.Planning;

/// <summary>Spend and return per campaign within a channel and per month, on figures worked by hand.</summary>
public sealed class SpendBreakdownTests
{
    private static readonly DateTimeOffset Jan1 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Day(double day) => Jan1.AddDays(day);

    // MQL on day 10, SAL 12, SQL 20, opportunity 30, won 40 after the start; cut to the stages asked for.
    private static LeadLifecycle Path(string id, double start, int stages)
    {
        (LifecycleStage To, double Day)[] moves =
        [
            (LifecycleStage.MarketingQualified, 10), (LifecycleStage.SalesAccepted, 12), (LifecycleStage.SalesQualified, 20), (LifecycleStage.Opportunity, 30), (LifecycleStage.Won, 40),
        ];
        var lifecycle = LeadLifecycle.Start(new LeadId(id));
        foreach (var (to, day) in moves.Take(stages))
        {
            lifecycle = lifecycle.Transition(to, Day(start + day), LifecycleActor.Sales, "test");
        }

        return lifecycle;
    }

    private const int Inquiry = 0, Mql = 1, Won = 5;

    private static FunnelLead Lead(string id, int stages, decimal? won, params (double Day, string Source, string? Campaign)[] touches) =>
        new(Path(id, 0, stages), Jan1) { WonAmount = won, Touches = [.. touches.Select(t => new MarketingTouch(Day(t.Day), t.Source, t.Campaign))] };

    // Webinar: the spring campaign spent 1,000, the autumn one 4,000, and 500 went to no campaign (a blank and a missing one).
    // A (spring then autumn, won 6,000), B (autumn, won 2,000), C (spring, MQL), D (autumn, inquiry), E (no touch, no campaign).
    private static FunnelLead[] WebinarLeads() =>
    [
        Lead("A", Won, 6_000m, (1, "Webinar", "spring"), (9, "Webinar", "autumn")),
        Lead("B", Won, 2_000m, (2, "Webinar", "autumn")),
        Lead("C", Mql, null, (3, "Webinar", "spring")),
        Lead("D", Inquiry, null, (4, "Webinar", "autumn")),
        new(Path("E", 0, Inquiry), Jan1) { Source = "Webinar" },
    ];

    private static ChannelSpend[] WebinarSpend() =>
    [
        new(new DateOnly(2026, 1, 1), "Webinar", 1_000m) { Campaign = "spring" },
        new(new DateOnly(2026, 1, 1), "Webinar", 4_000m) { Campaign = "autumn" },
        new(new DateOnly(2026, 1, 1), "Webinar", 300m) { Campaign = " " },
        new(new DateOnly(2026, 1, 1), "Webinar", 200m),
    ];

    [Fact]
    public void Campaigns_CostPerStageAndReturn_UnderEachAttributionModel()
    {
        var report = SpendAnalysis.Compute(WebinarLeads(), WebinarSpend());

        Assert.Equal([("Webinar", null), ("Webinar", "autumn"), ("Webinar", "spring")], report.Campaigns.Select(c => (c.Channel, c.Campaign)));
        var (none, autumn, spring) = (report.Campaigns[0], report.Campaigns[1], report.Campaigns[2]);

        // Spring: 1,000 over A and C (first touches): 2 leads (500 each), 2 MQLs (500), 1 opportunity (1,000), 1 won (1,000).
        // A's 6,000: first touch spring, last touch autumn, linear 3,000 each. Returns 6,000 / 1,000, 0, 3,000 / 1,000.
        Assert.Equal(
            new CampaignReturn("Webinar", "spring", 1_000m, 2, 2, 1, 1, 500m, 500m, 1_000m, 1_000m, 6_000m, 0m, 3_000m, 6.0, 0.0, 3.0),
            spring);
        // Autumn: 4,000 over B and D: 2 leads (2,000), 1 MQL (4,000), 1 opportunity (4,000), 1 won (4,000).
        // First touch B's 2,000; last touch A's 6,000 + B's 2,000; linear 3,000 + 2,000. Returns 0.5, 2, 1.25.
        Assert.Equal(
            new CampaignReturn("Webinar", "autumn", 4_000m, 2, 1, 1, 1, 2_000m, 4_000m, 4_000m, 4_000m, 2_000m, 8_000m, 5_000m, 0.5, 2.0, 1.25),
            autumn);
        // No campaign: the blank and the missing rows (300 + 200) and E, the lead without a touch or a campaign.
        Assert.Equal(
            new CampaignReturn("Webinar", null, 500m, 1, 0, 0, 0, 500m, null, null, null, 0m, 0m, 0m, 0.0, 0.0, 0.0),
            none);

        // The channel row is their sum: 5,500 over 5 leads (1,100), 3 MQLs (1,833.33), 2 opportunities and 2 won (2,750);
        // 8,000 under every model: 8,000 / 5,500 = 1.4545.
        var webinar = report.Channels.Single();
        Assert.Equal((5_500m, 5, 3, 2, 2, 1_100m, 1_833.33m, 2_750m, 2_750m), (webinar.Spend, webinar.Leads, webinar.Mqls, webinar.Opportunities, webinar.WonDeals, webinar.CostPerLead!.Value, webinar.CostPerMql!.Value, webinar.CostPerOpportunity!.Value, webinar.CostPerWonDeal!.Value));
        Assert.Equal((8_000m, 8_000m, 8_000m, 1.4545), (webinar.FirstTouchRevenue, webinar.LastTouchRevenue, webinar.LinearRevenue, webinar.LinearReturn!.Value));
        Assert.Equal((5_500m, 2, 8_000m, 2_750m), (report.Spend, report.WonDeals, report.WonRevenue, report.CustomerAcquisitionCost!.Value));
    }

    // Paid search spent 2,000 in January and 1,000 in February. P (touches 5 January and 5 February, won 4,000), R (touched
    // 20 January, MQL), Q (created and touched 3 February, won 1,000 on 12 March).
    private static FunnelLead[] SearchLeads() =>
    [
        Lead("P", Won, 4_000m, (4, "Paid Search", "ps"), (35, "Paid Search", "ps")),
        Lead("R", Mql, null, (19, "Paid Search", "ps")),
        new(Path("Q", 31, Won), Day(33)) { WonAmount = 1_000m, Touches = [new MarketingTouch(Day(33), "Paid Search", "ps")] },
    ];

    private static ChannelSpend[] SearchSpend() =>
    [
        new(new DateOnly(2026, 1, 1), "Paid Search", 2_000m) { Campaign = "ps" },
        new(new DateOnly(2026, 2, 14), "Paid Search", 1_000m) { Campaign = "ps" },
    ];

    [Fact]
    public void Periods_SplitSpendFunnelAndRevenue_ByTheMonthOfEachTouch()
    {
        var report = SpendAnalysis.Compute(SearchLeads(), SearchSpend());

        Assert.Equal([new DateOnly(2026, 1, 1), new DateOnly(2026, 2, 1)], report.Periods.Select(p => p.Month));
        // January: 2,000 over P and R (first touches in January): 2 leads and 2 MQLs (1,000), 1 opportunity and 1 won (2,000).
        // P's 4,000: first touch January, last touch February, linear 2,000 each. Returns 2, 0, 1.
        Assert.Equal(
            new PeriodReturn(new DateOnly(2026, 1, 1), "Paid Search", 2_000m, 2, 2, 1, 1, 1_000m, 1_000m, 2_000m, 2_000m, 4_000m, 0m, 2_000m, 2.0, 0.0, 1.0),
            report.Periods[0]);
        // February: 1,000 over Q: 1 lead, MQL, opportunity and won (1,000 each). First touch Q's 1,000; last touch P's 4,000 +
        // Q's 1,000; linear 2,000 + 1,000. Returns 1, 5, 3.
        Assert.Equal(
            new PeriodReturn(new DateOnly(2026, 2, 1), "Paid Search", 1_000m, 1, 1, 1, 1, 1_000m, 1_000m, 1_000m, 1_000m, 1_000m, 5_000m, 3_000m, 1.0, 5.0, 3.0),
            report.Periods[1]);
        // One campaign: its row is the channel's.
        var search = report.Channels.Single();
        Assert.Equal((3_000m, 3, 5_000m, 5_000m, 5_000m, 1.6667), (search.Spend, search.Leads, search.FirstTouchRevenue, search.LastTouchRevenue, search.LinearRevenue, search.LinearReturn!.Value));
        Assert.Equal((3_000m, 3, 3, 2, 2, 5_000m, 5_000m, 5_000m), report.Campaigns.Select(c => (c.Spend, c.Leads, c.Mqls, c.Opportunities, c.WonDeals, c.FirstTouchRevenue, c.LastTouchRevenue, c.LinearRevenue)).Single());
    }

    [Fact]
    public void ChannelSpendWithoutCampaign_IsReportedAsSuch_AndEachChannelsRowsAddUpToIt()
    {
        // Events spent 700 on no campaign, with no lead; webinar and paid search as above, together.
        var report = SpendAnalysis.Compute([.. WebinarLeads(), .. SearchLeads()], [.. WebinarSpend(), .. SearchSpend(), new ChannelSpend(new DateOnly(2026, 2, 1), "Events", 700m)]);

        Assert.Equal(new CampaignReturn("Events", null, 700m, 0, 0, 0, 0, null, null, null, null, 0m, 0m, 0m, 0.0, 0.0, 0.0), report.Campaigns[0]);
        Assert.Contains(new PeriodReturn(new DateOnly(2026, 2, 1), "Events", 700m, 0, 0, 0, 0, null, null, null, null, 0m, 0m, 0m, 0.0, 0.0, 0.0), report.Periods);
        foreach (var channel in report.Channels)
        {
            var campaigns = report.Campaigns.Where(c => c.Channel == channel.Channel).ToList();
            var periods = report.Periods.Where(p => p.Channel == channel.Channel).ToList();
            var expected = (channel.Spend, channel.Leads, channel.Mqls, channel.Opportunities, channel.WonDeals, channel.FirstTouchRevenue, channel.LastTouchRevenue, channel.LinearRevenue);
            Assert.Equal(expected, (campaigns.Sum(c => c.Spend), campaigns.Sum(c => c.Leads), campaigns.Sum(c => c.Mqls), campaigns.Sum(c => c.Opportunities), campaigns.Sum(c => c.WonDeals), campaigns.Sum(c => c.FirstTouchRevenue), campaigns.Sum(c => c.LastTouchRevenue), campaigns.Sum(c => c.LinearRevenue)));
            Assert.Equal(expected, (periods.Sum(c => c.Spend), periods.Sum(c => c.Leads), periods.Sum(c => c.Mqls), periods.Sum(c => c.Opportunities), periods.Sum(c => c.WonDeals), periods.Sum(c => c.FirstTouchRevenue), periods.Sum(c => c.LastTouchRevenue), periods.Sum(c => c.LinearRevenue)));
        }

        Assert.Equal(["Events", "Paid Search", "Webinar"], report.Channels.Select(c => c.Channel));
        Assert.Equal(9_200m, report.Spend);
    }
}
