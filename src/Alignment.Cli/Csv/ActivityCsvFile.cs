using System.Globalization;
using System.Runtime.InteropServices;
using Alignment.Activities;
using Alignment.Scoring.Definitions;

using Alignment.Leads.Import;

namespace Alignment.Cli.Csv;

/// <summary>
/// An activities CSV file (<c>leadId,type,timestamp</c>, optional <c>url</c> and <c>campaign</c>; docs/data-formats.md) read
/// once and grouped by lead, so that a leads or history file can then be streamed past it. Every activity must belong to a
/// lead of that other file: <see cref="EnsureAllTaken"/> reports the first one that does not.
/// </summary>
/// <remarks>Not thread-safe: one reader per file.</remarks>
internal sealed class ActivityCsvFile
{
    private static readonly string[] InstantFormats =
        ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ssK"];

    private readonly Dictionary<string, Entry> _byLead = new(StringComparer.Ordinal);

    private ActivityCsvFile(string fileName) => FileName = fileName;

    /// <summary>The file name given, used in error messages.</summary>
    public string FileName { get; }

    /// <summary>How many activities were read.</summary>
    public long Count { get; private set; }

    /// <summary>Reads a whole activities file in our own format.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="fileName">The file name, for error messages.</param>
    /// <param name="progress">Receives the number of activities read so far; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Checked between records.</param>
    /// <returns>The activities, grouped by lead id in file order.</returns>
    /// <exception cref="LeadCsvException">The file is malformed.</exception>
    public static ActivityCsvFile Read(TextReader reader, string fileName, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        Read(reader, fileName, null, progress, cancellationToken);

    /// <summary>Reads a whole activities file.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="fileName">The file name, for error messages.</param>
    /// <param name="progress">Receives the number of activities read so far; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Checked between records.</param>
    /// <returns>The activities, grouped by lead id in file order.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="LeadCsvException">
    /// The file is not well-formed CSV (see <see cref="LeadCsvReader"/>), a record has more or fewer cells than the header, a column is
    /// missing or repeated, a lead id is empty, a type unknown or a timestamp malformed; names the line and column.
    /// </exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <param name="import">How to read the export (<c>--from</c>, <c>--map</c>, <c>--culture</c>, …); <see langword="null"/> for our own format.</param>
    public static ActivityCsvFile Read(TextReader reader, string fileName, CsvImport? import, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        import ??= CsvImport.Default;
        bool plain = ReferenceEquals(import, CsvImport.Default);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(fileName);
        var result = new ActivityCsvFile(fileName);
        var csv = CsvFiles.Open(reader, fileName);
        var (columns, shown) = import.ResolveHeader(csv.Header, fileName, csv.HeaderLine);
        if (!columns.ContainsKey(CrmColumns.Timestamp) && columns.TryGetValue("createdAt", out int created))
        {
            // An activity export's creation instant (Pardot's created_at) is when the activity happened.
            columns[CrmColumns.Timestamp] = created;
            shown[CrmColumns.Timestamp] = shown["createdAt"];
        }

        string Show(string column) => shown.TryGetValue(column, out var written) && !string.Equals(written, column, StringComparison.OrdinalIgnoreCase) ? $"{written} ({column})" : column;
        int Require(string name) => columns.TryGetValue(name, out int i) ? i : throw import.Missing(fileName, csv.HeaderLine, name, csv.Header);
        int leadColumn = Require("leadId"), typeColumn = Require("type"), timeColumn = Require("timestamp");
        int urlColumn = columns.GetValueOrDefault("url", -1), campaignColumn = columns.GetValueOrDefault("campaign", -1);
        string? campaignConstant = campaignColumn < 0 ? import.Constant("campaign") : null;
        while (csv.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            int line = csv.Line;
            string Cell(int ordinal) => ordinal < 0 ? string.Empty : csv.GetTrimmed(ordinal) ?? string.Empty;

            string leadId = Cell(leadColumn);
            if (leadId.Length == 0)
            {
                throw new LeadCsvException(fileName, line, Show("leadId"), "the lead id is empty");
            }

            string typeText = Cell(typeColumn);
            ActivityType type;
            if (plain)
            {
                if (!ScoringNames.TryParseActivity(typeText, out type))
                {
                    throw new LeadCsvException(fileName, line, "type", $"'{typeText}' is not an activity type (expected one of {string.Join(", ", ScoringNames.ActivityNames)})");
                }
            }
            else if (!import.TryActivityType(typeText, out type))
            {
                throw new LeadCsvException(fileName, line, Show("type"), import.UnknownActivityType(typeText));
            }

            var timeText = csv.GetSpan(timeColumn).Trim();
            DateTimeOffset at;
            if (plain)
            {
                if (!DateTimeOffset.TryParseExact(timeText, InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at))
                {
                    throw new LeadCsvException(fileName, line, "timestamp", $"'{timeText.ToString()}' is not an ISO 8601 date or instant (for example 2026-03-01T12:00:00Z)");
                }
            }
            else if (!import.Values.TryReadInstant(timeText.ToString(), out at, out var problem))
            {
                throw new LeadCsvException(fileName, line, Show("timestamp"), problem!);
            }

            string url = Cell(urlColumn), campaign = campaignConstant ?? Cell(campaignColumn);
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(result._byLead, leadId, out bool exists);
            if (!exists)
            {
                entry = new Entry(line);
            }

            entry!.Activities.Add(new LeadActivity(type, at) { Url = url.Length == 0 ? null : url, Campaign = campaign.Length == 0 ? null : campaign });
            result.Count++;
            progress?.Report(result.Count);
        }

        return result;
    }

    /// <summary>The activities of a lead, in file order, marking them as taken.</summary>
    /// <param name="leadId">The lead id.</param>
    /// <returns>Its activities; empty when it has none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="leadId"/> is null.</exception>
    public ReadOnlySpan<LeadActivity> Take(string leadId)
    {
        ArgumentNullException.ThrowIfNull(leadId);
        if (!_byLead.TryGetValue(leadId, out var entry))
        {
            return default;
        }

        entry.Taken = true;
        return CollectionsMarshal.AsSpan(entry.Activities);
    }

    /// <summary>Throws for the first activity (by line) whose lead was never taken: it names a lead the other file lacks.</summary>
    /// <param name="leadsFile">How to name the other file in the message (for example <c>leads.csv</c> or <c>the history file</c>).</param>
    /// <exception cref="LeadCsvException">An activity names a lead that was never taken; names this file, the line and the lead.</exception>
    public void EnsureAllTaken(string leadsFile)
    {
        string? id = null;
        int line = int.MaxValue;
        foreach (var (leadId, entry) in _byLead)
        {
            if (!entry.Taken && entry.FirstLine < line)
            {
                (id, line) = (leadId, entry.FirstLine);
            }
        }

        if (id is not null)
        {
            throw new LeadCsvException(FileName, line, "leadId", $"lead '{id}' is not in {leadsFile}");
        }
    }

    private sealed class Entry(int firstLine)
    {
        public int FirstLine { get; } = firstLine;

        public List<LeadActivity> Activities { get; } = [];

        public bool Taken { get; set; }
    }
}
