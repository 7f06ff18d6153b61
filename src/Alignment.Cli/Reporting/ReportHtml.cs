using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Alignment.Cli.Demo;
using Alignment.Policies.Metrics;
using Alignment.Policies.Planning;

namespace Alignment.Cli.Reporting;

/// <summary>
/// The charts <c>alignment report</c> and <c>alignment demo</c> share (same code, same ids): the demand waterfall, velocity, speed to
/// lead, both sides of the SLA, plan against actual, return on spend per channel and the recommended budget; and the whole
/// self-contained <c>report.html</c> of <c>alignment report</c>.
/// </summary>
internal static class ReportHtml
{
    /// <summary>The ids of the planning charts, in page order; a chart whose data is missing (no spend, no targets) is left out.</summary>
    public static IReadOnlyList<string> PlanningChartIds { get; } =
        ["chart-plan-vs-actual", "chart-sla-marketing", "chart-sla-sales", "chart-return-on-spend", "chart-budget"];

    /// <summary>The ids of the charts of <c>alignment report</c> with every input given, in page order.</summary>
    public static IReadOnlyList<string> ChartIds { get; } = ["chart-waterfall", "chart-velocity", "chart-speed-to-lead", .. PlanningChartIds];

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the whole report of <c>alignment report</c>.</summary>
    /// <param name="data">The report.</param>
    /// <param name="source">What the data came from, for the header.</param>
    /// <param name="firstTouchHours">Hours from MQL to first touch of every touched MQL.</param>
    /// <returns>The HTML text.</returns>
    public static string ToHtml(ReportData data, string source, IReadOnlyList<double> firstTouchHours)
    {
        var m = data.Metrics;
        var html = new StringBuilder();
        html.Append(DemoReport.Head("Alignment report"));
        html.Append(Inv, $"<header><h1>Alignment report</h1><p>{data.From:yyyy-MM-dd} to {data.AsOf:yyyy-MM-dd} · {data.Leads:N0} leads · {DemoReport.Esc(source)}</p></header><main>");
        html.Append("<section class=\"kpis\">");
        DemoReport.Kpi(html, "Leads", data.Leads.ToString("N0", Inv));
        DemoReport.Kpi(html, "Won revenue", m.Attribution.WonRevenue.ToString("N0", Inv));
        DemoReport.Kpi(html, "Speed to lead (median)", m.SpeedToLead.MedianHours is { } med ? med.ToString("0.0", Inv) + " h" : "n/a");
        DemoReport.Kpi(html, "SLA compliance", m.SpeedToLead.SlaComplianceRate is { } sla ? sla.ToString("P1", Inv) : "n/a");
        if (data.Spend is { } spend)
        {
            DemoReport.Kpi(html, "Marketing spend", spend.Spend.ToString("N0", Inv));
            DemoReport.Kpi(html, "Customer acquisition cost", spend.CustomerAcquisitionCost is { } cac ? cac.ToString("N0", Inv) : "n/a");
        }

        html.Append("</section>");
        Waterfall(html, m);
        Velocity(html, m);
        SpeedToLead(html, m, firstTouchHours);
        Planning(html, data);
        if (data.Spend is { Campaigns.IsEmpty: false } campaigns)
        {
            html.Append("<section class=\"tables\">");
            CampaignTable(html, campaigns);
            html.Append("</section>");
        }

        html.Append("</main>");
        html.Append(DemoReport.Tail);
        return html.ToString();
    }

    /// <summary>The demand waterfall: leads that ever reached each stage, with the conversions.</summary>
    public static void Waterfall(StringBuilder html, AlignmentMetricsReport m)
    {
        var stages = m.Overall.Stages;
        DemoReport.Figure(html, "chart-waterfall", "Demand waterfall per stage", SvgChart.VerticalBars(
            [.. stages.Select(s => DemoSummary.StageName(s.Stage).ToUpperInvariant())],
            [("leads", SvgChart.Palette[0], [.. stages.Select(s => (double)s.Leads)])],
            "leads", v => v.ToString("N0", Inv)),
            "Leads that ever reached each stage. Conversion: " + string.Join(" · ", m.Overall.Conversions.Select(c => $"{DemoSummary.StageName(c.From)}→{DemoSummary.StageName(c.To)} {c.Rate.ToString("P1", Inv)}")));
    }

