using Alignment.Activities;
using Alignment.Leads;
using Alignment.Scoring.Backtesting;
using Alignment.Scoring.Definitions;

namespace Alignment.Cli.Csv;

/// <summary>
/// Reads a backtest history from CSV files (formats in <c>docs/data-formats.md</c>): the history file (the lead columns of
/// <see cref="LeadCsvReader"/> plus <c>scoredAt</c>, <c>outcome</c> and optional <c>closedAt</c>) and an optional activities file
/// (<c>leadId,type,timestamp</c>, optional <c>url</c> and <c>campaign</c>).
/// </summary>
/// <remarks>Stateless and thread-safe. Bad input throws <see cref="LeadCsvException"/> naming the file, line and column.</remarks>
internal static class BacktestCsv
{
    /// <summary>Reads a history and, optionally, its activities.</summary>
    /// <param name="history">The history CSV text.</param>
    /// <param name="historyFile">The history file name, for error messages.</param>
    /// <param name="activities">The activities CSV text; <see langword="null"/> for none.</param>
    /// <param name="activitiesFile">The activities file name, for error messages.</param>
    /// <param name="schema">The custom attributes to read (see <see cref="LeadCsvReader.CreateSchema"/>); <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Checked between records.</param>
    /// <returns>The history, in file order; each lead's activities in file order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="history"/>, <paramref name="historyFile"/> or <paramref name="activitiesFile"/> is null.</exception>
    /// <exception cref="LeadCsvException">
    /// A file is not well-formed CSV (see <see cref="LeadCsvReader"/>), a record has more or fewer cells than the header, a column is missing, an id is empty or repeated, an outcome is not won/lost/disqualified/open, an instant is malformed, a lead closed
    /// before it was scored, an activity type is unknown, or an activity names a lead the history lacks.
    /// </exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <param name="import">How to read the exports (<c>--from</c>, <c>--map</c>, <c>--culture</c>, …); <see langword="null"/> for our own format.</param>
    public static BacktestHistory ReadHistory(TextReader history, string historyFile, TextReader? activities, string activitiesFile, AttributeSchema? schema = null, CsvImport? import = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(historyFile);
        ArgumentNullException.ThrowIfNull(activitiesFile);
        var leads = new List<Lead>();
        var scoredAt = new List<DateTimeOffset>();
        var outcomes = new List<BacktestOutcome>();
        var closedAt = new List<DateTimeOffset?>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        using (var csv = new LeadCsvReader(history, historyFile, schema, import))
        {
            foreach (var column in (ReadOnlySpan<string>)["scoredAt", "outcome"])
            {
                if (!csv.HasColumn(column))
                {
                    throw csv.Import.Missing(historyFile, csv.HeaderLine, column, csv.Header);
                }
            }

            while (csv.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var lead = csv.Current;
                if (!index.TryAdd(lead.Id.Value, leads.Count))
                {
                    throw csv.Error(LeadCsvReader.IdColumn, $"lead '{lead.Id}' appears twice");
                }

                var at = csv.GetInstant("scoredAt") ?? throw csv.Error("scoredAt", "the scoring instant is empty");
                string outcomeText = csv.GetText("outcome") ?? string.Empty;
                if (!csv.IsPlain)
                {
                    outcomeText = csv.Import.TryOutcome(outcomeText, out var mapped)
                        ? mapped
                        : throw csv.Error("outcome", $"'{outcomeText}' is not an outcome (won, lost, disqualified or open" +
                            (csv.Import.Mapping is { Outcomes.Count: > 0 } m ? $", nor a {m.Name} stage: {string.Join(", ", m.Outcomes.Keys.Order(StringComparer.OrdinalIgnoreCase))}" : string.Empty) +
                            "); map the export's stages in a mapping file's \"outcomes\"");
                }

                var outcome = outcomeText.ToUpperInvariant() switch
                {
                    "WON" => BacktestOutcome.Won,
                    "LOST" => BacktestOutcome.Lost,
                    "DISQUALIFIED" => BacktestOutcome.Disqualified,
                    "OPEN" => BacktestOutcome.Open,
                    _ => throw csv.Error("outcome", $"'{outcomeText}' is not won, lost, disqualified or open"),
                };
                var closed = csv.GetInstant("closedAt");
                if (closed < at)
                {
                    throw csv.Error("closedAt", $"the lead closed ({closed:O}) before it was scored ({at:O})");
                }

                leads.Add(lead);
                scoredAt.Add(at);
                outcomes.Add(outcome);
                closedAt.Add(closed);
            }
        }

        var file = activities is null ? null : ActivityCsvFile.Read(activities, activitiesFile, import, progress: null, cancellationToken);
        var builder = new BacktestHistoryBuilder();
        for (int i = 0; i < leads.Count; i++)
        {
            builder.Add(leads[i], scoredAt[i], outcomes[i], closedAt[i], file is null ? default : file.Take(leads[i].Id.Value));
        }

        file?.EnsureAllTaken("the history file");
        return builder.Build();
    }
}
