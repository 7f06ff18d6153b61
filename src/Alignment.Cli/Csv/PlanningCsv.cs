using System.Globalization;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Policies.Metrics;
using Alignment.Policies.Planning;
using Alignment.Segmentation;

namespace Alignment.Cli.Csv;

/// <summary>
/// Reads the files of <c>alignment plan</c> and <c>alignment report</c> (formats in <c>docs/data-formats.md</c>): the stage history
/// (<c>id,stage,at</c> and optional <c>source</c>, <c>campaign</c>, <c>segment</c>, <c>team</c>, <c>amount</c>, <c>firstTouchAt</c>),
/// revenue targets (<c>month,revenue</c> and optional <c>segment</c>, <c>team</c>) and marketing spend (<c>month,channel,amount</c> and
/// optional <c>campaign</c>). Column names are matched case-insensitively.
/// </summary>
/// <remarks>Stateless and thread-safe. Bad input throws <see cref="LeadCsvException"/> naming the file, line and column.</remarks>
internal static class PlanningCsv
{
    /// <summary>The most rows a planning file may have (a year of a large CRM's stage moves fits many times over).</summary>
    public const int MaxRows = 5_000_000;

    private static readonly string[] MonthFormats = ["yyyy-MM", "yyyy-MM-dd"];

    /// <summary>
    /// Reads a stage history: one row per stage a lead entered. A lead's rows may come in any order; they are applied by instant. Its
    /// first row (an <c>inquiry</c> row, or else its earliest) is its creation. A move the lifecycle does not allow directly (a CRM that
    /// goes from lead to opportunity) is filled in with the fewest stages between, at the same instant.
    /// </summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="file">The file name, for error messages.</param>
    /// <param name="cancellationToken">Checked between records.</param>
    /// <returns>The leads, in the order their first row appears.</returns>
    /// <exception cref="LeadCsvException">The file is malformed, a column is missing, a stage or instant or amount is not valid, or a lead's moves cannot be a lifecycle.</exception>
    public static List<FunnelLead> ReadStageHistory(TextReader reader, string file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var csv = CsvFiles.Open(reader, file);
        var columns = Columns(csv, file, ["id", "stage", "at"], ["source", "campaign", "segment", "team", "amount", "firstTouchAt"]);
        var rows = new Dictionary<string, LeadRows>(StringComparer.Ordinal);
        var order = new List<LeadRows>();
        var count = 0;
        while (csv.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            Limit(++count, file, csv.Line);
            var id = csv.GetTrimmed(columns["id"]) ?? throw new LeadCsvException(file, csv.Line, "id", "the lead id is empty");
            var stageText = csv.GetTrimmed(columns["stage"]) ?? throw new LeadCsvException(file, csv.Line, "stage", "the stage is empty");
            var stage = ParseStage(stageText) ?? throw new LeadCsvException(file, csv.Line, "stage",
                $"'{stageText}' is not a stage; use inquiry, mql, sal, sql, opportunity, won, lost, recycled or disqualified");
            var at = Instant(csv, columns["at"], file, "at") ?? throw new LeadCsvException(file, csv.Line, "at", "the instant is empty");
            if (!rows.TryGetValue(id, out var lead))
            {
                lead = new LeadRows(id);
                rows.Add(id, lead);
                order.Add(lead);
            }

            lead.Moves.Add((stage, at, csv.Line));
            lead.Source ??= Optional(csv, columns, "source");
            lead.Campaign ??= Optional(csv, columns, "campaign");
            lead.Segment ??= Optional(csv, columns, "segment");
            lead.Team ??= Optional(csv, columns, "team");
            if (columns.TryGetValue("amount", out var amountColumn) && csv.GetTrimmed(amountColumn) is { } amountText)
            {
                lead.Amount = Amount(amountText, file, csv.Line, "amount");
            }

            if (columns.TryGetValue("firstTouchAt", out var touchColumn) && Instant(csv, touchColumn, file, "firstTouchAt") is { } touch)
            {
                lead.FirstTouchAt = touch;
            }
        }

        var leads = new List<FunnelLead>(order.Count);
        foreach (var lead in order)
        {
            leads.Add(lead.Build(file));
        }

        return leads;
    }

