using System.CommandLine;
using System.Text;
using Alignment.Cli.Csv;
using Alignment.Models;
using Alignment.Scoring;

namespace Alignment.Cli.Commands;

/// <summary>
/// <c>alignment score --model M.json --leads L.csv [--activities A.csv] [--as-of T] [--out S.csv] [--explain] [--csv-raw] [--plugin PATH.dll]...</c>:
/// scores every lead of a CRM export with a scoring model and writes <c>id,total,fit,engagement,grade,state[,explanation]</c>; the id and
/// the explanation are text cells (see <see cref="CsvOutputWriter"/>).
/// </summary>
/// <remarks>
/// The activities file is read first (grouped by lead); the leads file is then streamed, one lead at a time, so its size is not
/// limited by memory. Every activity must belong to a lead of the leads file, and lead ids must be unique.
/// </remarks>
/// <param name="time">The clock for the default <c>--as-of</c>; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
internal sealed class ScoreCommand(TimeProvider? time = null) : ICliCommand
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public Command Create(CliConsole console)
    {
        var model = CommandInputs.FileOption("--model", "M.json", "The scoring model file (or a release file with approvals).");
        var leads = CommandInputs.FileOption("--leads", "L.csv", "The leads to score (CSV; columns in docs/data-formats.md).");
        var activities = CommandInputs.FileOption("--activities", "A.csv", "The leads' activities (CSV: leadId,type,timestamp[,url,campaign]).", required: false);
        var asOf = CommandInputs.InstantOption("--as-of", "The scoring instant (ISO 8601); activities after it never count. Default: now.");
        var output = CommandInputs.OutOption("S.csv");
        var explain = new Option<bool>("--explain") { Description = "Add an explanation column: every rule that gave points or grade steps." };
        var raw = CsvOutputWriter.CreateRawOption();
        var plugins = PluginLoader.CreateOption();
        var limits = CommandInputs.LimitOption();
        var command = new Command("score", "Scores every lead of a CRM export with a scoring model.") { model, leads, activities, asOf, output, explain, raw, plugins, limits };
        var import = ImportOptions.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(
            console,
            import.Resolve(parse),
            parse.GetRequiredValue(model),
            parse.GetRequiredValue(limits),
            parse.GetRequiredValue(leads),
            parse.GetValue(activities),
            parse.GetValue(asOf) ?? _time.GetUtcNow(),
            parse.GetValue(output),
            parse.GetValue(explain),
            parse.GetValue(raw),
            parse.GetValue(plugins),
            cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(CliConsole console, CsvImport import, string modelPath, ModelReadLimits limits, string leadsPath, string? activitiesPath, DateTimeOffset asOf, string? outPath, bool explain, bool raw, string[]? pluginPaths, CancellationToken cancellationToken)
    {
        var release = CommandInputs.LoadScoringRelease(modelPath, "--model", limits);
        var (schema, models) = CommandInputs.CompileScoringModels(PluginLoader.Load(pluginPaths), (release.Definition, modelPath));
        var scoring = models[0];

        ActivityCsvFile? activityIndex = null;
        if (activitiesPath is not null)
        {
            using var reader = CommandInputs.OpenText(activitiesPath, "--activities");
            var activityProgress = new CsvProgress(console, activitiesPath, _time);
            try
            {
                activityIndex = ActivityCsvFile.Read(reader, activitiesPath, import, activityProgress, cancellationToken);
            }
            catch (LeadCsvException e)
            {
                throw CommandInputs.From(e);
            }

            activityProgress.Complete(activityIndex.Count);
        }

        await using var output = CommandOutput.Open(console, outPath);
        var w = new CsvOutputWriter(output.Writer, raw);
        if (explain)
        {
            w.Header("id", "total", "fit", "engagement", "grade", "state", "explanation");
        }
        else
        {
            w.Header("id", "total", "fit", "engagement", "grade", "state");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var progress = new CsvProgress(console, leadsPath, _time);
        long count = 0;
        using (var reader = CommandInputs.OpenText(leadsPath, "--leads"))
        {
            try
            {
                using var csv = new LeadCsvReader(reader, leadsPath, schema, import);
                while (csv.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var lead = csv.Current;
                    if (!ids.Add(lead.Id.Value))
                    {
                        throw new CliInputException(leadsPath, csv.Line, LeadCsvReader.IdColumn, $"lead '{lead.Id.Value}' appears twice");
                    }

                    var leadActivities = activityIndex is null ? default : activityIndex.Take(lead.Id.Value);
                    if (explain)
                    {
                        var card = scoring.Score(lead, leadActivities, asOf);
                        w.Text(lead.Id.Value).Value(CsvText.Points(card.Total)).Value(CsvText.Points(card.Fit)).Value(CsvText.Points(card.Engagement))
                            .Value(card.Grade.ToLetter()).Value(CommandInputs.StateName(card.State)).Text(Explain(card)).EndRow();
                    }
                    else
                    {
                        var score = scoring.Evaluate(lead, leadActivities, asOf);
                        w.Text(lead.Id.Value).Value(CsvText.Points(score.Total)).Value(CsvText.Points(score.Fit)).Value(CsvText.Points(score.Engagement))
                            .Value(score.Grade.ToLetter()).Value(CommandInputs.StateName(score.State)).EndRow();
                    }

                    progress.Report(++count);
                }
            }
            catch (LeadCsvException e)
            {
                throw CommandInputs.From(e);
            }
        }

        progress.Complete(count);
        try
        {
            activityIndex?.EnsureAllTaken(leadsPath);
        }
        catch (LeadCsvException e)
        {
            throw CommandInputs.From(e);
        }
        await output.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (outPath is not null)
        {
            await console.Error.WriteLineAsync($"Scored {count} lead(s) with {scoring} as of {asOf:O}; wrote {outPath}.").ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private static string Explain(ScoreCard card)
    {
        var text = new StringBuilder();
        foreach (var c in card.Explanation)
        {
            if (text.Length > 0)
            {
                text.Append("; ");
            }

            text.Append(c.RuleId).Append(' ').Append(c.Points >= 0 ? "+" : string.Empty).Append(CsvText.Points(c.Points));
            if (c.GradeSteps != 0)
            {
                text.Append(" grade ").Append(c.GradeSteps > 0 ? "+" : string.Empty)
                    .Append(c.GradeSteps % 3 == 0 ? (c.GradeSteps / 3).ToString(System.Globalization.CultureInfo.InvariantCulture) : c.GradeSteps.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/3");
            }
        }

        return text.ToString();
    }
}
