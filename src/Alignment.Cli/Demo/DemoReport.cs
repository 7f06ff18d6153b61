using System.Globalization;
using System.Net;
using System.Text;
using Alignment.Cli.Reporting;
using Alignment.Policies.Metrics;
using Alignment.Segmentation.Collateral;

namespace Alignment.Cli.Demo;

/// <summary>
/// Writes <c>report.html</c>: one self-contained page (inline CSS, inline SVG, a few lines of inline script, nothing fetched) with
/// the charts of a demo run. Each chart is a <c>figure</c> with a stable <c>id</c> and <c>data-chart</c> attribute.
/// </summary>
internal static class DemoReport
{
    /// <summary>The ids of the charts, in page order.</summary>
    public static IReadOnlyList<string> ChartIds { get; } =
    [
        "chart-waterfall", "chart-velocity", "chart-speed-to-lead", "chart-score-by-outcome", "chart-calibration", "chart-routing-load", "chart-first-touch-hot",
        "chart-first-touch-standard", "chart-webinar-funnel", "chart-collateral-freshness", "chart-consistency-trend", .. ReportHtml.PlanningChartIds,
    ];

    private static readonly (string Label, decimal Low, decimal High)[] Bands =
    [
        ("< 20", decimal.MinValue, 20), ("20–39", 20, 40), ("40–59", 40, 60), ("60–79", 60, 80), ("80–99", 80, 100), ("100–119", 100, 120), ("≥ 120", 120, decimal.MaxValue),
    ];