    /// <summary>Velocity: the median days from one stage to the next.</summary>
    public static void Velocity(StringBuilder html, AlignmentMetricsReport m) =>
        DemoReport.Figure(html, "chart-velocity", "Velocity: median days per stage", SvgChart.VerticalBars(
            [.. m.Velocity.Select(v => $"{DemoSummary.StageName(v.From)}→{DemoSummary.StageName(v.To)}")],
            [("median days", SvgChart.Palette[5], [.. m.Velocity.Select(v => v.MedianDays ?? 0)])],
            "days", v => v.ToString("0.#", Inv)),
            "Median days from entering a stage to entering the next, over the leads that made the move: " + string.Join(", ", m.Velocity.Select(v => $"{DemoSummary.StageName(v.From)}→{DemoSummary.StageName(v.To)} {v.Leads.ToString("N0", Inv)} leads")));

    /// <summary>Speed to lead: a histogram of hours from MQL to the first touch.</summary>
    public static void SpeedToLead(StringBuilder html, AlignmentMetricsReport m, IReadOnlyList<double> hours)
    {
        double[] edges = [0, 1, 4, 8, 24, 48, 72, 168];
        var labels = edges.Select((e, i) => i + 1 < edges.Length ? $"{e.ToString("0", Inv)}–{edges[i + 1].ToString("0", Inv)} h" : $"≥ {e.ToString("0", Inv)} h").ToArray();
        var counts = edges.Select((e, i) => (double)hours.Count(h => h >= e && (i + 1 == edges.Length || h < edges[i + 1]))).ToArray();
        var st = m.SpeedToLead;
        DemoReport.Figure(html, "chart-speed-to-lead", "Speed to lead: hours from MQL to first touch", SvgChart.VerticalBars(labels, [("first touches", SvgChart.Palette[0], counts)], "MQLs", v => v.ToString("N0", Inv)),
            $"{st.MqlLeads.ToString("N0", Inv)} MQLs, {st.Touched.ToString("N0", Inv)} touched; median {(st.MedianHours is { } med ? med.ToString("0.0", Inv) : "n/a")} h, 95th percentile {(st.P95Hours is { } p ? p.ToString("0.0", Inv) : "n/a")} h.");
    }

