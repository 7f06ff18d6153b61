using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Alignment.Cli.Csv;
using Alignment.Cli.Output;
using Alignment.Segmentation.Clustering;

namespace Alignment.Cli.Commands;

/// <summary>
/// <c>alignment cluster --accounts ACCOUNTS.csv --features COL1,COL2,... --k K|2..10 [--seed S] [--format table|json] [--from PRESET]
/// [--map MAP.json] [--culture NAME]</c>: k-means
/// (k-means++ seeding, several restarts, fixed seed) on z-scored numeric columns; reports inertia, silhouette and every cluster's
/// size and centroid in original units, for one k or for each k of a range.
/// </summary>
/// <param name="time">The clock that throttles the progress line; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
internal sealed class ClusterCommand(TimeProvider? time = null) : ICliCommand
{
    // Far beyond any count or amount an account has; larger values would overflow the standard deviation (sums of squares).
    private const double MaxFeatureMagnitude = 1e15;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public Command Create(CliConsole console)
    {
        var accounts = CommandInputs.FileOption("--accounts", "ACCOUNTS.csv", "The accounts (CSV with a header row).");
        var features = new Option<string>("--features")
        {
            Description = "The numeric columns to cluster on, comma-separated (standardised to z-scores first).",
            HelpName = "COL1,COL2,...",
            Required = true,
        };
        var k = new Option<int[]>("--k")
        {
            Description = "The number of clusters, or a range such as 2..10 to report every k.",
            HelpName = "K|FROM..TO",
            Required = true,
            CustomParser = ParseK,
        };
        var seed = new Option<int>("--seed") { Description = "The random seed; the same seed gives the same clusters on every run.", HelpName = "S", DefaultValueFactory = _ => 42 };
        var format = CommandInputs.FormatOption();
        var command = new Command("cluster", "Finds data-driven segments with k-means and reports inertia, silhouette and centroids per k.") { accounts, features, k, seed, format };
        var import = ImportOptions.AddTo(command);
        command.Validators.Add(result =>
        {
            if (CommandInputs.SplitList(result.GetValue(features)) is { Length: 0 })
            {
                result.AddError("--features needs at least one column name.");
            }
        });
        command.SetAction((parse, cancellationToken) => RunAsync(
            console,
            import.Resolve(parse),
            parse.GetRequiredValue(accounts),
            CommandInputs.SplitList(parse.GetRequiredValue(features))!,
            parse.GetRequiredValue(k),
            parse.GetValue(seed),
            parse.GetValue(format) == "json",
            cancellationToken));
        return command;
    }

    private static int[] ParseK(System.CommandLine.Parsing.ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value.Trim() : string.Empty;
        int dots = text.IndexOf("..", StringComparison.Ordinal);
        if (dots < 0 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int single) && single >= 1)
        {
            return [single];
        }

        if (dots > 0
            && int.TryParse(text.AsSpan(0, dots), NumberStyles.None, CultureInfo.InvariantCulture, out int from)
            && int.TryParse(text.AsSpan(dots + 2), NumberStyles.None, CultureInfo.InvariantCulture, out int to)
            && from >= 1 && to >= from && to - from < 100)
        {
            return [.. Enumerable.Range(from, to - from + 1)];
        }

