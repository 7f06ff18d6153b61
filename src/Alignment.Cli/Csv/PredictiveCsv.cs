using System.Collections.Immutable;
using System.Globalization;
using Alignment.Scoring.Predictive;

namespace Alignment.Cli.Csv;

/// <summary>
/// Reads and writes the CSV files of predictive scoring on a CRM export (formats in <c>docs/data-formats.md</c>):
/// <c>STAGES.csv</c> (<c>name,sequence,is_won</c>), <c>HISTORY.csv</c> (<c>id,team,stage,outcome,</c> fields, tags),
/// <c>LEADS.csv</c> (the same without <c>outcome</c>) and the <c>id,probability</c> output.
/// </summary>
/// <remarks>
/// Columns are found by their header name (exact, ordinal), in any order; other columns are ignored. An empty cell is an unset value.
/// The text is RFC 4180 CSV as <see cref="LeadCsvReader"/> reads it (quoted cells, <c>""</c> for a quote, line breaks inside quotes,
/// LF, CRLF or a lone CR ending a line, inside quoted cells too, a byte-order mark skipped, blank lines skipped, every record with as
/// many cells as the header, at most 16 Mi characters per record, its line ending not counted). Malformed input throws
/// <see cref="LeadCsvException"/> naming the file, the line (the physical line of the file; the header is line 1) and the column; no
/// other exception of the parser escapes. All members are stateless and thread-safe; the readers do not close the
/// <see cref="TextReader"/> they are given.
/// </remarks>
internal static class PredictiveCsv
{
    /// <summary>The id column.</summary>
    public const string IdColumn = "id";

    /// <summary>The team column (empty: no team).</summary>
    public const string TeamColumn = "team";

    /// <summary>The stage column (empty: no stage).</summary>
    public const string StageColumn = "stage";

    /// <summary>The outcome column of the history: <c>won</c>, <c>lost</c> or <c>open</c>.</summary>
    public const string OutcomeColumn = "outcome";

    /// <summary>The lost reason column of a CRM export read with a mapping: a lead with one is lost whatever its stage.</summary>
    public const string LostReasonColumn = "lostReason";

    /// <summary>The separator between tags in the tags column.</summary>
    public const char TagSeparator = ';';

    /// <summary>Reads the pipeline stages: columns <c>name,sequence,is_won</c>.</summary>
    /// <param name="reader">The CSV text.</param>
    /// <param name="fileName">The file name, used in error messages.</param>
    /// <returns>The stages in file order.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="LeadCsvException">
    /// A record is not well-formed CSV or has more or fewer cells than the header, a column is missing, a name is empty or repeated, a sequence is not an integer, <c>is_won</c> is not <c>true</c>/<c>false</c>/<c>1</c>/<c>0</c>,
    /// or there is no stage.
    /// </exception>
    public static ImmutableArray<PipelineStage> ReadStages(TextReader reader, string fileName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(fileName);
        var csv = Open(reader, fileName);
        var name = Require(csv, fileName, "name", "Stage Name");
        var sequence = Require(csv, fileName, "sequence", "Sequence");
        var isWon = Require(csv, fileName, "is_won", "Is Won Stage?");
        var stages = ImmutableArray.CreateBuilder<PipelineStage>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (csv.Read())
        {
            var line = csv.Line;
            var stageName = Cell(csv, name);
            if (stageName.Length == 0)
            {
                throw new LeadCsvException(fileName, line, "name", "the stage name is empty");
            }

            if (!names.Add(stageName))
            {
                throw new LeadCsvException(fileName, line, "name", $"stage '{stageName}' is listed more than once");
            }

            var sequenceText = Cell(csv, sequence).Trim();
            if (!int.TryParse(sequenceText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var sequenceValue))
            {
                throw new LeadCsvException(fileName, line, "sequence", $"'{sequenceText}' is not an integer");
            }

            var wonText = Cell(csv, isWon).Trim();
            bool won;
            if (wonText.Equals("true", StringComparison.OrdinalIgnoreCase) || wonText == "1")
            {
                won = true;
            }
            else if (wonText.Equals("false", StringComparison.OrdinalIgnoreCase) || wonText == "0")
            {
                won = false;
            }
            else
            {
                throw new LeadCsvException(fileName, line, "is_won", $"'{wonText}' is not true, false, 1 or 0");
            }

            stages.Add(new PipelineStage(stageName, sequenceValue, won));
        }

        if (stages.Count == 0)
        {
            throw new LeadCsvException(fileName, 1, null, "the file lists no stage");
        }

        return stages.ToImmutable();
    }

