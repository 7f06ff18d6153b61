using Alignment.Activities;
using Alignment.Leads.Import;
using Alignment.Scoring.Definitions;

namespace Alignment.Cli.Csv;

/// <summary>
/// How the command reads a CRM export: the mapping (a preset given with <c>--from</c>, a mapping file given with <c>--map</c>, or none
/// for our own format) and the value reader for its dates and numbers (<c>--culture</c>, <c>--date-format</c>, <c>--time-zone</c>).
/// Resolves a header row to our columns and names what is missing with a suggestion.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
internal sealed class CsvImport
{
    /// <summary>Creates an import.</summary>
    /// <param name="mapping">The mapping; <see langword="null"/> for our own format.</param>
    /// <param name="values">The value reader.</param>
    public CsvImport(CrmMapping? mapping, CrmValueReader values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Mapping = mapping;
        Values = values;
    }

    /// <summary>Our own format: no mapping, ISO 8601 instants (no offset means UTC), invariant numbers.</summary>
    public static CsvImport Default { get; } = new(null, CrmValueReader.Default);

    /// <summary>The mapping, or <see langword="null"/> for our own format.</summary>
    public CrmMapping? Mapping { get; }

    /// <summary>The reader of dates and numbers.</summary>
    public CrmValueReader Values { get; }

    /// <summary>Resolves a header row: our column → its ordinal, and our column → the header as written (for messages).</summary>
    /// <param name="header">The header cells.</param>
    /// <param name="fileName">The file, for errors.</param>
    /// <param name="headerLine">The header's line, for errors.</param>
    /// <returns>The columns and their headers.</returns>
    /// <exception cref="LeadCsvException">Two headers are (or map to) the same column.</exception>
    public (Dictionary<string, int> Columns, Dictionary<string, string> Shown) ResolveHeader(IReadOnlyList<string> header, string fileName, int headerLine)
    {
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var shown = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < header.Count; i++)
        {
            string written = header[i].Trim();
            string name = Mapping is null ? written : Mapping.Resolve(written);
            if (name.Length == 0 && written.Length > 0)
            {
                continue; // the mapping ignores it
            }

            if (!columns.TryAdd(name, i))
            {
                string first = shown[name];
                throw new LeadCsvException(
                    fileName,
                    headerLine,
                    written,
                    string.Equals(first, written, StringComparison.OrdinalIgnoreCase)
                        ? "the column appears twice in the header"
                        : $"the column and '{first}' both hold '{name}'; map one of them to null in a mapping file (--map) to ignore it");
            }

            shown[name] = written;
        }

        return (columns, shown);
    }

    /// <summary>A constant the mapping gives for a column the file lacks.</summary>
    /// <param name="column">Our column.</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    public string? Constant(string column) => Mapping is not null && Mapping.Constants.TryGetValue(column, out var value) ? value : null;

    /// <summary>The error for a required column the header lacks, with the closest header and the presets the headers match best.</summary>
    /// <param name="fileName">The file.</param>
    /// <param name="headerLine">The header's line.</param>
    /// <param name="column">Our column.</param>
    /// <param name="header">The header cells.</param>
    /// <returns>The exception.</returns>
    public LeadCsvException Missing(string fileName, int headerLine, string column, IReadOnlyList<string> header)
    {
        var hints = new List<string>();
        if (CrmHeaderMatch.SuggestHeader(column, header) is { } closest)
        {
            hints.Add($"the closest header is '{closest}'; map it with a mapping file (--map, \"columns\": {{ \"{closest}\": \"{column}\" }})");
        }

        if (Mapping is null)
        {
            var ranked = CrmHeaderMatch.RankPresets(header);
            if (ranked.Count > 0)
            {
                hints.Add("the headers match best the presets " + string.Join(", ", ranked.Take(3).Select(r => $"{r.Preset.Name} ({r.Matched} of {header.Count} headers)")) + $": try --from {ranked[0].Preset.Name}");
            }
        }

        string problem = Mapping is null
            ? "the column is missing from the header"
            : $"the column is missing from the header (the {Mapping.Name} mapping maps no header of the file to it)";
        return new LeadCsvException(fileName, headerLine, column, hints.Count == 0 ? problem : problem + "; " + string.Join("; ", hints));
    }

    /// <summary>Reads an activity type: the mapping's name for it, else ours.</summary>
    /// <param name="text">The cell.</param>
    /// <param name="type">The type.</param>
    /// <returns><see langword="true"/> when known.</returns>
    public bool TryActivityType(string text, out ActivityType type)
    {
        if (Mapping is not null && Mapping.ActivityTypes.TryGetValue(text.Trim(), out type))
        {
            return true;
        }

        return ScoringNames.TryParseActivity(text.Trim(), out type);
    }

    /// <summary>The problem for an activity type that is neither the mapping's nor ours, with the closest name.</summary>
    /// <param name="text">The cell.</param>
    /// <returns>The problem.</returns>
    public string UnknownActivityType(string text)
    {
        var names = (Mapping?.ActivityTypes.Keys ?? []).Concat(ScoringNames.ActivityNames).ToList();
        string known = Mapping is null || Mapping.ActivityTypes.Count == 0
            ? $"expected one of {string.Join(", ", ScoringNames.ActivityNames)}"
            : $"expected one of the {Mapping.Name} names ({string.Join(", ", Mapping.ActivityTypes.Keys.Order(StringComparer.OrdinalIgnoreCase))}) or ours ({string.Join(", ", ScoringNames.ActivityNames)})";
        string suggestion = CrmHeaderMatch.Closest(text, names) is { } s ? $"did you mean '{s}'? " : string.Empty;
        return $"'{text}' is not an activity type ({suggestion}{known}; map others in a mapping file's \"activityTypes\")";
    }

    /// <summary>Reads an outcome: the mapping's stage name for it, else ours (won, lost, disqualified, open).</summary>
    /// <param name="text">The cell.</param>
    /// <param name="outcome">Our outcome name.</param>
    /// <returns><see langword="true"/> when known.</returns>
    public bool TryOutcome(string text, out string outcome)
    {
        if (Mapping is not null && Mapping.Outcomes.TryGetValue(text.Trim(), out var mapped))
        {
            outcome = mapped;
            return true;
        }

        outcome = CrmColumns.Outcomes.FirstOrDefault(o => string.Equals(o, text.Trim(), StringComparison.OrdinalIgnoreCase)) ?? string.Empty;
        return outcome.Length > 0;
    }
}
