using System.CommandLine;
using Alignment.Cli.Csv;
using Alignment.Models;

namespace Alignment.Cli.Commands;

/// <summary>
/// <c>alignment segment --model SEGMENTS.json --accounts ACCOUNTS.csv [--out OUT.csv] [--csv-raw]</c>: puts every account (or lead) of a
/// CRM export in exactly one segment of a rule-based segmentation model and writes <c>id,segment,reason</c>, all three text cells (see
/// <see cref="CsvOutputWriter"/>).
/// </summary>
/// <param name="time">The clock that throttles the progress line; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
internal sealed class SegmentCommand(TimeProvider? time = null) : ICliCommand
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public Command Create(CliConsole console)
    {
        var model = CommandInputs.FileOption("--model", "SEGMENTS.json", "The segmentation model (format in docs/segmentation-model.md).");
        var accounts = CommandInputs.FileOption("--accounts", "ACCOUNTS.csv", "The accounts or leads (CSV; columns in docs/data-formats.md).");
        var output = CommandInputs.OutOption("OUT.csv");
        var raw = CsvOutputWriter.CreateRawOption();
        var limits = CommandInputs.LimitOption();
        var command = new Command("segment", "Puts every account of a CRM export in one segment and says why.") { model, accounts, output, raw, limits };
        var import = ImportOptions.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(console, import.Resolve(parse), parse.GetRequiredValue(model), parse.GetRequiredValue(limits), parse.GetRequiredValue(accounts), parse.GetValue(output), parse.GetValue(raw), cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(CliConsole console, CsvImport import, string modelPath, ModelReadLimits limits, string accountsPath, string? outPath, bool raw, CancellationToken cancellationToken)
    {
        var (model, schema) = SegmentationInputs.Load(modelPath, "--model", limits);
        await using var output = CommandOutput.Open(console, outPath);
        var w = new CsvOutputWriter(output.Writer, raw);
        w.Header("id", "segment", "reason");
        var progress = new CsvProgress(console, accountsPath, _time);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        long count = 0;
        using (var reader = CommandInputs.OpenText(accountsPath, "--accounts"))
        {
            try
            {
                using var csv = new LeadCsvReader(reader, accountsPath, schema, import);
                while (csv.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var lead = csv.Current;
                    var assignment = model.Assign(lead, ScoreColumns.Read(csv, lead));
                    w.Text(lead.Id.Value).Text(assignment.Segment.Value).Text(assignment.Reason).EndRow();
                    counts[assignment.Segment.Value] = counts.GetValueOrDefault(assignment.Segment.Value) + 1;
                    progress.Report(++count);
                }
            }
            catch (LeadCsvException e)
            {
                throw CommandInputs.From(e);
            }
        }

        progress.Complete(count);
        await output.CommitAsync(cancellationToken).ConfigureAwait(false);
        await console.Error.WriteLineAsync(
            $"Segmented {count} account(s) with {model.Model}: {string.Join(", ", counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"))}.").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
