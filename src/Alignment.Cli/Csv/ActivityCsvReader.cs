using System.Globalization;
using System.Runtime.InteropServices;
using Alignment.Activities;
using Alignment.Scoring.Definitions;
using Sylvan.Data.Csv;

namespace Alignment.Cli.Csv;

/// <summary>
/// Reads an activities file (<c>leadId,type,timestamp</c>, optional <c>url</c> and <c>campaign</c>; the format of
/// <c>docs/data-formats.md</c>, the same as the backtest's) into per-lead lists, so a leads file can then be streamed past it.
/// </summary>
internal sealed class ActivityCsvReader
{
    private static readonly string[] InstantFormats =
        ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ssK"];

    private readonly Dictionary<string, Entry> _byLead = new(StringComparer.Ordinal);

    private ActivityCsvReader(string fileName) => FileName = fileName;

    /// <summary>The file name given.</summary>
    public string FileName { get; }

    /// <summary>How many activities were read.</summary>
    public long Count { get; private set; }

    /// <summary>Reads a whole activities file.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="fileName">The file name, for error messages.</param>
    /// <param name="progress">Progress, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Checked between records.</param>
    /// <returns>The activities by lead id.</returns>
    /// <exception cref="CliInputException">A column is missing, a lead id is empty, a type unknown or a timestamp malformed.</exception>
    public static ActivityCsvReader Read(TextReader reader, string fileName, CsvProgress? progress, CancellationToken cancellationToken)
    {
        var result = new ActivityCsvReader(fileName);
        using var csv = CsvDataReader.Create(reader, new CsvDataReaderOptions { HasHeaders = true, Delimiter = ',', OwnsReader = false });
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < csv.FieldCount; i++)
        {
            if (!columns.TryAdd(csv.GetName(i).Trim(), i))
            {
                throw new CliInputException(fileName, 1, csv.GetName(i).Trim(), "the column appears twice in the header");
            }
        }

        int Require(string name) => columns.TryGetValue(name, out int i) ? i : throw new CliInputException(fileName, 1, name, "the column is missing from the header");
        int leadColumn = Require("leadId"), typeColumn = Require("type"), timeColumn = Require("timestamp");
        int urlColumn = columns.GetValueOrDefault("url", -1), campaignColumn = columns.GetValueOrDefault("campaign", -1);
        while (csv.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (csv.RowFieldCount <= 1 && (csv.RowFieldCount == 0 || csv.GetString(0).Length == 0))
            {
                continue;
            }

            int line = csv.RowNumber + 1;
            string Cell(int ordinal, string column) =>
                ordinal < 0 ? string.Empty
                : ordinal < csv.RowFieldCount ? csv.GetString(ordinal).Trim()
                : throw new CliInputException(fileName, line, column, $"the record has {csv.RowFieldCount} cells but the header has {csv.FieldCount}");

            string leadId = Cell(leadColumn, "leadId");
            if (leadId.Length == 0)
            {
                throw new CliInputException(fileName, line, "leadId", "the lead id is empty");
            }

            string typeText = Cell(typeColumn, "type");
            if (!ScoringNames.TryParseActivity(typeText, out var type))
            {
                throw new CliInputException(fileName, line, "type", $"'{typeText}' is not an activity type (expected one of {string.Join(", ", ScoringNames.ActivityNames)})");
            }

            string timeText = Cell(timeColumn, "timestamp");
            if (!DateTimeOffset.TryParseExact(timeText, InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                throw new CliInputException(fileName, line, "timestamp", $"'{timeText}' is not an ISO 8601 date or instant (for example 2026-03-01T12:00:00Z)");
            }

            string url = Cell(urlColumn, "url"), campaign = Cell(campaignColumn, "campaign");
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(result._byLead, leadId, out bool exists);
            if (!exists)
            {
                entry = new Entry(line);
            }

            entry!.Activities.Add(new LeadActivity(type, at) { Url = url.Length == 0 ? null : url, Campaign = campaign.Length == 0 ? null : campaign });
            result.Count++;
            progress?.Report(result.Count);
        }

        progress?.Complete(result.Count);
        return result;
    }

    /// <summary>The activities of a lead, marking them as used.</summary>
    /// <param name="leadId">The lead id.</param>
    /// <returns>Its activities in file order; empty when it has none.</returns>
    public ReadOnlySpan<LeadActivity> Take(string leadId)
    {
        if (!_byLead.TryGetValue(leadId, out var entry))
        {
            return default;
        }

        entry.Used = true;
        return CollectionsMarshal.AsSpan(entry.Activities);
    }

    /// <summary>Throws for the first activity (by line) whose lead was never taken: it names a lead the leads file lacks.</summary>
    /// <param name="leadsFile">The leads file, for the message.</param>
    /// <exception cref="CliInputException">An activity names an unknown lead.</exception>
    public void EnsureAllUsed(string leadsFile)
    {
        string? id = null;
        int line = int.MaxValue;
        foreach (var (leadId, entry) in _byLead)
        {
            if (!entry.Used && entry.FirstLine < line)
            {
                (id, line) = (leadId, entry.FirstLine);
            }
        }

        if (id is not null)
        {
            throw new CliInputException(FileName, line, "leadId", $"lead '{id}' is not in {leadsFile}");
        }
    }

    private sealed class Entry(int firstLine)
    {
        public int FirstLine { get; } = firstLine;

        public List<LeadActivity> Activities { get; } = [];

        public bool Used { get; set; }
    }
}