    /// <summary>The planning charts: plan against actual, both sides of the SLA, return on spend and the recommended budget.</summary>
    public static void Planning(StringBuilder html, ReportData data)
    {
        if (!data.PlanVsActual.IsEmpty)
        {
            DemoReport.Figure(html, "chart-plan-vs-actual", "Revenue plan against won revenue", SvgChart.VerticalBars(
                [.. data.PlanVsActual.Select(p => p.Month.ToString("yyyy-MM", Inv))],
                [("target", SvgChart.Palette[6], [.. data.PlanVsActual.Select(p => (double)p.Target)]), ("won", SvgChart.Palette[2], [.. data.PlanVsActual.Select(p => (double)p.Won)])],
                "revenue", v => v.ToString("N0", Inv)),
                "Sales' company-wide revenue target per month and the revenue of the deals won in it." + DemandNote(data.Demand));
        }

        // The last 24 periods at most: a chart of centuries of months would be unreadable.
        var periods = data.Sla.Periods.Length > 24 ? data.Sla.Periods[^24..] : data.Sla.Periods;
        if (!periods.IsEmpty)
        {
            DemoReport.Figure(html, "chart-sla-marketing", "SLA, marketing's side: MQLs delivered against the commitment", SvgChart.VerticalBars(
                [.. periods.Select(p => p.Period)], MarketingSeries(data.Plan.Agreement.MarketingCommitments, periods), "MQLs", v => v.ToString("N0", Inv)),
                MarketingNote(data.Plan.Agreement, periods));
            var agreement = data.Plan.Agreement;
            DemoReport.Figure(html, "chart-sla-sales", "SLA, sales' side: first touch and disposition in time", SvgChart.VerticalBars(
                [.. periods.Select(p => p.Period)],
                [("first touch in time", SvgChart.Palette[0], [.. periods.Select(p => p.FirstTouch.Share ?? 0)]), ("disposed of in time", SvgChart.Palette[4], [.. periods.Select(p => p.Disposition.Share ?? 0)])],
                "share of measured MQLs", v => v.ToString("P0", Inv)),
                $"Sales committed a first touch within {agreement.FirstTouchWithin.TotalHours.ToString("0.#", Inv)} h on {agreement.FirstTouchShare.ToString("P0", Inv)} of MQLs and a disposition within {agreement.DispositionWithin.TotalDays.ToString("0.#", Inv)} days on {agreement.DispositionShare.ToString("P0", Inv)}. First touch met in {periods.Count(p => p.FirstTouch.Pace == SlaPace.Met)} closed periods, missed in {periods.Count(p => p.FirstTouch.Pace == SlaPace.Missed)}; leads behind the misses: {periods.Sum(p => p.FirstTouch.Misses.Length).ToString("N0", Inv)}.{SalesRunningNote(periods[^1])}");
        }

        if (data.Spend is { } spend && data.Budget is { } budget)
        {
            var model = data.Plan.Rule.Model;
            var channels = spend.Channels.Where(c => c.Spend > 0).ToList();
            DemoReport.Figure(html, "chart-return-on-spend", $"Return on spend per channel ({ModelName(model)} attribution)", SvgChart.HorizontalBars(
                [.. channels.Select((c, i) => (c.Channel, c.ReturnUnder(model) ?? 0, SvgChart.Palette[i % SvgChart.Palette.Length]))],
                "won revenue per unit of spend", v => v.ToString("0.##", Inv) + "x"),
                $"Spend {spend.Spend.ToString("N0", Inv)}, {spend.WonDeals.ToString("N0", Inv)} won deals, customer acquisition cost {(spend.CustomerAcquisitionCost is { } cac ? cac.ToString("N0", Inv) : "n/a")}. Cost per MQL: " + string.Join(", ", channels.Select(c => $"{c.Channel} {(c.CostPerMql is { } cpm ? cpm.ToString("N0", Inv) : "n/a")}")));
            DemoReport.Figure(html, "chart-budget", $"Recommended budget for the next period: {budget.Budget.ToString("N0", Inv)}", SvgChart.HorizontalBars(
                [.. budget.Channels.Select(c => (c.Channel, (double)c.Amount, SvgChart.Palette[c.Bound switch { "floor" => 1, "cap" => 3, _ => 2 }]))],
                "amount", v => v.ToString("N0", Inv), null, [("by return", SvgChart.Palette[2]), ("at the floor", SvgChart.Palette[1]), ("at the cap", SvgChart.Palette[3])]),
                $"Floors first ({data.Plan.Rule.DefaultFloor.ToString("P0", Inv)} unless named), the rest by closed revenue per unit of spend, no channel past its cap ({data.Plan.Rule.DefaultCap.ToString("P0", Inv)} unless named)."
                + (data.Backtest is { Months.Length: > 0 } b ? $" Replayed over {b.Months.Length} months, the rule would have brought {b.RuleRevenue.ToString("N0", Inv)} against {b.ActualRevenue.ToString("N0", Inv)} (each channel's return in the month held fixed)." : string.Empty));
        }
    }

    /// <summary>Spend and return per campaign within each channel: a table (not a chart), the spend of no campaign on its own row.</summary>
    public static void CampaignTable(StringBuilder html, SpendReport spend)
    {
        html.Append("<div id=\"table-spend-campaigns\" style=\"grid-column:1/-1;overflow-x:auto\"><h2>Spend and return per campaign</h2><table><tr><th>channel</th><th>campaign</th><th class=\"n\">spend</th><th class=\"n\">leads</th><th class=\"n\">MQLs</th><th class=\"n\">opportunities</th><th class=\"n\">won</th>"
            + "<th class=\"n\">cost per lead</th><th class=\"n\">cost per MQL</th><th class=\"n\">cost per opportunity</th><th class=\"n\">cost per won deal</th><th class=\"n\">return, first touch</th><th class=\"n\">last touch</th><th class=\"n\">linear</th></tr>");
        foreach (var c in spend.Campaigns)
        {
            html.Append(Inv, $"<tr><td>{DemoReport.Esc(c.Channel)}</td><td>{(c.Campaign is null ? "<i>no campaign</i>" : DemoReport.Esc(c.Campaign))}</td><td class=\"n\">{c.Spend:N0}</td><td class=\"n\">{c.Leads:N0}</td><td class=\"n\">{c.Mqls:N0}</td><td class=\"n\">{c.Opportunities:N0}</td><td class=\"n\">{c.WonDeals:N0}</td>");
            html.Append(Inv, $"<td class=\"n\">{Cost(c.CostPerLead)}</td><td class=\"n\">{Cost(c.CostPerMql)}</td><td class=\"n\">{Cost(c.CostPerOpportunity)}</td><td class=\"n\">{Cost(c.CostPerWonDeal)}</td><td class=\"n\">{Times(c.FirstTouchReturn)}</td><td class=\"n\">{Times(c.LastTouchReturn)}</td><td class=\"n\">{Times(c.LinearReturn)}</td></tr>");
        }

        html.Append("</table><p>A lead counts for the campaign of its first touch; won revenue goes to the campaigns of the touches each attribution model credits, and the return is that revenue per unit of the campaign's spend. Spend, touches and leads without a campaign are the channel's own row.</p></div>");
    }

    private static string Cost(decimal? value) => value is { } v ? v.ToString("N0", Inv) : "n/a";

    private static string Times(double? value) => value is { } v ? v.ToString("0.##", Inv) + "x" : "n/a";

    private static string DemandNote(DemandPlan? plan)
    {
        if (plan is null || plan.Months.IsEmpty)
        {
            return string.Empty;
        }

        var next = plan.Months.Where(m => m.Month >= new DateOnly(plan.AsOf.UtcDateTime.Year, plan.AsOf.UtcDateTime.Month, 1) && m.Segment is null && m.Team is null).Take(3).ToList();
        return next.Count == 0 ? string.Empty : " The plan needs " + string.Join("; ", next.Select(m => $"{m.Month.ToString("yyyy-MM", Inv)}: {N(m.Leads)} leads, {N(m.Mqls)} MQLs, {N(m.Opportunities)} opportunities"))
            + (plan.Groups.FirstOrDefault(g => g.Segment is null && g.Team is null) is { } g ? $". Open pipeline covers {g.Pipeline.ExpectedRevenue.ToString("N0", Inv)} of {g.Pipeline.TargetRevenue.ToString("N0", Inv)}." : ".");
    }

    private static string N(int? value) => value is { } v ? v.ToString("N0", Inv) : "?";

    private static string ModelName(AttributionModel model) => model switch
    {
        AttributionModel.FirstTouch => "first-touch",
        AttributionModel.LastTouch => "last-touch",
        _ => "linear",
    };

    // One delivered and one committed series per MQL commitment (company-wide, per segment or per team), in the plan's order.
    private static (string Name, string Color, double[] Values)[] MarketingSeries(ImmutableArray<MqlCommitment> commitments, ImmutableArray<SlaPeriod> periods)
    {
        if (commitments.IsDefaultOrEmpty)
        {
            return [("MQLs", SvgChart.Palette[0], [.. periods.Select(p => (double)p.FirstTouch.Mqls)])];
        }

        var series = new List<(string, string, double[])>(commitments.Length * 2);
        for (int i = 0; i < commitments.Length; i++)
        {
            var who = CommitmentName(commitments[i]);
            int k = i;
            // Two colours per commitment, none shared with another's (the palette has seven: from the fourth on, they repeat).
            series.Add(($"delivered{who}", SvgChart.Palette[(2 * i) % SvgChart.Palette.Length], [.. periods.Select(p => k < p.Marketing.Length ? (double)p.Marketing[k].Delivered : 0)]));
            series.Add(($"committed{who}", SvgChart.Palette[((2 * i) + 1) % SvgChart.Palette.Length], [.. periods.Select(p => k < p.Marketing.Length ? (double)p.Marketing[k].Committed : 0)]));
        }

        return [.. series];
    }

    private static string CommitmentName(MqlCommitment c) =>
        c.Segment is null && c.Team is null ? string.Empty : $" ({string.Join(", ", new[] { c.Segment, c.Team is null ? null : "team " + c.Team }.Where(x => x is not null))})";

    private static string MarketingNote(ServiceLevelAgreement agreement, ImmutableArray<SlaPeriod> periods)
    {
        if (agreement.MarketingCommitments.IsDefaultOrEmpty)
        {
            return "No MQL commitment in the plan: the MQLs of each period are shown alone.";
        }

        var closed = periods.Count(p => p.Elapsed >= 1);
        var per = agreement.Period.ToString().ToLowerInvariant();
        var parts = agreement.MarketingCommitments.Select((c, i) =>
        {
            var running = i < periods[^1].Marketing.Length ? periods[^1].Marketing[i] : null;
            var runningText = running is null || periods[^1].Elapsed >= 1 ? string.Empty : $"; the running one is {running.Pace} (projected {running.Projected.ToString("N0", Inv)})";
            return $"{c.Mqls.ToString("N0", Inv)} MQLs per {per}{(CommitmentName(c) is { Length: > 0 } n ? n : " company-wide")}: met in {periods.Count(p => i < p.Marketing.Length && p.Marketing[i].Pace == SlaPace.Met)} of {closed} closed periods{runningText}";
        });
        return $"Marketing committed {string.Join("; ", parts)}.";
    }

    private static string SalesRunningNote(SlaPeriod running) =>
        running.Elapsed >= 1 || running.FirstTouch.Pending == 0
            ? string.Empty
            : $" In the running period, {running.FirstTouch.Pending.ToString("N0", Inv)} MQLs still await their first touch; served in time, they would bring the share to {(running.FirstTouch.BestShare ?? 0).ToString("P0", Inv)}.";
}