    /// <summary>Reads revenue targets: <c>month,revenue</c> and optional <c>segment</c>, <c>team</c>.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="file">The file name, for error messages.</param>
    /// <returns>The targets in file order.</returns>
    /// <exception cref="LeadCsvException">The file is malformed, a column is missing, or a month or revenue is not valid.</exception>
    public static List<RevenueTarget> ReadTargets(TextReader reader, string file)
    {
        var csv = CsvFiles.Open(reader, file);
        var columns = Columns(csv, file, ["month", "revenue"], ["segment", "team"]);
        var targets = new List<RevenueTarget>();
        while (csv.Read())
        {
            Limit(targets.Count + 1, file, csv.Line);
            var month = Month(csv, columns["month"], file, "month");
            var revenue = Amount(csv.GetTrimmed(columns["revenue"]) ?? throw new LeadCsvException(file, csv.Line, "revenue", "the revenue is empty"), file, csv.Line, "revenue");
            targets.Add(new RevenueTarget(month, revenue) { Segment = Optional(csv, columns, "segment"), Team = Optional(csv, columns, "team") });
        }

        return targets;
    }

    /// <summary>Reads marketing spend: <c>month,channel,amount</c> and optional <c>campaign</c>.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="file">The file name, for error messages.</param>
    /// <returns>The rows in file order.</returns>
    /// <exception cref="LeadCsvException">The file is malformed, a column is missing, or a month, channel or amount is not valid.</exception>
    public static List<ChannelSpend> ReadSpend(TextReader reader, string file)
    {
        var csv = CsvFiles.Open(reader, file);
        var columns = Columns(csv, file, ["month", "channel", "amount"], ["campaign"]);
        var spend = new List<ChannelSpend>();
        while (csv.Read())
        {
            Limit(spend.Count + 1, file, csv.Line);
            var month = Month(csv, columns["month"], file, "month");
            var channel = csv.GetTrimmed(columns["channel"]) ?? throw new LeadCsvException(file, csv.Line, "channel", "the channel is empty");
            var amount = Amount(csv.GetTrimmed(columns["amount"]) ?? throw new LeadCsvException(file, csv.Line, "amount", "the amount is empty"), file, csv.Line, "amount");
            spend.Add(new ChannelSpend(month, channel, amount) { Campaign = Optional(csv, columns, "campaign") });
        }

        return spend;
    }