    /// <summary>
    /// Reads the header of a history or leads file and returns its field columns: every column except <c>id</c>, <c>team</c>,
    /// <c>stage</c>, <c>outcome</c> and the tags column, in file order. Use it when the fields are not given explicitly.
    /// </summary>
    /// <param name="reader">The CSV text (only the header is read).</param>
    /// <param name="fileName">The file name, used in error messages.</param>
    /// <param name="tagsColumn">The tags column, or <see langword="null"/> when there is none.</param>
    /// <returns>The field names.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="fileName"/> is null.</exception>
    /// <exception cref="LeadCsvException">The file is empty or its header is not well-formed CSV.</exception>
    public static ImmutableArray<string> ReadFieldNames(TextReader reader, string fileName, string? tagsColumn, CsvImport? import = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(fileName);
        var csv = Open(reader, fileName);
        var fields = ImmutableArray.CreateBuilder<string>();
        var mapping = import?.Mapping;
        foreach (var written in csv.Header)
        {
            // With a mapping a column is named as the mapping names it (ours), a column the mapping ignores is no field, and the
            // column it maps to outcome (the CRM's stage or status) is the stage.
            if (mapping is null)
            {
                if (written is not (IdColumn or TeamColumn or StageColumn or OutcomeColumn) && written != tagsColumn)
                {
                    fields.Add(written);
                }

                continue;
            }

            // Our columns compare case-insensitively; besides id, team, stage and outcome, the lost reason and the instants (a
            // close date is known only once the outcome is) are no fields.
            string column = mapping.Resolve(written);
            string ours = Alignment.Leads.Import.CrmColumns.TryNormalize(column, out var canonical) ? canonical : column;
            if (column.Length > 0
                && ours is not (IdColumn or TeamColumn or StageColumn or OutcomeColumn or LostReasonColumn)
                && !Alignment.Leads.Import.CrmColumns.Instants.Contains(ours, StringComparer.OrdinalIgnoreCase)
                && !string.Equals(column, tagsColumn, StringComparison.OrdinalIgnoreCase)
                && !string.Equals(written.Trim(), tagsColumn, StringComparison.OrdinalIgnoreCase))
            {
                fields.Add(column);
            }
        }

        return fields.ToImmutable();
    }

    /// <summary>
    /// Reads closed and open leads from a history file (<c>id,team,stage,outcome</c>, one column per field of the scorer, and the tags
    /// column). Records are produced as the file is read, so pass the result straight to <see cref="PredictiveScorer.Rebuild"/>.
    /// </summary>
    /// <param name="reader">The CSV text; read when the result is enumerated.</param>
    /// <param name="fileName">The file name, used in error messages.</param>
    /// <param name="scorer">The scorer whose <see cref="PredictiveScorer.Stages"/> and <see cref="PredictiveScorer.Fields"/> the file must match.</param>
    /// <param name="tagsColumn">The tags column (tags separated by <c>;</c>), or <see langword="null"/> to read no tags.</param>
    /// <returns>The records, lazily; an open lead has <see cref="LeadOutcome.Open"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="tagsColumn"/> is null.</exception>
    /// <exception cref="LeadCsvException">
    /// On enumeration: a record is not well-formed CSV or has more or fewer cells than the header, a column is missing, an id is empty, an outcome is not <c>won</c>, <c>lost</c> or <c>open</c>, or a stage is unknown.
    /// </exception>
    public static IEnumerable<PredictiveRecord> ReadHistory(TextReader reader, string fileName, PredictiveScorer scorer, string? tagsColumn, CsvImport? import = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(scorer);
        return ReadRecords(reader, fileName, scorer, tagsColumn, withOutcome: true, import);
    }