    /// <summary>Writes the report.</summary>
    /// <param name="run">The run.</param>
    /// <returns>The HTML text.</returns>
    public static string ToHtml(DemoRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var inv = CultureInfo.InvariantCulture;
        var m = run.Metrics;
        var html = new StringBuilder();
        html.Append(Head("Alignment demo report"));
        html.Append(inv, $"<header><h1>Alignment demo: {Esc(DemoModels.Company)}</h1><p>{SampleDataGenerator.Start:yyyy-MM-dd} to {run.AsOf:yyyy-MM-dd} · {run.Leads:N0} leads · {run.Activities:N0} activities · scoring {Esc(run.Models.Release.Id)}@{Esc(run.Models.Release.Version)} signed by marketing and sales · seed {run.Seed}</p></header><main>");

        var st = m.SpeedToLead;
        html.Append("<section class=\"kpis\">");
        Kpi(html, "Leads", run.Leads.ToString("N0", inv));
        Kpi(html, "Won revenue", m.Attribution.WonRevenue.ToString("N0", inv));
        Kpi(html, "Speed to lead (median)", st.MedianHours is { } med ? med.ToString("0.0", inv) + " h" : "n/a");
        Kpi(html, "SLA compliance", st.SlaComplianceRate is { } sla ? sla.ToString("P1", inv) : "n/a");
        Kpi(html, "SLA breaches escalated to a manager", run.Escalations.Notifications.Count.ToString("N0", inv), "kpi-escalations");
        Kpi(html, "Recycled, came back as MQL", $"{m.Recycling.Recycled.ToString("N0", inv)} / {m.Recycling.CameBackAsMql.ToString("N0", inv)}");
        Kpi(html, "Consistency index", run.Consistency.Overall.ToString("0.000", inv));
        Kpi(html, "Leads without owner or track", run.FinalAudit.LeadsWithoutOwnerOrTrack.ToString(inv), "kpi-audit");
        html.Append("</section>");

        // 1. Demand waterfall.
        // The charts of `alignment report`, drawn by its own code from the demo's funnel, then the demo's own.
        ReportHtml.Waterfall(html, m);
        ReportHtml.Velocity(html, m);
        ReportHtml.SpeedToLead(html, m, Commands.ReportCommand.FirstTouchHours(run.Funnel));

        // 2. Score distribution by outcome.
        LeadOutcome[] outcomes = [LeadOutcome.Won, LeadOutcome.Lost, LeadOutcome.Disqualified, LeadOutcome.Open, LeadOutcome.Nurture];
        var series = outcomes.Select((o, i) =>
        {
            var scores = run.ScoresByOutcome.Where(x => x.Outcome == o).Select(x => x.Score).ToList();
            double total = Math.Max(1, scores.Count);
            return (Name: $"{o} ({scores.Count.ToString("N0", inv)})", Color: SvgChart.Palette[i], Values: Bands.Select(b => scores.Count(s => s >= b.Low && s < b.High) / total).ToArray());
        }).ToList();
        Figure(html, "chart-score-by-outcome", "Score distribution by outcome", SvgChart.VerticalBars([.. Bands.Select(b => b.Label)], series, "share of the outcome's leads", v => v.ToString("P0", inv)),
            "Each lead's score when it was captured, by where the lead ended the year (share of each outcome's leads per score band).");

        // 3. Calibration: conversion by score band.
        var bandLeads = Bands.Select(b => run.ScoresByOutcome.Where(x => x.Score >= b.Low && x.Score < b.High).ToList()).ToList();
        Figure(html, "chart-calibration", "Conversion by score band (calibration)", SvgChart.VerticalBars(
            [.. Bands.Select(b => b.Label)],
            [("won", SvgChart.Palette[2], [.. bandLeads.Select(l => l.Count == 0 ? 0 : (double)l.Count(x => x.Outcome == LeadOutcome.Won) / l.Count)]),
             ("won, lost or open in sales", SvgChart.Palette[0], [.. bandLeads.Select(l => l.Count == 0 ? 0 : (double)l.Count(x => x.Outcome is LeadOutcome.Won or LeadOutcome.Lost or LeadOutcome.Open) / l.Count)])],
            "share of the band's leads", v => v.ToString("P0", inv), (3, "MQL threshold 60")),
            "Share of the leads captured in each score band that were later won, or reached sales at all. A calibrated standard converts more often the higher the score. Leads per band: " + string.Join(", ", Bands.Select((b, i) => $"{b.Label}: {bandLeads[i].Count.ToString("N0", inv)}")));

        // 4. Routing load per rep.
        string[] teams = ["inside-sales", "us-ae", "uk", "agency", "leadership"];
        var reps = (run.Models.Roster.Reps ?? []).Select(r => (Label: $"{r.Id} ({r.Team})", Value: (double)run.Routing.AssignedByRep.GetValueOrDefault(r.Id!), Color: SvgChart.Palette[Array.IndexOf(teams, r.Team) is var t and >= 0 ? t : 6])).ToList();
        Figure(html, "chart-routing-load", "Routing load per rep", SvgChart.HorizontalBars(reps, "leads assigned over the year", v => v.ToString("N0", inv), null, [.. teams.Take(4).Select((t, i) => (t, SvgChart.Palette[i]))]),
            $"Initial, qualified and re-routed handoffs. Queued (every rep of the pool full): {run.Routing.QueuedByQueue.Values.Sum().ToString("N0", inv)}; picked up by the morning sweep: {run.QueueSweeps.ToString("N0", inv)}.");

        // 5. Time to first touch against the SLA.
        FirstTouchFigure(html, run, "chart-first-touch-hot", "Time to first touch, hot leads (SLA 15 minutes)", 15, [0, 5, 10, 15, 20, 30, 45, 60, 120], "min");
        FirstTouchFigure(html, run, "chart-first-touch-standard", "Time to first touch, other MQLs (SLA 24 hours)", 1440, [0, 120, 240, 480, 720, 1440, 2160, 2880, 4320], "h");

        // 6. Webinar funnel.
        var f = run.Webinar;
        Figure(html, "chart-webinar-funnel", $"Webinar funnel: {f.Campaign}", SvgChart.VerticalBars(
            ["invited", "registered", "attended", "no-shows", "followed up", "called in SLA", "won"],
            [("leads", SvgChart.Palette[4], [f.Invited, f.Registered, f.Attended, f.NoShows, f.NoShowsFollowedUp, f.AttendeesFollowedUpWithinSla, f.Won])],
            "leads", v => v.ToString("N0", inv)),
            "Followed up: no-shows whose recording was sent. Called in SLA: attendees a rep called within 48 hours. No-shows get their own track (the recording, then a rep call task); a no-show counts as followed up once the recording was sent. Attendees get a rep call within 48 hours.");

        // 7. Collateral freshness.
        var items = run.Collateral.OrderBy(i => i.LastReviewedAt).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
        string[] classes = ["fresh", "expiring-soon", "expired", "pending", "rejected", "retired"];
        var rows = items.Select(i => (Label: i.Id, Value: Math.Max(0, (run.AsOf - i.LastReviewedAt).TotalDays), Color: SvgChart.Palette[Array.IndexOf(classes, DemoSummary.FreshnessOf(i, run.AsOf)) switch { 0 => 2, 1 => 6, 2 => 3, 3 => 1, 4 => 4, _ => 5 }])).ToList();
        Figure(html, "chart-collateral-freshness", "Collateral freshness (age since last review)", SvgChart.HorizontalBars(rows, "days since last review", v => v.ToString("0", inv), (365, "expires at 12 months"),
            [("fresh", SvgChart.Palette[2]), ("expiring soon", SvgChart.Palette[6]), ("expired", SvgChart.Palette[3]), ("pending approval", SvgChart.Palette[1]), ("rejected", SvgChart.Palette[4])]),
            "Expired items are never offered to reps or nurture tracks and are listed for marketing to revise or retire; pending and rejected items are never offered.");

        // 7b. The value-proposition test, quarter by quarter.
        var trend = run.ContentLoop.Trend;
        Figure(html, "chart-consistency-trend", "Value-proposition test, quarter by quarter", SvgChart.VerticalBars(
            [.. trend.Tests.Select(t => t.Id)],
            [
                ("against the playbook", SvgChart.Palette[0], [.. trend.Tests.Select(t => t.Report.Overall)]),
                ("reps alike", SvgChart.Palette[2], [.. trend.Tests.Select(t => t.PeerIndex.Length == 0 ? 0 : t.PeerIndex.Average(p => p.Value))]),
            ],
            "consistency index (0-1)", v => v.ToString("0.00", inv)),
            "Each quarter every rep answers \"what is our value proposition for this segment?\". Against the playbook: how close the answers are to the segment's canonical value proposition. Reps alike: how close the reps' answers are to each other. "
            + (trend.DriftingReps.IsEmpty ? "No rep drifted in the last test." : "Drifted in the last test: " + string.Join(", ", trend.DriftingReps.Select(d => $"{d.Name} ({d.Previous.ToString("0.00", inv)} to {d.Latest.ToString("0.00", inv)})")) + "."));

        // 8. The plan, both sides of the SLA, return on spend and the budget: the charts of `alignment report`.
        ReportHtml.Planning(html, run.Planning);

        html.Append("<section class=\"tables\">");
        AttributionTable(html, m.Attribution, inv);
        RecyclingTable(html, m.Recycling, inv);
        ConsistencyTable(html, run, inv);
        ContentLoopTable(html, run, inv);
        AuditTable(html, run, inv);
        html.Append("</section></main>");
        html.Append(Tail);
        return html.ToString();
    }

