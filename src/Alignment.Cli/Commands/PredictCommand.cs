using System.Collections.Immutable;
using System.CommandLine;
using Alignment.Cli.Csv;
using Alignment.Scoring.Predictive;
using Microsoft.Extensions.Options;

namespace Alignment.Cli.Commands;

/// <summary>
/// <c>alignment predict --stages STAGES.csv --history HISTORY.csv --leads LEADS.csv [--fields ...] [--missing-as-value ...]
/// [--tags-column tags] [--from PRESET] [--map MAP.json] [--out OUT.csv] [--csv-raw]</c>: trains the naive Bayes win-probability tables on the closed leads of the history
/// and writes <c>id,probability</c> for every lead (formula in docs/predictive-scoring.md); the id is a text cell (see
/// <see cref="CsvOutputWriter"/>).
/// </summary>
internal sealed class PredictCommand : ICliCommand
{
    /// <summary>The tags column used when <c>--tags-column</c> is not given and the history has it.</summary>
    public const string DefaultTagsColumn = "tags";

    /// <inheritdoc />
    public Command Create(CliConsole console)
    {
        var stages = CommandInputs.FileOption("--stages", "STAGES.csv", "The pipeline stages: name,sequence,is_won.");
        var history = CommandInputs.FileOption("--history", "HISTORY.csv", "Past leads: id,team,stage,outcome (won, lost or open), one column per field, tags.");
        var leads = CommandInputs.FileOption("--leads", "LEADS.csv", "The leads to score: the history's columns without outcome.");
        var fields = new Option<string>("--fields")
        {
            Description = "The fields counted besides stage and team, comma-separated. Default: every other column of the history.",
            HelpName = "country,state,source,...",
        };
        var missing = new Option<string>("--missing-as-value")
        {
            Description = "Fields for which an empty cell is a value of its own (for example email_state,phone_state).",
            HelpName = "FIELD,...",
        };
        var tags = new Option<string>("--tags-column")
        {
            Description = $"The column of tags separated by ';'. Default: '{DefaultTagsColumn}' when the history has that column, else no tags.",
            HelpName = "tags",
        };
        var output = CommandInputs.OutOption("OUT.csv");
        var raw = CsvOutputWriter.CreateRawOption();
        var command = new Command("predict", "Predicts each lead's win probability from won/lost history (naive Bayes, as Odoo CRM does).")
        {
            stages, history, leads, fields, missing, tags, output, raw,
        };
        var import = ImportOptions.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(
            console,
            import.Resolve(parse),
            parse.GetRequiredValue(stages),
            parse.GetRequiredValue(history),
            parse.GetRequiredValue(leads),
            CommandInputs.SplitList(parse.GetValue(fields)),
            CommandInputs.SplitList(parse.GetValue(missing)) ?? [],
            parse.GetValue(tags),
            parse.GetValue(output),
            parse.GetValue(raw),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        CliConsole console, CsvImport import, string stagesPath, string historyPath, string leadsPath, string[]? fields, string[] missing, string? tagsColumn, string? outPath, bool raw, CancellationToken cancellationToken)
    {
        try
        {
            ImmutableArray<PipelineStage> stageList;
            using (var file = CommandInputs.OpenText(stagesPath, "--stages"))
            {
                stageList = PredictiveCsv.ReadStages(file, stagesPath);
            }

            bool fieldsFromHistory = fields is null;
            if (tagsColumn is null || fields is null)
            {
                ImmutableArray<string> columns;
                using (var file = CommandInputs.OpenText(historyPath, "--history"))
                {
                    columns = PredictiveCsv.ReadFieldNames(file, historyPath, null, import);
                }

                tagsColumn ??= columns.Contains(DefaultTagsColumn) ? DefaultTagsColumn : null;
                fields ??= [.. columns.Where(c => c != tagsColumn)];
            }

            PredictiveScorer scorer;
            try
            {
                scorer = new PredictiveScorer(stageList, new PredictiveScoringOptions { Fields = fields, MissingAsValueFields = missing });
            }
            catch (OptionsValidationException e) when (fieldsFromHistory)
            {
                // The fields are the history's own columns: a column the options refuse (one without a name) is bad input, not a usage error.
                throw new CliInputException(historyPath, 1, null, $"{string.Join(" ", e.Failures)}; the fields are the file's columns, so name every column or choose them with --fields");
            }
            catch (OptionsValidationException e)
            {
                await console.Error.WriteLineAsync($"alignment: {string.Join(" ", e.Failures)} (--fields: {string.Join(",", fields)}; --missing-as-value: {string.Join(",", missing)})").ConfigureAwait(false);
                await console.Error.WriteLineAsync("Run 'alignment predict --help' for usage.").ConfigureAwait(false);
                return ExitCodes.UsageError;
            }

            using (scorer)
            {
                long trained;
                using (var file = CommandInputs.OpenText(historyPath, "--history"))
                {
                    trained = scorer.Rebuild(PredictiveCsv.ReadHistory(file, historyPath, scorer, tagsColumn, import));
                }

                cancellationToken.ThrowIfCancellationRequested();
                await using var output = CommandOutput.Open(console, outPath);
                (int written, int unscorable) counts;
                using (var file = CommandInputs.OpenText(leadsPath, "--leads"))
                {
                    counts = WriteProbabilities(new CsvOutputWriter(output.Writer, raw), scorer, WithCancellation(PredictiveCsv.ReadLeads(file, leadsPath, scorer, tagsColumn, import), cancellationToken));
                }

                await output.CommitAsync(cancellationToken).ConfigureAwait(false);
                await console.Error.WriteLineAsync(
                    $"Trained on {trained} closed lead(s) of {historyPath}; scored {counts.written} lead(s), {counts.unscorable} without enough history.").ConfigureAwait(false);
                return ExitCodes.Success;
            }
        }
        catch (LeadCsvException e)
        {
            throw CommandInputs.From(e);
        }
    }

    /// <summary>Writes <c>id,probability</c> as <see cref="PredictiveCsv.WriteProbabilities"/> does, but through the tool's CSV writer.</summary>
    private static (int Written, int Unscorable) WriteProbabilities(CsvOutputWriter writer, PredictiveScorer scorer, IEnumerable<PredictiveRecord> leads)
    {
        writer.Header("id", "probability");
        int written = 0, unscorable = 0;
        foreach (var lead in leads)
        {
            writer.Text(lead.Id);
            if (scorer.TryScore(lead, out var probability))
            {
                writer.Value(PredictiveCsv.FormatProbability(probability));
            }
            else
            {
                writer.Value(null);
                unscorable++;
            }

            writer.EndRow();
            written++;
        }

        return (written, unscorable);
    }

    private static IEnumerable<PredictiveRecord> WithCancellation(IEnumerable<PredictiveRecord> records, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return record;
        }
    }
}
