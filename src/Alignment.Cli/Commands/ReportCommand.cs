using System.CommandLine;
using System.Globalization;
using Alignment.Cli.Csv;
using Alignment.Cli.Reporting;
using Alignment.Models;
using Alignment.Lifecycle;
using Alignment.Policies.Metrics;
using Alignment.Policies.Planning;

namespace Alignment.Cli.Commands;

/// <summary>
/// <c>alignment report --leads L.csv --history H.csv [--activities A.csv] [--spend S.csv] [--plan P.json] [--as-of INSTANT] --out DIR</c>:
/// the self-contained HTML report and <c>summary.json</c> from a CRM export: waterfall, velocity, speed to lead, both sides of the SLA,
/// plan against actual, return on spend per channel and the recommended budget. The demo's report draws its charts with the same code.
/// </summary>
internal sealed class ReportCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Create(CliConsole console)
    {
        var leads = CommandInputs.FileOption("--leads", "L.csv", "The leads: id and optional createdAt, source, campaign, segment, team, amount, firstTouchAt, slaDueAt, escalated (CSV).");
        var history = CommandInputs.FileOption("--history", "H.csv", "The stage history: id,stage,at, one row per stage a lead entered (CSV).");
        var activities = CommandInputs.FileOption("--activities", "A.csv", "Marketing touches: leadId,timestamp,source and optional campaign (CSV); rows without a source are skipped.", required: false);
        var spend = CommandInputs.FileOption("--spend", "S.csv", "Marketing spend: month,channel,amount and optional campaign (CSV).", required: false);
        var plan = CommandInputs.FileOption("--plan", "P.json", "The teams' plan: revenue targets, the SLA of both sides, the budget rule (JSON).", required: false);
        var asOf = CommandInputs.InstantOption("--as-of", "The report's instant (ISO 8601). Default: the latest instant in the history.");
        var output = new Option<DirectoryInfo>("--out") { Description = "The folder report.html and summary.json are written to (created when missing).", HelpName = "DIR", Required = true };
        var command = new Command("report", "Writes the HTML report and summary.json of the alignment metrics, the SLA of both teams, the plan and the budget from a CRM export.")
        {
            leads, history, activities, spend, plan, asOf, output,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            console,
            new Inputs(parse.GetRequiredValue(leads), parse.GetRequiredValue(history), parse.GetValue(activities), parse.GetValue(spend), parse.GetValue(plan), parse.GetValue(asOf)),
            parse.GetRequiredValue(output),
            cancellationToken));
        return command;
    }

    private sealed record Inputs(string Leads, string History, string? Activities, string? Spend, string? Plan, DateTimeOffset? AsOf);

    private static async Task<int> RunAsync(CliConsole console, Inputs inputs, DirectoryInfo output, CancellationToken cancellationToken)
    {
        if (File.Exists(output.FullName))
        {
            throw new CliInputException(output.FullName, null, "--out", "is a file; give a folder for report.html and summary.json");
        }

        List<FunnelLead> funnel;
        List<ChannelSpend> spend = [];
        try
        {
            using (var reader = CommandInputs.OpenText(inputs.History, "--history"))
            {
                funnel = PlanningCsv.ReadStageHistory(reader, inputs.History, cancellationToken);
            }

            using (var reader = CommandInputs.OpenText(inputs.Leads, "--leads"))
            {
                funnel = PlanningCsv.MergeLeadFacts(reader, inputs.Leads, funnel, cancellationToken);
            }

            if (inputs.Activities is { } activities)
            {
                using var reader = CommandInputs.OpenText(activities, "--activities");
                funnel = PlanningCsv.AddTouches(reader, activities, funnel, cancellationToken);
            }

            if (inputs.Spend is { } spendFile)
            {
                using var reader = CommandInputs.OpenText(spendFile, "--spend");
                spend = PlanningCsv.ReadSpend(reader, spendFile);
            }
        }
        catch (LeadCsvException e)
        {
            throw CommandInputs.From(e);
        }

        if (funnel.Count == 0)
        {
            throw new CliInputException(inputs.History, null, "--history", "the files have no lead; the report needs at least one");
        }

        var plan = inputs.Plan is { } planFile ? PlanFile.Parse(CommandInputs.ReadAllText(planFile, "--plan", new ModelReadLimits()), planFile) : PlanFile.Default;
        var at = inputs.AsOf ?? funnel.Max(static l => l.Lifecycle.History.IsEmpty ? l.CreatedAt : l.Lifecycle.History[^1].At);
        var data = ReportData.Compute(funnel, spend, plan, at, MetricsPeriod.Quarter, inputs.Plan);
        var html = ReportHtml.ToHtml(data, Path.GetFileName(inputs.History), FirstTouchHours(funnel));
        var json = ReportJson.ToJson(data);
        output.Create();
        string report = Path.Combine(output.FullName, "report.html"), summary = Path.Combine(output.FullName, "summary.json");
        await File.WriteAllTextAsync(report + ".tmp", html, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(summary + ".tmp", json, cancellationToken).ConfigureAwait(false);
        File.Move(report + ".tmp", report, overwrite: true);
        File.Move(summary + ".tmp", summary, overwrite: true);
        var m = data.Metrics;
        await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{data.Leads:N0} leads from {data.From:yyyy-MM-dd} to {data.AsOf:yyyy-MM-dd}: {m.Overall.Stages[1].Leads:N0} MQLs, {m.Attribution.WonDeals:N0} won ({m.Attribution.WonRevenue:N0}); speed to lead {(m.SpeedToLead.MedianHours is { } h ? h.ToString("0.0", CultureInfo.InvariantCulture) + " h" : "n/a")}."))
            .ConfigureAwait(false);
        await console.Out.WriteLineAsync($"Wrote {report} and {summary}.").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>Hours from each lead's first MQL to its first touch, for the speed-to-lead histogram.</summary>
    internal static List<double> FirstTouchHours(IEnumerable<FunnelLead> leads)
    {
        var hours = new List<double>();
        foreach (var lead in leads)
        {
            var mql = lead.Lifecycle.History.FirstOrDefault(static t => t.To == LifecycleStage.MarketingQualified);
            if (mql is not null && lead.FirstSalesTouchAt is { } touch && touch >= mql.At)
            {
                hours.Add((touch - mql.At).TotalHours);
            }
        }

        return hours;
    }
}