    private static void FirstTouchFigure(StringBuilder html, DemoRun run, string id, string title, int slaMinutes, int[] edges, string unit)
    {
        var inv = CultureInfo.InvariantCulture;
        var touches = run.FirstTouches.Where(t => t.SlaMinutes == slaMinutes).ToList();
        double divisor = unit == "h" ? 60 : 1;
        var labels = new List<string>();
        var counts = new List<double>();
        for (int i = 0; i < edges.Length; i++)
        {
            double low = edges[i], high = i + 1 < edges.Length ? edges[i + 1] : double.MaxValue;
            labels.Add(i + 1 < edges.Length ? $"{(low / divisor).ToString("0.#", inv)}–{(high / divisor).ToString("0.#", inv)}" : $"≥ {(low / divisor).ToString("0.#", inv)}");
            counts.Add(touches.Count(t => t.Minutes >= low && t.Minutes < high));
        }

        int slaIndex = Array.IndexOf(edges, slaMinutes);
        int met = touches.Count(t => t.Met);
        Figure(html, id, title, SvgChart.VerticalBars(labels, [("first touches", SvgChart.Palette[slaMinutes == 15 ? 3 : 0], [.. counts])], $"first touches ({unit} after the SLA clock started)", v => v.ToString("N0", inv), (slaIndex, "SLA")),
            $"{touches.Count.ToString("N0", inv)} first touches, {met.ToString("N0", inv)} within the SLA ({(touches.Count == 0 ? 0 : (double)met / touches.Count).ToString("P1", inv)}). The clock starts at assignment, or at the rep's next working hour. "
            + EscalationNote(run, slaMinutes, inv));
    }

    private static string EscalationNote(DemoRun run, int slaMinutes, CultureInfo inv)
    {
        var routing = run.Models.Routing;
        int breaches = run.Escalations.BreachesBySlaMinutes.GetValueOrDefault(slaMinutes);
        int notified = run.Escalations.Notifications.Count(n => (int)routing.GetSla(routing.IndexOfRule(n.RuleId)).TotalMinutes == slaMinutes);
        return $"The router's SLA check found {breaches.ToString("N0", inv)} breaches at their due time and sent {notified.ToString("N0", inv)} manager notifications"
            + (slaMinutes == 15 ? " (the hot rules ask for one per breach)." : " (these rules ask for none).");
    }

    private static void AttributionTable(StringBuilder html, AttributionReport a, CultureInfo inv)
    {
        html.Append("<div id=\"table-attribution\"><h2>Closed-loop attribution of won revenue by source</h2><table><tr><th>source</th><th class=\"n\">first touch</th><th class=\"n\">last touch</th><th class=\"n\">linear</th></tr>");
        var sources = a.FirstTouch.Concat(a.LastTouch).Concat(a.Linear).Select(r => r.Source).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var s in sources)
        {
            decimal Sum(IEnumerable<AttributionRow> rows) => rows.Where(r => r.Source == s).Sum(r => r.Revenue);
            html.Append(inv, $"<tr><td>{Esc(s)}</td><td class=\"n\">{Sum(a.FirstTouch):N0}</td><td class=\"n\">{Sum(a.LastTouch):N0}</td><td class=\"n\">{Sum(a.Linear):N0}</td></tr>");
        }

        html.Append(inv, $"<tr><th>total ({a.WonDeals:N0} deals)</th><th class=\"n\">{a.WonRevenue:N0}</th><th class=\"n\">{a.WonRevenue:N0}</th><th class=\"n\">{a.WonRevenue:N0}</th></tr></table></div>");
    }