    /// <summary>
    /// Reads lead facts (<c>report --leads</c>): <c>id</c> and optional <c>createdAt</c>, <c>source</c>, <c>campaign</c>, <c>segment</c>,
    /// <c>team</c>, <c>amount</c>, <c>firstTouchAt</c>, <c>slaDueAt</c>, <c>escalated</c>; merged over the leads of a stage history.
    /// </summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="file">The file name, for error messages.</param>
    /// <param name="history">The leads of the stage history; a lead only in this file starts at inquiry on its <c>createdAt</c>.</param>
    /// <param name="cancellationToken">Checked between records.</param>
    /// <returns>The leads: the history's in its order, then those only in this file.</returns>
    /// <exception cref="LeadCsvException">The file is malformed, a column is missing, a value is not valid, an id repeats, or a lead without history has no <c>createdAt</c>.</exception>
    public static List<FunnelLead> MergeLeadFacts(TextReader reader, string file, IReadOnlyList<FunnelLead> history, CancellationToken cancellationToken)
    {
        var csv = CsvFiles.Open(reader, file);
        var columns = Columns(csv, file, ["id"], ["createdAt", "source", "campaign", "segment", "team", "amount", "firstTouchAt", "slaDueAt", "escalated"]);
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<FunnelLead>(history);
        for (var i = 0; i < result.Count; i++)
        {
            byId[result[i].Lifecycle.LeadId.Value] = i;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        while (csv.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            Limit(++count, file, csv.Line);
            var id = csv.GetTrimmed(columns["id"]) ?? throw new LeadCsvException(file, csv.Line, "id", "the lead id is empty");
            if (!seen.Add(id))
            {
                throw new LeadCsvException(file, csv.Line, "id", $"lead '{id}' appears twice");
            }

            var created = columns.TryGetValue("createdAt", out var c) ? Instant(csv, c, file, "createdAt") : null;
            FunnelLead baseLead;
            if (byId.TryGetValue(id, out var index))
            {
                baseLead = result[index];
            }
            else
            {
                baseLead = new FunnelLead(LeadLifecycle.Start(new LeadId(id)), created ?? throw new LeadCsvException(file, csv.Line, "createdAt", $"lead '{id}' has no stage history, so its createdAt is required"));
                index = result.Count;
                byId[id] = index;
                result.Add(baseLead);
            }

            decimal? amount = columns.TryGetValue("amount", out var a) && csv.GetTrimmed(a) is { } amountText ? Amount(amountText, file, csv.Line, "amount") : null;
            bool? escalated = null;
            if (columns.TryGetValue("escalated", out var e) && csv.GetTrimmed(e) is { } escalatedText)
            {
                escalated = escalatedText.ToLowerInvariant() switch
                {
                    "true" or "1" or "yes" => true,
                    "false" or "0" or "no" => false,
                    _ => throw new LeadCsvException(file, csv.Line, "escalated", $"'{escalatedText}' is not true or false"),
                };
            }

            var segment = Optional(csv, columns, "segment");
            result[index] = new FunnelLead(baseLead.Lifecycle, created ?? baseLead.CreatedAt)
            {
                Source = Optional(csv, columns, "source") ?? baseLead.Source,
                Campaign = Optional(csv, columns, "campaign") ?? baseLead.Campaign,
                Segment = segment is null ? baseLead.Segment : new SegmentId(segment),
                Team = Optional(csv, columns, "team") ?? baseLead.Team,
                WonAmount = baseLead.Lifecycle.Stage == LifecycleStage.Won ? amount ?? baseLead.WonAmount : null,
                FirstSalesTouchAt = (columns.TryGetValue("firstTouchAt", out var f) ? Instant(csv, f, file, "firstTouchAt") : null) ?? baseLead.FirstSalesTouchAt,
                SlaDueAt = (columns.TryGetValue("slaDueAt", out var d) ? Instant(csv, d, file, "slaDueAt") : null) ?? baseLead.SlaDueAt,
                Escalated = escalated ?? baseLead.Escalated,
                Touches = baseLead.Touches,
            };
        }

        return result;
    }

    /// <summary>
    /// Reads marketing touches (<c>report --activities</c>): <c>leadId</c>, <c>timestamp</c>, <c>source</c> and optional <c>campaign</c>
    /// (other columns, such as an activity file's <c>type</c> and <c>url</c>, are ignored; a row with an empty source is not a touch).
    /// </summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="file">The file name, for error messages.</param>
    /// <param name="leads">The leads; each gets its touches.</param>
    /// <param name="cancellationToken">Checked between records.</param>
    /// <returns>The leads with their touches, in the same order.</returns>
    /// <exception cref="LeadCsvException">The file is malformed, a column is missing, an instant is not valid, or a touch names an unknown lead.</exception>
    public static List<FunnelLead> AddTouches(TextReader reader, string file, IReadOnlyList<FunnelLead> leads, CancellationToken cancellationToken)
    {
        var csv = CsvFiles.Open(reader, file);
        var columns = Columns(csv, file, ["leadId", "timestamp", "source"], ["campaign", "type", "url"]);
        var touches = new Dictionary<string, List<MarketingTouch>>(StringComparer.Ordinal);
        foreach (var lead in leads)
        {
            touches[lead.Lifecycle.LeadId.Value] = [];
        }

        var count = 0;
        while (csv.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            Limit(++count, file, csv.Line);
            var id = csv.GetTrimmed(columns["leadId"]) ?? throw new LeadCsvException(file, csv.Line, "leadId", "the lead id is empty");
            if (csv.GetTrimmed(columns["source"]) is not { } source)
            {
                continue;
            }

            var at = Instant(csv, columns["timestamp"], file, "timestamp") ?? throw new LeadCsvException(file, csv.Line, "timestamp", "the instant is empty");
            if (!touches.TryGetValue(id, out var list))
            {
                throw new LeadCsvException(file, csv.Line, "leadId", $"lead '{id}' is in neither the leads nor the history");
            }

            list.Add(new MarketingTouch(at, source, Optional(csv, columns, "campaign")));
        }

        return [.. leads.Select(l => touches[l.Lifecycle.LeadId.Value] is { Count: > 0 } t
            ? new FunnelLead(l.Lifecycle, l.CreatedAt)
            {
                Source = l.Source, Campaign = l.Campaign, Segment = l.Segment, Team = l.Team, WonAmount = l.WonAmount,
                FirstSalesTouchAt = l.FirstSalesTouchAt, SlaDueAt = l.SlaDueAt, Escalated = l.Escalated, Touches = [.. t],
            }
            : l)];
    }

    /// <summary>Reads a stage name: our names, the enum's, and the usual spellings (<c>Closed Won</c>, <c>Marketing Qualified</c>).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The stage, or <see langword="null"/>.</returns>
    public static LifecycleStage? ParseStage(string text)
    {
        Span<char> buffer = stackalloc char[Math.Min(text.Length, 64)];
        var length = 0;
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, 64)))
        {
            if (char.IsLetter(c))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..length]) switch
        {
            "inquiry" or "lead" or "new" => LifecycleStage.Inquiry,
            "mql" or "marketingqualified" or "marketingqualifiedlead" => LifecycleStage.MarketingQualified,
            "sal" or "salesaccepted" or "salesacceptedlead" => LifecycleStage.SalesAccepted,
            "sql" or "salesqualified" or "salesqualifiedlead" => LifecycleStage.SalesQualified,
            "opportunity" or "opp" => LifecycleStage.Opportunity,
            "won" or "closedwon" => LifecycleStage.Won,
            "lost" or "closedlost" => LifecycleStage.Lost,
            "recycled" or "nurture" => LifecycleStage.Recycled,
            "disqualified" or "unqualified" => LifecycleStage.Disqualified,
            _ => null,
        };
    }

    private sealed class LeadRows(string id)
    {
        public string Id { get; } = id;

        public List<(LifecycleStage Stage, DateTimeOffset At, int Line)> Moves { get; } = [];

        public string? Source { get; set; }

        public string? Campaign { get; set; }

        public string? Segment { get; set; }

        public string? Team { get; set; }

        public decimal? Amount { get; set; }

        public DateTimeOffset? FirstTouchAt { get; set; }

        public FunnelLead Build(string file)
        {
            // By instant; rows of one instant in file order (List.Sort is not stable, so the line breaks ties).
            Moves.Sort(static (a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Line.CompareTo(b.Line));
            var created = Moves[0].At;
            var lifecycle = LeadLifecycle.Start(new LeadId(Id));
            for (var i = 0; i < Moves.Count; i++)
            {
                var (stage, at, line) = Moves[i];
                if (stage == lifecycle.Stage)
                {
                    // The creation row, or the same stage exported twice.
                    continue;
                }

                if (stage == LifecycleStage.Inquiry)
                {
                    throw new LeadCsvException(file, line, "stage", $"lead '{Id}' is an inquiry again after {lifecycle.Stage}; a lead is created once");
                }

                var path = PathTo(lifecycle.Stage, stage)
                    ?? throw new LeadCsvException(file, line, "stage", $"lead '{Id}' cannot move from {lifecycle.Stage} to {stage}: no lifecycle allows it ({lifecycle.Stage} is final or the move goes back)");
                foreach (var step in path)
                {
                    lifecycle = lifecycle.Transition(step, at, LifecycleActor.System, step == stage ? "from the stage history" : "implied by the stage history");
                }
            }

            return new FunnelLead(lifecycle, created)
            {
                Source = Source,
                Campaign = Campaign,
                Segment = Segment is null ? null : new SegmentId(Segment),
                Team = Team,
                WonAmount = lifecycle.Stage == LifecycleStage.Won ? Amount : null,
                FirstSalesTouchAt = FirstTouchAt,
            };
        }
    }

    /// <summary>The fewest stages from one stage to another that the lifecycle allows (breadth first), ending with the target; <see langword="null"/> when none.</summary>
    private static List<LifecycleStage>? PathTo(LifecycleStage from, LifecycleStage to)
    {
        var previous = new Dictionary<LifecycleStage, LifecycleStage> { [from] = from };
        var queue = new Queue<LifecycleStage>([from]);
        while (queue.TryDequeue(out var stage))
        {
            foreach (var next in LifecycleStateMachine.AllowedFrom(stage))
            {
                if (!previous.TryAdd(next, stage))
                {
                    continue;
                }

                if (next == to)
                {
                    var path = new List<LifecycleStage> { to };
                    for (var s = stage; s != from; s = previous[s])
                    {
                        path.Add(s);
                    }

                    path.Reverse();
                    return path;
                }

                queue.Enqueue(next);
            }
        }

        return null;
    }

    private static Dictionary<string, int> Columns(CsvRecordReader csv, string file, string[] required, string[] optional)
    {
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < csv.Header.Count; i++)
        {
            var name = csv.Header[i].Trim();
            foreach (var known in required.Concat(optional))
            {
                if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase) && !columns.TryAdd(known, i))
                {
                    throw new LeadCsvException(file, csv.HeaderLine, known, "the column appears twice in the header");
                }
            }
        }

        foreach (var name in required)
        {
            if (!columns.ContainsKey(name))
            {
                throw new LeadCsvException(file, csv.HeaderLine, name, $"the column is missing from the header (it needs {string.Join(", ", required)}; it may have {string.Join(", ", optional)})");
            }
        }

        return columns;
    }

    private static string? Optional(CsvRecordReader csv, Dictionary<string, int> columns, string name) =>
        columns.TryGetValue(name, out var i) ? csv.GetTrimmed(i) : null;

    private static DateTimeOffset? Instant(CsvRecordReader csv, int column, string file, string name)
    {
        var text = csv.GetTrimmed(column);
        if (text is null)
        {
            return null;
        }

        return Commands.CommandInputs.TryParseInstant(text, out var at)
            ? at
            : throw new LeadCsvException(file, csv.Line, name, $"'{text}' is not an ISO 8601 date or instant (2026-03-01 or 2026-03-01T09:30:00Z)");
    }

    private static DateOnly Month(CsvRecordReader csv, int column, string file, string name)
    {
        var text = csv.GetTrimmed(column) ?? throw new LeadCsvException(file, csv.Line, name, "the month is empty");
        return DateOnly.TryParseExact(text, MonthFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
            ? month
            : throw new LeadCsvException(file, csv.Line, name, $"'{text}' is not a month (2026-03 or 2026-03-01)");
    }

    private static decimal Amount(string text, string file, int line, string name) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount <= 1_000_000_000_000m
            ? amount
            : throw new LeadCsvException(file, line, name, $"'{text}' is not an amount (digits with an optional decimal point, no sign or grouping, at most 1e12)");

    private static void Limit(int rows, string file, int line)
    {
        if (rows > MaxRows)
        {
            throw new LeadCsvException(file, line, null, $"the file has more than {MaxRows:N0} rows");
        }
    }
}