    /// <summary>Reads open leads to score from a leads file: the history columns without <c>outcome</c>.</summary>
    /// <param name="reader">The CSV text; read when the result is enumerated.</param>
    /// <param name="fileName">The file name, used in error messages.</param>
    /// <param name="scorer">The scorer whose stages and fields the file must match.</param>
    /// <param name="tagsColumn">The tags column, or <see langword="null"/> to read no tags.</param>
    /// <returns>The leads, lazily, each with <see cref="LeadOutcome.Open"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="tagsColumn"/> is null.</exception>
    /// <exception cref="LeadCsvException">
    /// On enumeration: a record is not well-formed CSV or has more or fewer cells than the header, a column is missing, an id is empty
    /// or a stage is unknown.
    /// </exception>
    public static IEnumerable<PredictiveRecord> ReadLeads(TextReader reader, string fileName, PredictiveScorer scorer, string? tagsColumn, CsvImport? import = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(scorer);
        return ReadRecords(reader, fileName, scorer, tagsColumn, withOutcome: false, import);
    }

    /// <summary>
    /// Scores each lead and writes <c>id,probability</c>: the probability in percent with two decimals (invariant culture), empty when the
    /// lead cannot be scored.
    /// </summary>
    /// <param name="writer">Where to write (not closed).</param>
    /// <param name="scorer">The trained scorer.</param>
    /// <param name="leads">The leads to score, for example from <see cref="ReadLeads"/>.</param>
    /// <param name="raw">
    /// <see langword="false"/> (the default) to make the file safe to open in a spreadsheet: an id that starts with <c>=</c>, <c>+</c>,
    /// <c>-</c>, <c>@</c>, a tab or a carriage return (a formula, unless it is a plain number such as <c>-7</c>) is written with a
    /// <c>'</c> in front; <see langword="true"/> to write ids exactly as they came, for a program that reads the file.
    /// </param>
    /// <returns>How many leads were written and how many of them could not be scored.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static (int Written, int Unscorable) WriteProbabilities(TextWriter writer, PredictiveScorer scorer, IEnumerable<PredictiveRecord> leads, bool raw = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(leads);
        writer.Write("id,probability\n");
        int written = 0, unscorable = 0;
        foreach (var lead in leads)
        {
            WriteCell(writer, raw ? lead.Id : Neutralise(lead.Id));
            writer.Write(',');
            if (scorer.TryScore(lead, out var probability))
            {
                writer.Write(FormatProbability(probability));
            }
            else
            {
                unscorable++;
            }

            writer.Write('\n');
            written++;
        }