    private static void RecyclingTable(StringBuilder html, RecyclingReport r, CultureInfo inv)
    {
        html.Append("<div id=\"table-recycling\"><h2>Recycled leads</h2><table><tr><th>reason</th><th class=\"n\">recycled</th><th class=\"n\">came back as MQL</th><th class=\"n\">won</th></tr>");
        foreach (var row in r.ByReason)
        {
            html.Append(inv, $"<tr><td>{Esc(row.Reason)}</td><td class=\"n\">{row.Recycled:N0}</td><td class=\"n\">{row.CameBackAsMql:N0}</td><td class=\"n\">{row.Won:N0}</td></tr>");
        }

        html.Append(inv, $"<tr><th>all</th><th class=\"n\">{r.Recycled:N0}</th><th class=\"n\">{r.CameBackAsMql:N0}</th><th class=\"n\">{r.Won:N0}</th></tr></table></div>");
    }

    private static void ConsistencyTable(StringBuilder html, DemoRun run, CultureInfo inv)
    {
        html.Append(inv, $"<div id=\"table-consistency\"><h2>Message consistency (index {run.Consistency.Overall:0.000})</h2><table><tr><th>segment</th><th class=\"n\">answers</th><th class=\"n\">index</th></tr>");
        foreach (var s in run.Consistency.Segments)
        {
            html.Append(inv, $"<tr><td>{Esc(s.Segment.Value)}</td><td class=\"n\">{s.Answers.Length}</td><td class=\"n\">{s.Index:0.000}</td></tr>");
        }

        html.Append("</table><p>Most divergent answers: ");
        html.Append(string.Join(", ", run.Consistency.MostDivergent.Select(d => Esc($"{d.Rep.Value} on {d.Segment.Value} ({d.Similarity.ToString("0.00", inv)})"))));
        html.Append("</p></div>");
    }

    private static void ContentLoopTable(StringBuilder html, DemoRun run, CultureInfo inv)
    {
        var loop = run.ContentLoop;
        html.Append(inv, $"<div id=\"table-content-loop\"><h2>The content loop</h2><p>{loop.Suggestions.Length} suggestions from reps, {loop.SentBack} drafts sent back by sales, {loop.ReReviewed} expired items re-reviewed and kept, {loop.Retired.Length} retired for poor effectiveness, {loop.Usages:N0} uses recorded from closed deals, {loop.Decisions.Values.Sum():N0} content decisions published.</p>");
        html.Append("<h2>Review queue at year end</h2><table><tr><th>waiting</th><th>what</th><th>since</th></tr>");
        foreach (var item in loop.AwaitingReview)
        {
            html.Append(inv, $"<tr data-queue=\"item\"><td>sales review</td><td>{Esc(item.Id)} (revision {item.Revision})</td><td>{item.LastReviewedAt:yyyy-MM-dd}</td></tr>");
        }

        foreach (var suggestion in loop.Suggestions.Where(x => x.Status == ContentSuggestionStatus.Open))
        {
            html.Append(inv, $"<tr data-queue=\"suggestion\"><td>marketing draft</td><td>{Esc(suggestion.Id)}: {Esc(suggestion.Text)} ({Esc(suggestion.Rep.Value)})</td><td>{suggestion.SuggestedAt:yyyy-MM-dd}</td></tr>");
        }

        html.Append("</table><h2>Retired for poor effectiveness</h2><table><tr><th>item</th><th>when</th><th>why</th></tr>");
        foreach (var r in loop.Retired)
        {
            html.Append(inv, $"<tr><td>{Esc(r.ItemId)}</td><td>{r.At:yyyy-MM-dd}</td><td>{Esc(r.Reason)}</td></tr>");
        }

        html.Append("</table></div>");
    }

