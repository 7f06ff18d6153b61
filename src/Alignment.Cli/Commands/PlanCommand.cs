using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Alignment.Cli.Csv;
using Alignment.Cli.Output;
using Alignment.Policies.Planning;

namespace Alignment.Cli.Commands;

/// <summary>
/// <c>alignment plan --target T.csv --history H.csv [--leads L.csv] [--as-of INSTANT] [--min-sample N] [--format table|json]</c>: the reverse
/// waterfall (<see cref="DemandPlanner"/>): the leads, MQLs, SALs, SQLs and opportunities each month needs for the revenue
/// targets, in total and per channel (each channel at its own rates where its history suffices), at the conversion rates, velocities and deal size measured from the stage history, and the gap the open
/// pipeline leaves. Figures resting on too little history are flagged.
/// </summary>
internal sealed class PlanCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Create(CliConsole console)
    {
        var target = CommandInputs.FileOption("--target", "T.csv", "The revenue targets: month,revenue and optional segment, team (CSV).");
        var history = CommandInputs.FileOption("--history", "H.csv", "The stage history: id,stage,at and optional source, campaign, segment, team, amount, firstTouchAt (CSV).");
        var leadsOption = CommandInputs.FileOption("--leads", "L.csv", "Lead facts merged over the history: id and optional createdAt, source, campaign, segment, team, amount (CSV), as alignment report reads them.", required: false);
        var asOf = CommandInputs.InstantOption("--as-of", "The plan's instant: the pipeline open at it is counted (ISO 8601). Default: the latest instant in the history.");
        var minSample = CommandInputs.NumberOption<int>("--min-sample", "N", "The fewest leads a rate, velocity or deal size may rest on to be trusted (default 30).", n => n >= 1, "a whole number of at least 1");
        var format = CommandInputs.FormatOption();
        var command = new Command("plan", "Plans the leads, MQLs, SALs, SQLs and opportunities each month needs for revenue targets (the reverse waterfall).")
        {
            target, history, leadsOption, asOf, minSample, format,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            console,
            parse.GetRequiredValue(target),
            parse.GetRequiredValue(history),
            parse.GetValue(leadsOption),
            parse.GetValue(asOf),
            parse.GetValue(minSample) ?? 30,
            parse.GetValue(format) == "json",
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, string targetPath, string historyPath, string? leadsPath, DateTimeOffset? asOf, int minSample, bool json, CancellationToken cancellationToken)
    {
        List<RevenueTarget> targets;
        List<Alignment.Policies.Metrics.FunnelLead> leads;
        try
        {
            using (var reader = CommandInputs.OpenText(targetPath, "--target"))
            {
                targets = PlanningCsv.ReadTargets(reader, targetPath);
            }

            using (var reader = CommandInputs.OpenText(historyPath, "--history"))
            {
                leads = PlanningCsv.ReadStageHistory(reader, historyPath, cancellationToken);
            }

            if (leadsPath is not null)
            {
                using var reader = CommandInputs.OpenText(leadsPath, "--leads");
                leads = PlanningCsv.MergeLeadFacts(reader, leadsPath, leads, cancellationToken);
            }
        }
        catch (LeadCsvException e)
        {
            throw CommandInputs.From(e);
        }

        if (targets.Count == 0)
        {
            throw new CliInputException(targetPath, null, "--target", "the file has no target; add a row such as 2027-01,250000");
        }

        if (leads.Count == 0)
        {
            throw new CliInputException(historyPath, null, "--history", "the file has no stage; the plan needs a history to measure rates from");
        }

        var at = asOf ?? leads.Max(static l => l.Lifecycle.History.IsEmpty ? l.CreatedAt : l.Lifecycle.History[^1].At);
        var plan = DemandPlanner.Plan(leads, targets, new DemandPlanOptions { AsOf = at, MinimumSample = minSample });
        var text = json ? JsonSerializer.Serialize(plan, PlanningJsonContext.Default.DemandPlan) + Environment.NewLine : Table(plan, historyPath, leads.Count);
        await console.Out.WriteAsync(TerminalText.EscapeLines(text)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static string Table(DemandPlan plan, string historyPath, int leads)
    {
        var c = CultureInfo.InvariantCulture;
        var b = new StringBuilder();
        b.Append(c, $"Demand plan as of {plan.AsOf.UtcDateTime:yyyy-MM-dd HH:mm}Z from {Path.GetFileName(historyPath)} ({leads} leads)").AppendLine();
        foreach (var group in plan.Groups)
        {
            b.AppendLine();
            b.Append(c, $"{Label(group.Segment, group.Team)}: {group.HistoryLeads} leads in history; average won deal ")
                .Append(group.AverageDealSize is { } deal ? deal.ToString("#,0.##", c) : "unknown")
                .Append(c, $" on {group.WonDeals} won deals{(group.DealSizeTrusted ? string.Empty : " (not trusted)")}").AppendLine();
            b.AppendLine("  step                                        reached  moved    rate  median days  trusted");
            foreach (var step in group.Conversions)
            {
                var name = $"{step.From} → {step.To}";
                b.Append(c, $"  {name,-42}  {step.FromLeads,7}  {step.ToLeads,5}  {step.Rate,6:0.####}  {(step.MedianDays is { } d ? d.ToString("0.#", c) : "-"),11}  {(step.Trusted ? "yes" : "no")}").AppendLine();
            }

            var p = group.Pipeline;
            b.Append(c, $"  open pipeline: {p.OpenInquiries} inquiries, {p.OpenMqls} MQLs, {p.OpenSals} SALs, {p.OpenSqls} SQLs, {p.OpenOpportunities} opportunities")
                .AppendLine()
                .Append(c, $"  expected to close {p.ExpectedWonDeals:0.##} deals = {p.ExpectedRevenue:#,0.##} of {p.TargetRevenue:#,0.##} targeted from this month on; gap {p.GapRevenue:#,0.##}")
                .Append(p.GapLeads is { } g ? string.Create(c, $" = {g} new leads") : string.Empty).AppendLine();
        }

        b.AppendLine();
        b.AppendLine("month    segment       team          revenue      won  opps  sqls  sals  mqls  leads");
        foreach (var m in plan.Months)
        {
            b.Append(c, $"{m.Month:yyyy-MM}  {Cell(m.Segment),-12}  {Cell(m.Team),-12}  {m.Revenue,11:#,0.##}  {N(m.WonDeals),5}  {N(m.Opportunities),4}  {N(m.Sqls),4}  {N(m.Sals),4}  {N(m.Mqls),4}  {N(m.Leads),5}").AppendLine();
        }

        if (!plan.Channels.IsEmpty)
        {
            b.AppendLine();
            b.AppendLine("month    segment       team          channel                  share      revenue      won  opps  sqls  sals  mqls  leads  group's figures");
            foreach (var ch in plan.Channels)
            {
                b.Append(c, $"{ch.Month:yyyy-MM}  {Cell(ch.Segment),-12}  {Cell(ch.Team),-12}  {ch.Channel,-22}  {ch.Share,6:0.####}  {ch.Revenue,11:#,0.##}  {N(ch.WonDeals),5}  {N(ch.Opportunities),4}  {N(ch.Sqls),4}  {N(ch.Sals),4}  {N(ch.Mqls),4}  {N(ch.Leads),5}")
                    .Append(ch.GroupFallbacks.IsDefaultOrEmpty ? string.Empty : "  " + string.Join(", ", ch.GroupFallbacks.Select(Short))).AppendLine();
            }
        }

        if (!plan.Warnings.IsEmpty)
        {
            b.AppendLine().AppendLine("Not trusted or missing:");
            foreach (var warning in plan.Warnings)
            {
                b.Append("  - ").AppendLine(warning);
            }
        }

        return b.ToString();
    }

    private static string Label(string? segment, string? team) => (segment, team) switch
    {
        (null, null) => "All leads",
        ({ } s, null) => $"Segment {s}",
        (null, { } t) => $"Team {t}",
        ({ } s, { } t) => $"Segment {s}, team {t}",
    };

    private static string Cell(string? text) => text ?? "-";

    // A step of the funnel as the table's columns name it: "SalesAccepted → SalesQualified" is "SAL→SQL".
    private static string Short(string figure) => figure
        .Replace(" → ", "→", StringComparison.Ordinal)
        .Replace("MarketingQualified", "MQL", StringComparison.Ordinal)
        .Replace("SalesAccepted", "SAL", StringComparison.Ordinal)
        .Replace("SalesQualified", "SQL", StringComparison.Ordinal)
        .Replace("Opportunity", "Opp", StringComparison.Ordinal);

    private static string N(int? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "?";
}
