using System.Collections.Immutable;
using System.CommandLine;
using System.Text;
using Alignment.Cli.Csv;
using Alignment.Cli.Output;
using Alignment.Leads.Import;

namespace Alignment.Cli.Commands;

/// <summary>
/// <c>alignment map --leads L.csv | --activities A.csv [--from PRESET] [--map MAP.json] [--culture …] [--date-format …] [--time-zone …] [--out MAP.json]</c>:
/// shows how each column of a CRM export would be read (which of our columns, and the first record's value as read), which required
/// columns are missing with the closest header for each, the presets the headers match best, and writes a mapping file to start from.
/// </summary>
internal sealed class MapCommand : ICliCommand
{
    private static readonly string[] TableHeader = ["column", "read as", "first value", "note"];

    /// <inheritdoc />
    public Command Create(CliConsole console)
    {
        var leads = CommandInputs.FileOption("--leads", "L.csv", "A leads (or history, or accounts) export to map.", required: false);
        var activities = CommandInputs.FileOption("--activities", "A.csv", "An activities export to map.", required: false);
        var output = new Option<string>("--out")
        {
            Description = "Write a mapping file to start from (JSON; every header with the column of ours it is read as, or a suggestion, or null to ignore it). " +
                "Written in full or not at all; a symbolic link is refused.",
            HelpName = "MAP.json",
        };
        var command = new Command("map", "Shows how each column of a CRM export would be read, what is missing and what it suggests, and writes a mapping file to start from.")
        {
            leads, activities, output,
        };
        var import = ImportOptions.AddTo(command);
        command.Validators.Add(result =>
        {
            if ((result.GetResult(leads) is null) == (result.GetResult(activities) is null))
            {
                result.AddError("Give one of --leads or --activities.");
            }
        });
        command.SetAction((parse, cancellationToken) =>
        {
            string? leadsPath = parse.GetValue(leads);
            return RunAsync(console, import.Resolve(parse), parse.GetValue(import.From), leadsPath ?? parse.GetRequiredValue(activities), leadsPath is null ? "--activities" : "--leads", parse.GetValue(output), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, CsvImport import, string? from, string path, string option, string? outPath, CancellationToken cancellationToken)
    {
        bool activities = option == "--activities";
        IReadOnlyList<string> header;
        string?[] first;
        int headerLine;
        using (var reader = CommandInputs.OpenText(path, option))
        {
            try
            {
                var csv = CsvFiles.Open(reader, path);
                header = csv.Header;
                headerLine = csv.HeaderLine;
                first = new string?[header.Count];
                if (csv.Read())
                {
                    for (int i = 0; i < header.Count; i++)
                    {
                        first[i] = csv.GetTrimmed(i);
                    }
                }

                import.ResolveHeader(header, path, headerLine);
            }
            catch (LeadCsvException e)
            {
                throw CommandInputs.From(e);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var mapping = import.Mapping;
        var text = new StringBuilder();
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{path}: {header.Count} column(s), read {(mapping is null ? "as our own format" : $"with the {mapping.Name} mapping")}\n");
        var rows = new List<string[]> { TableHeader };
        var columns = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var taken = new HashSet<string>(
            header.Select(h => mapping is null ? h.Trim() : mapping.Resolve(h)).Where(r => CrmColumns.TryNormalize(r, out _)).Select(r => CrmColumns.TryNormalize(r, out var c) ? c : r),
            StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < header.Count; i++)
        {
            string written = header[i].Trim();
            string resolved = mapping is null ? written : mapping.Resolve(written);
            string value = first[i] ?? string.Empty;
            string readAs, note = string.Empty;
            if (resolved.Length == 0)
            {
                readAs = "(ignored)";
                columns[written] = string.Empty;
            }
            else if (CrmColumns.TryNormalize(resolved, out var ours) && !resolved.StartsWith("attributes.", StringComparison.OrdinalIgnoreCase))
            {
                readAs = ours;
                seen.Add(ours);
                columns[written] = ours;
                note = Check(import, ours, value);
            }
            else
            {
                readAs = "(not read)";
                string? suggestion = Suggest(written);
                if (suggestion is not null && !taken.Add(suggestion))
                {
                    suggestion = null; // another header is (or is suggested as) that column already
                }

                note = suggestion is null ? "a custom attribute if a model declares one by this name, else ignored" : $"suggest {suggestion} (written so in --out)";
                columns[written] = suggestion ?? string.Empty;
            }

            rows.Add([written, readAs, value, note]);
        }

        Table(text, rows);
        string[] required = activities ? [CrmColumns.LeadId, CrmColumns.Type, CrmColumns.Timestamp] : [CrmColumns.Id];
        if (activities && seen.Contains("createdAt"))
        {
            seen.Add(CrmColumns.Timestamp); // an activity's creation instant is when it happened, as the commands read it
        }

        var missing = required.Where(r => !seen.Contains(r) && import.Constant(r) is null).ToList();
        foreach (var column in missing)
        {
            string? closest = CrmHeaderMatch.SuggestHeader(column, header);
            text.Append($"missing required column '{column}'" + (closest is null ? string.Empty : $": the closest header is '{closest}'") + "\n");
        }

        if (missing.Count == 0)
        {
            text.Append("every required column is mapped\n");
        }

        var ranked = CrmHeaderMatch.RankPresets(header);
        if (ranked.Count > 0)
        {
            text.Append("presets matching best: " + string.Join(", ", ranked.Take(3).Select(r => $"{r.Preset.Name} ({r.Matched} of {header.Count} headers)")) + "\n");
        }

        await console.Out.WriteAsync(TerminalText.EscapeLines(text.ToString())).ConfigureAwait(false);
        if (outPath is not null)
        {
            var start = new CrmMapping
            {
                Name = mapping?.Name is { } n && n != "options" ? n + "-custom" : "custom",
                Columns = from is null ? columns.ToImmutable() : columns.ToImmutable().RemoveRange(columns.Keys.Where(k => mapping!.Maps(k) && mapping.Resolve(k) == columns[k]).ToList()),
                ActivityTypes = from is null && mapping is not null ? mapping.ActivityTypes : [],
                Outcomes = from is null && mapping is not null ? mapping.Outcomes : [],
                Constants = from is null && mapping is not null ? mapping.Constants : [],
                Culture = import.Values.Culture?.Name,
                DateFormats = import.Values.DateFormats,
                TimeZone = mapping?.TimeZone,
            };
            await using var output = CommandOutput.Open(console, outPath);
            await output.Writer.WriteAsync(CrmMappingJson.Write(start, from is null ? null : CrmPresets.TryGet(from, out var p) ? p.Name : null)).ConfigureAwait(false);
            await output.CommitAsync(cancellationToken).ConfigureAwait(false);
            await console.Error.WriteLineAsync($"Wrote a mapping file to start from: {outPath} (use it with --map).").ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    /// <summary>How a first value reads, for the table: empty when it reads well, else the problem.</summary>
    private static string Check(CsvImport import, string column, string value)
    {
        if (value.Length == 0)
        {
            return string.Empty;
        }

        if (CrmColumns.Instants.Contains(column, StringComparer.OrdinalIgnoreCase))
        {
            return import.Values.TryReadInstant(value, out var at, out var problem) ? $"instant {at:O}" : problem!;
        }

        if (CrmColumns.Numbers.Contains(column, StringComparer.OrdinalIgnoreCase))
        {
            return import.Values.TryReadNumber(value, out var n, out var problem) ? $"number {n.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : problem!;
        }

        if (column == CrmColumns.Type)
        {
            return import.TryActivityType(value, out var type) ? $"activity {CrmMappingJson.ActivityName(type)}" : import.UnknownActivityType(value);
        }

        if (column == CrmColumns.Outcome)
        {
            return import.TryOutcome(value, out var outcome) ? $"outcome {outcome}" : $"'{value}' is not an outcome; map it in \"outcomes\"";
        }

        return string.Empty;
    }

    /// <summary>A column of ours for a header the mapping does not read: what a preset reads it as, else the words or spelling it is closest to.</summary>
    private static string? Suggest(string header) => CrmHeaderMatch.SuggestColumn(header);

    private static void Table(StringBuilder text, List<string[]> rows)
    {
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (int c = 0; c < row.Length; c++)
            {
                widths[c] = Math.Min(Math.Max(widths[c], row[c].Length), 40);
            }
        }

        var line = new StringBuilder();
        foreach (var row in rows)
        {
            line.Clear();
            for (int c = 0; c < row.Length; c++)
            {
                string cell = row[c].Length > 40 && c < row.Length - 1 ? row[c][..37] + "..." : row[c];
                line.Append(c == row.Length - 1 ? cell : cell.PadRight(widths[c] + 2));
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
    }
}