    private static void AuditTable(StringBuilder html, DemoRun run, CultureInfo inv)
    {
        html.Append(inv, $"<div id=\"table-audit\"><h2>Nothing lost: the lifecycle audit</h2><p>Every lead is on a nurture track, held by a rep or queue, in the pipeline, or closed with a reason. The audit ran at the end of each of the {run.AuditsRun} simulated days; the worst day found {run.WorstAuditDuringYear} leads without owner or track. At year end: <b data-audit=\"leadsWithoutOwnerOrTrack\">{run.FinalAudit.LeadsWithoutOwnerOrTrack}</b> of {run.FinalAudit.LeadsAudited:N0} leads.</p>");
        html.Append(inv, $"<p>Nurture: {run.Nurture.Enrolments:N0} enrolments, {run.Nurture.StepsSent:N0} steps sent, {run.Nurture.StepsSkipped:N0} skipped (no fresh collateral left), {run.Nurture.TrackChanges:N0} track changes, {run.Nurture.ExitsToHandoff:N0} exits back to handoff.</p></div>");
    }

    internal static string Head(string title) => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{Esc(title)}}</title>
        <style>
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#111827;background:#f9fafb}
        header{background:#1e3a8a;color:#fff;padding:20px 32px}header h1{margin:0 0 4px;font-size:22px}header p{margin:0;opacity:.85}
        main{padding:20px 32px;display:grid;grid-template-columns:repeat(auto-fill,minmax(700px,1fr));gap:20px}
        section.kpis{grid-column:1/-1;display:flex;flex-wrap:wrap;gap:12px}
        .kpi{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:10px 14px;min-width:150px}.kpi b{display:block;font-size:20px}
        figure{margin:0;background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px 12px 8px}
        figcaption{font-weight:600;margin-bottom:6px}figure p.note{color:#4b5563;margin:6px 0 0;font-size:12.5px}
        svg text{font-size:11px;fill:#374151}svg .value{font-size:10.5px}svg .axis-label{fill:#6b7280}svg rect.bar:hover{opacity:.75}
        table{border-collapse:collapse;width:100%;font-size:12.5px}th,td{border-bottom:1px solid #e5e7eb;padding:3px 6px;text-align:left}td.n,th.n{text-align:right}
        section.tables{grid-column:1/-1;display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:20px}
        section.tables>div{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px}h2{font-size:15px;margin:0 0 8px}
        </style></head><body>
        """;

    internal const string Tail = """
        <script>
        (function () {
          var figures = document.querySelectorAll('figure[data-chart]');
          var rendered = 0;
          figures.forEach(function (f) {
            var svg = f.querySelector('svg');
            var ok = svg !== null && svg.querySelectorAll('rect.bar').length > 0;
            f.setAttribute('data-rendered', ok ? 'true' : 'false');
            if (ok) { rendered++; }
          });
          document.body.setAttribute('data-charts-rendered', String(rendered));
        })();
        </script>
        </body></html>
        """;

    internal static void Kpi(StringBuilder html, string label, string value, string? id = null) =>
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"kpi\"{(id is null ? string.Empty : $" id=\"{id}\"")}><b>{Esc(value)}</b>{Esc(label)}</div>");

    internal static void Figure(StringBuilder html, string id, string title, string svg, string note) =>
        html.Append(CultureInfo.InvariantCulture, $"<figure class=\"chart\" id=\"{id}\" data-chart=\"{id["chart-".Length..]}\"><figcaption>{Esc(title)}</figcaption>{svg}<p class=\"note\">{Esc(note)}</p></figure>");

    internal static string Esc(string text) => WebUtility.HtmlEncode(text);
}