        result.AddError($"--k must be a whole number of at least 1 or a range such as 2..10 (was '{text}').");
        return [];
    }

    private async Task<int> RunAsync(CliConsole console, CsvImport import, string accountsPath, string[] features, int[] ks, int seed, bool json, CancellationToken cancellationToken)
    {
        var table = Read(console, import, accountsPath, features, cancellationToken);
        if (ks[^1] > table.Rows)
        {
            throw new CliInputException(accountsPath, null, "--k", $"k = {ks[^1]} needs at least {ks[^1]} rows; the file has {table.Rows}");
        }

        var report = ClusterAnalysis.Run(table, ks, new KMeansOptions { Seed = seed }, cancellationToken);
        string text = json ? Json(report, single: ks.Length == 1) : Table(report, accountsPath, seed);
        await console.Out.WriteAsync(TerminalText.EscapeLines(text)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private FeatureTable Read(CliConsole console, CsvImport import, string path, string[] features, CancellationToken cancellationToken)
    {
        var values = new List<double>();
        var progress = new CsvProgress(console, path, _time);
        long rows = 0;
        using var reader = CommandInputs.OpenText(path, "--accounts");
        try
        {
            var csv = CsvFiles.Open(reader, path);
            // A feature is found by our column name when a mapping (--from, --map) names the header, and always by the header as written.
            var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            if (import.Mapping is { } mapping)
            {
                for (int i = 0; i < csv.Header.Count; i++)
                {
                    if (mapping.Resolve(csv.Header[i]) is { Length: > 0 } ours)
                    {
                        columns.TryAdd(ours, i);
                    }
                }
            }

            for (int i = 0; i < csv.Header.Count; i++)
            {
                columns.TryAdd(csv.Header[i].Trim(), i);
            }

            bool plain = ReferenceEquals(import, CsvImport.Default);

            var ordinals = new int[features.Length];
            for (int f = 0; f < features.Length; f++)
            {
                ordinals[f] = columns.TryGetValue(features[f], out int i)
                    ? i
                    : throw new CliInputException(path, csv.HeaderLine, features[f], $"the column is missing from the header (it has {string.Join(", ", columns.Keys)})");
            }

            while (csv.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (int f = 0; f < features.Length; f++)
                {
                    var text = csv.GetSpan(ordinals[f]).Trim();
                    double value;
                    if (plain || text.IsEmpty)
                    {
                        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
                        {
                            throw new CliInputException(path, csv.Line, features[f], text.IsEmpty ? "the cell is empty; every feature needs a number" : $"'{text.ToString()}' is not a number");
                        }
                    }
                    else if (import.Values.TryReadNumber(text.ToString(), out decimal number, out string? problem))
                    {
                        value = (double)number;
                    }
                    else if (text.IndexOfAny('e', 'E') >= 0 && text.IndexOfAny(',', ' ') < 0
                        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value))
                    {
                        // An exponent (1.5E+07), which amounts never have: read as invariant, as without a mapping.
                    }
                    else
                    {
                        throw new CliInputException(path, csv.Line, features[f], problem ?? $"'{text.ToString()}' is not a number");
                    }

                    if (Math.Abs(value) > MaxFeatureMagnitude)
                    {
                        throw new CliInputException(path, csv.Line, features[f], $"{text.ToString()} is out of range: a feature value must be between -1e15 and 1e15");
                    }

                    values.Add(value);
                }

                progress.Report(++rows);
            }
        }
        catch (LeadCsvException e)
        {
            throw CommandInputs.From(e);
        }

        progress.Complete(rows);
        if (rows == 0)
        {
            throw new CliInputException(path, null, null, "the file has no rows to cluster");
        }

        return new FeatureTable(features, [.. values]);
    }

    private static string Table(ClusteringReport report, string path, int seed)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"k-means on {report.Rows} row(s) of {path}, features {string.Join(", ", report.Features)} (z-scored), seed {seed}\n\n");
        text.Append("k   Inertia       Silhouette\n");
        foreach (var run in report.Runs)
        {
            text.Append(c, $"{run.K,-3} {CsvText.Number(run.Inertia, 4),-13} {CsvText.Number(run.Silhouette, 4)}\n");
        }

        if (report.Runs.Length > 1 && report.BestBySilhouette is { } best)
        {
            text.Append(c, $"\nHighest silhouette: k = {best.K}.\n");
        }

        foreach (var run in report.Runs)
        {
            text.Append(c, $"\nk = {run.K}: centroids in original units\n");
            var header = new List<string> { "Cluster", "Size", "Share" };
            header.AddRange(report.Features);
            var rows = new List<string[]> { header.ToArray() };
            foreach (var cluster in run.Clusters)
            {
                var row = new List<string> { cluster.Label, cluster.Size.ToString(c), (cluster.Share * 100).ToString("0.0", c) + " %" };
                row.AddRange(cluster.Centroid.Select(v => CsvText.Number(v, 4)));
                rows.Add([.. row]);
            }

            var widths = Enumerable.Range(0, header.Count).Select(i => rows.Max(r => r[i].Length)).ToArray();
            foreach (var row in rows)
            {
                text.Append(string.Join("  ", row.Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd()).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Json(ClusteringReport report, bool single)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            if (single)
            {
                WriteRun(w, report.Runs[0], report);
            }
            else
            {
                w.WriteStartObject();
                w.WriteNumber("rows", report.Rows);
                w.WriteStartArray("features");
                foreach (var f in report.Features)
                {
                    w.WriteStringValue(f);
                }

                w.WriteEndArray();
                if (report.BestBySilhouette is { } best)
                {
                    w.WriteNumber("bestBySilhouette", best.K);
                }

                w.WriteStartArray("runs");
                foreach (var run in report.Runs)
                {
                    WriteRun(w, run, report);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteRun(Utf8JsonWriter w, ClusteringRun run, ClusteringReport report)
    {
        w.WriteStartObject();
        w.WriteNumber("k", run.K);
        w.WriteNumber("inertia", run.Inertia);
        if (double.IsNaN(run.Silhouette))
        {
            w.WriteNull("silhouette");
        }
        else
        {
            w.WriteNumber("silhouette", run.Silhouette);
        }

        w.WriteStartArray("clusters");
        foreach (var cluster in run.Clusters)
        {
            w.WriteStartObject();
            w.WriteString("label", cluster.Label);
            w.WriteNumber("size", cluster.Size);
            w.WriteNumber("share", cluster.Share);
            w.WriteStartObject("centroid");
            for (int f = 0; f < report.Features.Length; f++)
            {
                w.WriteNumber(report.Features[f], cluster.Centroid[f]);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
