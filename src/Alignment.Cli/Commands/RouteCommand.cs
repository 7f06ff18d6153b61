using System.CommandLine;
using System.Globalization;
using System.Text;
using Alignment.Cli.Csv;
using Alignment.Cli.Output;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Policies.Handoff;
using Alignment.Scoring;
using Alignment.Segmentation;

namespace Alignment.Cli.Commands;

/// <summary>
/// <c>alignment route --policy POLICY.json --roster ROSTER.json --leads LEADS.csv [--simulate DAYS] [--csv-raw]</c>: routes every lead of
/// a file with a routing policy (one outcome each: a rep or a named queue, with the explanation) or, with <c>--simulate</c>, runs the
/// policy over a simulated period and reports per-rep load, fairness, capacity hits, queues and time to first touch against the SLA.
/// In the CSV, <c>id</c>, <c>assignee</c>, <c>rule</c> and <c>explanation</c> are text cells (see <see cref="CsvOutputWriter"/>); the
/// report's names are escaped for the terminal.
/// </summary>
/// <param name="time">The clock for the default <c>--at</c> and <c>--start</c>; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
internal sealed class RouteCommand(TimeProvider? time = null) : ICliCommand
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public Command Create(CliConsole console)
    {
        var policy = CommandInputs.FileOption("--policy", "POLICY.json", "The routing policy (format in docs/handoff.md).");
        var roster = CommandInputs.FileOption("--roster", "ROSTER.json", "The reps and account owners.");
        var leads = CommandInputs.FileOption("--leads", "LEADS.csv", "The leads to route (CSV; columns in docs/data-formats.md).");
        var simulate = CommandInputs.NumberOption<int>("--simulate", "DAYS", "Simulate this many days of routing and print the report instead of routing the file.", d => d >= 1, "a whole number of days of at least 1");
        var at = CommandInputs.InstantOption("--at", "When leads without createdAt are routed (ISO 8601). Default: now.");
        var start = CommandInputs.InstantOption("--start", "With --simulate: the first simulated instant. Default: the day of the earliest createdAt, else today.");
        var output = CommandInputs.OutOption("OUT.csv");
        var raw = CsvOutputWriter.CreateRawOption();
        var limits = CommandInputs.LimitOption();
        var plugins = PluginLoader.CreateOption();
        plugins.Description = "An assembly (.dll) of routing plugins (IRoutingStrategy, IRoutingCondition) that the policy refers to by name; repeat for several. " +
            "The assembly runs with the tool's full trust: load only assemblies you built or trust.";
        var command = new Command("route", "Routes every lead of a file to one rep or queue with a routing policy, or simulates the policy over days.")
        {
            policy, roster, leads, simulate, at, start, output, raw, limits, plugins,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(simulate) is not null && result.GetResult(raw) is not null)
            {
                result.AddError($"{raw.Name} applies only to the CSV of routed leads, not to the --simulate report.");
            }
        });
        var import = ImportOptions.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(
            console,
            import.Resolve(parse),
            parse.GetRequiredValue(policy),
            parse.GetRequiredValue(roster),
            parse.GetRequiredValue(limits),
            parse.GetRequiredValue(leads),
            parse.GetValue(simulate),
            parse.GetValue(at),
            parse.GetValue(start),
            parse.GetValue(output),
            parse.GetValue(raw),
            parse.GetValue(plugins),
            cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(
        CliConsole console, CsvImport import, string policyPath, string rosterPath, ModelReadLimits limits, string leadsPath, int? days, DateTimeOffset? at, DateTimeOffset? start, string? outPath, bool raw, string[]? pluginPaths, CancellationToken cancellationToken)
    {
        var policy = RoutingInputs.Load(policyPath, rosterPath, limits, PluginLoader.Load(pluginPaths));
        DateTimeOffset now = at ?? _time.GetUtcNow();
        await using var output = CommandOutput.Open(console, outPath);
        if (days is int d)
        {
            var requests = new List<HandoffRequest>();
            ReadLeads(console, import, leadsPath, requests.Add, cancellationToken);
            var first = requests.Where(r => r.Lead.CreatedAt is not null).Select(r => r.Lead.CreatedAt!.Value).DefaultIfEmpty(now).Min();
            var from = start ?? new DateTimeOffset(first.UtcDateTime.Date, TimeSpan.Zero);
            var report = RoutingSimulation.Run(policy, requests, new RoutingSimulationOptions { Days = d, Start = from });
            await output.Writer.WriteAsync(Report(policy, report, from, d)).ConfigureAwait(false);
        }
        else
        {
            var state = new RoutingState(policy);
            var notes = new CandidateNote[256];
            var w = new CsvOutputWriter(output.Writer, raw);
            w.Header("id", "outcome", "assignee", "rule", "slaDueAt", "explanation");
            int assigned = 0, queued = 0;
            ReadLeads(console, import, leadsPath, request =>
            {
                var when = request.Lead.CreatedAt ?? now;
                var r = policy.Route(policy.Prepare(request, RoutingPhase.Initial), when, state, notes);
                string rule = r.RuleIndex >= 0 ? policy.RuleIds[r.RuleIndex] : string.Empty;
                string why = policy.Explain(r, notes.AsSpan(0, Math.Min(r.NoteCount, notes.Length)));
                if (r.IsAssigned)
                {
                    assigned++;
                    w.Text(request.Lead.Id.Value).Value("rep").Text(policy.Reps[r.RepIndex].Value).Text(rule)
                        .Value(r.SlaDueAt.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture)).Text(why).EndRow();
                }
                else
                {
                    queued++;
                    w.Text(request.Lead.Id.Value).Value("queue").Text(policy.Queues[r.QueueIndex]).Text(rule).Value(null).Text(why).EndRow();
                }
            }, cancellationToken);
            await console.Error.WriteLineAsync($"Routed {assigned + queued} lead(s) with {policy.Id}: {assigned} to reps, {queued} to queues.").ConfigureAwait(false);
        }

        await output.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private void ReadLeads(CliConsole console, CsvImport import, string path, Action<HandoffRequest> onLead, CancellationToken cancellationToken)
    {
        var progress = new CsvProgress(console, path, _time);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        long count = 0;
        using var reader = CommandInputs.OpenText(path, "--leads");
        try
        {
            using var csv = new LeadCsvReader(reader, path, null, import);
            while (csv.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var lead = csv.Current;
                if (!ids.Add(lead.Id.Value))
                {
                    throw new CliInputException(path, csv.Line, LeadCsvReader.IdColumn, $"lead '{lead.Id.Value}' appears twice");
                }

                if (csv.GetText("accountId") is { } account)
                {
                    lead = lead with { AccountId = new AccountId(account) };
                }

                var score = ScoreColumns.Read(csv, lead) ?? ScoreColumns.Card(lead, 0m, 0m, 0m, Grades.Start, QualificationState.NotQualified);
                var segment = csv.GetText("segment") is { } s ? new SegmentId(s) : (SegmentId?)null;
                onLead(new HandoffRequest(lead, score, segment));
                progress.Report(++count);
            }
        }
        catch (LeadCsvException e)
        {
            throw CommandInputs.From(e);
        }

        progress.Complete(count);
    }

    private static string Report(CompiledRoutingPolicy policy, RoutingSimulationReport report, DateTimeOffset start, int days)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"Routing simulation of {TerminalText.Escape(policy.Id)}: {report.Leads} lead(s) over {days} day(s) from {start:yyyy-MM-dd}\n");
        text.Append(c, $"Assigned to reps: {report.Assigned}; queued: {report.Leads - report.Assigned}; capacity hits: {report.CapacityHits}\n");
        text.Append(c, $"Fairness: max/min ratio {CsvText.Number(report.MaxMinRatio, 2)}, Gini {CsvText.Number(report.Gini, 3)}\n");
        text.Append(c, $"Time to first touch: median {Minutes(report.MedianTimeToFirstTouch)}, p95 {Minutes(report.P95TimeToFirstTouch)}; SLA met {(report.SlaMetRatio * 100).ToString("0.0", c)} %\n\n");
        int width = Math.Max(3, report.Reps.Max(r => (int?)TerminalText.Escape(r.Rep.Value).Length) ?? 3);
        text.Append("Rep".PadRight(width)).Append("  Assigned  Peak open  Capacity hits\n");
        foreach (var rep in report.Reps)
        {
            text.Append(TerminalText.Escape(rep.Rep.Value).PadRight(width)).Append(c, $"  {rep.Assigned,8}  {rep.PeakOpen,9}  {rep.CapacityHits,13}\n");
        }

        if (!report.Queues.IsEmpty)
        {
            text.Append(c, $"\nQueues (deepest {report.MaxQueueDepth}):\n");
            foreach (var (queue, count) in report.Queues.OrderBy(q => q.Key, StringComparer.Ordinal))
            {
                text.Append(c, $"  {TerminalText.Escape(queue)}: {count}\n");
            }
        }

        return text.ToString();
    }

    private static string Minutes(TimeSpan span) => span.TotalMinutes.ToString("0.0", CultureInfo.InvariantCulture) + " min";
}