        return (written, unscorable);
    }

    /// <summary>Formats a probability as the output file does: two decimals, invariant culture (for example <c>42.50</c>).</summary>
    /// <param name="probability">The probability in percent.</param>
    /// <returns>The text.</returns>
    public static string FormatProbability(double probability) => probability.ToString("0.00", CultureInfo.InvariantCulture);

    private static IEnumerable<PredictiveRecord> ReadRecords(
        TextReader reader, string fileName, PredictiveScorer scorer, string? tagsColumn, bool withOutcome, CsvImport? import)
    {
        var csv = Open(reader, fileName);
        var mapping = import?.Mapping;
        var names = mapping is null ? null : MappedNames(csv, mapping);
        var id = Require(csv, fileName, IdColumn, names: names, import: import);
        int team, stage, outcome, lostReason = -1;
        bool outcomeFromStage = false;
        if (names is null)
        {
            team = Require(csv, fileName, TeamColumn);
            stage = Require(csv, fileName, StageColumn);
            outcome = withOutcome ? Require(csv, fileName, OutcomeColumn) : -1;
        }
        else
        {
            // A CRM export: the team is optional (a preset maps its sales team column when the CRM has one); the column the mapping
            // maps to outcome is the CRM's stage or status, so when the file has no stage column of its own it is the stage, and the
            // outcome is the mapping's outcome of that stage.
            team = names.TryGetValue(TeamColumn, out int t) ? t : -1;
            lostReason = names.TryGetValue(LostReasonColumn, out int lr) ? lr : -1;
            bool hasStage = names.TryGetValue(StageColumn, out stage);
            bool hasOutcome = names.TryGetValue(OutcomeColumn, out outcome);
            if (!hasStage)
            {
                stage = hasOutcome ? outcome : throw import!.Missing(fileName, csv.HeaderLine, StageColumn, csv.Header);
                outcomeFromStage = true;
            }

            if (!withOutcome)
            {
                outcome = -1;
            }
            else if (!hasOutcome && lostReason < 0)
            {
                throw import!.Missing(fileName, csv.HeaderLine, OutcomeColumn, csv.Header);
            }
        }

        var fields = scorer.Fields;
        var fieldOrdinals = new int[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            fieldOrdinals[i] = Require(csv, fileName, fields[i], names: names, import: import);
        }

        var tags = tagsColumn is null ? -1 : Require(csv, fileName, tagsColumn, names: names, import: import);
        var stageNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in scorer.Stages)
        {
            stageNames.Add(s.Name);
        }

        while (csv.Read())
        {
            var line = csv.Line;
            var idText = Cell(csv, id);
            if (idText.Length == 0)
            {
                throw new LeadCsvException(fileName, line, IdColumn, "the id is empty");
            }

            var stageText = Cell(csv, stage);
            if (outcomeFromStage && stageText.Length > 0 && !stageNames.Contains(stageText) && import!.TryOutcome(stageText, out _))
            {
                // A status that is no pipeline stage (Salesforce's "Closed - Converted", Odoo's "Lost"): the outcome (read from the
                // same cell below), without a stage.
                stageText = string.Empty;
            }
            else if (outcomeFromStage && stageText.Length > 0 && !stageNames.Contains(stageText))
            {
                throw new LeadCsvException(
                    fileName,
                    line,
                    StageColumn,
                    $"'{stageText}' is neither a stage of the stages file nor a {import!.Mapping!.Name} stage or status the mapping reads as an outcome; " +
                    "add it to the stages file or map it in a mapping file's \"outcomes\"");
            }
            else if (stageText.Length > 0 && !stageNames.Contains(stageText))
            {
                throw new LeadCsvException(fileName, line, StageColumn, $"'{stageText}' is not a stage of the stages file");
            }

            var leadOutcome = LeadOutcome.Open;
            if (withOutcome && lostReason >= 0 && Cell(csv, lostReason).Trim().Length > 0)
            {
                leadOutcome = LeadOutcome.Lost; // lost in the stage it was in (Odoo keeps it)
            }
            else if (withOutcome && import?.Mapping is not null && outcome < 0)
            {
                leadOutcome = LeadOutcome.Open; // no outcome column: only the lost reason tells
            }
            else if (withOutcome && import?.Mapping is not null)
            {
                var outcomeText = Cell(csv, outcome).Trim();
                if (!import.TryOutcome(outcomeText, out var ours))
                {
                    var known = import.Mapping.Outcomes.Keys.Order(StringComparer.OrdinalIgnoreCase);
                    throw new LeadCsvException(
                        fileName,
                        line,
                        outcomeFromStage ? StageColumn : OutcomeColumn,
                        $"'{outcomeText}' is neither a {import.Mapping.Name} stage or status the mapping knows ({string.Join(", ", known)}) nor won, lost or open; map it in a mapping file's \"outcomes\"");
                }

                // Disqualified leads are closed without a sale: lost, for the win probability.
                leadOutcome = ours switch { "won" => LeadOutcome.Won, "open" => LeadOutcome.Open, _ => LeadOutcome.Lost };
            }
            else if (withOutcome)
            {
                var outcomeText = Cell(csv, outcome).Trim();
                leadOutcome = outcomeText.ToUpperInvariant() switch
                {
                    "WON" => LeadOutcome.Won,
                    "LOST" => LeadOutcome.Lost,
                    "OPEN" => LeadOutcome.Open,
                    _ => throw new LeadCsvException(fileName, line, OutcomeColumn, $"'{outcomeText}' is not won, lost or open"),
                };
            }

            var values = new string?[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                var value = Cell(csv, fieldOrdinals[i]);
                values[i] = value.Length == 0 ? null : value;
            }

            var tagList = ImmutableArray<string>.Empty;
            if (tags >= 0)
            {
                var tagText = Cell(csv, tags);
                if (tagText.Length > 0)
                {
                    var builder = ImmutableArray.CreateBuilder<string>();
                    foreach (var part in tagText.Split(TagSeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        builder.Add(part);
                    }

                    tagList = builder.ToImmutable();
                }
            }

            var teamText = team < 0 ? string.Empty : Cell(csv, team);
            yield return new PredictiveRecord(
                idText,
                teamText.Length == 0 ? null : teamText,
                stageText.Length == 0 ? null : stageText,
                leadOutcome,
                ImmutableArray.Create(values),
                tagList);
        }
    }

    private static CsvRecordReader Open(TextReader reader, string fileName) => CsvFiles.Open(reader, fileName);

    private static int Require(CsvRecordReader csv, string fileName, string column, string? alias = null, Dictionary<string, int>? names = null, CsvImport? import = null)
    {
        if (names is not null)
        {
            return names.TryGetValue(column, out int at) ? at : throw import!.Missing(fileName, csv.HeaderLine, column, csv.Header);
        }

        for (var i = 0; i < csv.Header.Count; i++)
        {
            if (string.Equals(csv.Header[i], column, StringComparison.Ordinal) || (alias is not null && string.Equals(csv.Header[i].Trim(), alias, StringComparison.Ordinal)))
            {
                return i;
            }
        }

        throw new LeadCsvException(fileName, csv.HeaderLine, column, "the column is missing from the header");
    }

    /// <summary>
    /// A CRM export's columns by the names the mapping gives them (ours), and every column also by its header as written, so that
    /// <c>--fields</c> and <c>--tags-column</c> may name either; a column the mapping ignores is found only by its header.
    /// </summary>
    private static Dictionary<string, int> MappedNames(CsvRecordReader csv, Alignment.Leads.Import.CrmMapping mapping)
    {
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < csv.Header.Count; i++)
        {
            string resolved = mapping.Resolve(csv.Header[i]);
            if (resolved.Length > 0)
            {
                names.TryAdd(resolved, i);
            }
        }

        for (var i = 0; i < csv.Header.Count; i++)
        {
            // A header spelled as one of our columns but mapped to another (Odoo's "Stage" is the outcome) is not that column of ours.
            string written = csv.Header[i].Trim();
            if (!Alignment.Leads.Import.CrmColumns.TryNormalize(written, out _) || string.Equals(mapping.Resolve(written), written, StringComparison.OrdinalIgnoreCase))
            {
                names.TryAdd(written, i);
            }
        }

        return names;
    }

    private static string Cell(CsvRecordReader csv, int ordinal) => csv.GetString(ordinal);

    // A spreadsheet runs a cell that starts with one of these as a formula (tab and CR start DDE payloads in some of them). A plain
    // decimal number (optional sign, digits, optional point and digits: -7, +12.5) is left alone, as CsvText.Neutralise does.
    private static string Neutralise(string text) =>
        text.Length > 0 && "=+-@\t\r".Contains(text[0], StringComparison.Ordinal) && !IsPlainNumber(text) ? "'" + text : text;

    private static bool IsPlainNumber(ReadOnlySpan<char> text)
    {
        if (text.Length > 0 && text[0] is '+' or '-')
        {
            text = text[1..];
        }

        int point = text.IndexOf('.');
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? "1".AsSpan() : text[(point + 1)..];
        return whole.Length > 0 && fraction.Length > 0 && !whole.ContainsAnyExceptInRange('0', '9') && !fraction.ContainsAnyExceptInRange('0', '9');
    }

    private static void WriteCell(TextWriter writer, string text)
    {
        if (text.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(text);
            return;
        }

        writer.Write('"');
        writer.Write(text.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }
}
