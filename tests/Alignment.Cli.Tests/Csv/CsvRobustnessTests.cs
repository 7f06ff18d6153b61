using System.Text;
using Alignment.Cli.Csv;
using Alignment.Scoring.Predictive;

namespace Alignment.Cli.Tests.Csv;

/// <summary>
/// Every CSV reader of the command, through its entry points, on the files a CRM export really produces (very wide headers, very
/// long cells, quoted line breaks, CRLF, a byte-order mark) and on malformed or endless input: every problem is a
/// <see cref="LeadCsvException"/> naming the file, line and column, never a parser exception, and never values in the wrong columns.
/// </summary>
public sealed class CsvRobustnessTests
{
    public static TheoryData<string> Kinds => new() { "leads", "activities", "history", "predictive", "stages" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Header_With650Columns_IsRead(string kind)
    {
        var extra = Enumerable.Range(0, 650).Select(i => $"hs_custom_property_export_{i:000}").ToArray();
        string header = Header(kind) + "," + string.Join(",", extra);
        Assert.True(header.Length > 18_000);
        string filler = new(',', extra.Length);

        var values = Read(kind, $"{header}\n{Row(kind, 1, "Acme")}{filler}\n{Row(kind, 2, "Globex")}{filler}\n");

        Assert.Equal(["Acme", "Globex"], values);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Cell_OfOneMegabyte_WithQuotesCommasAndLineBreaks_IsRead(string kind)
    {
        string big = "start, \"quoted\"\n" + new string('x', 1 << 20) + "\r\nend";
        string quoted = "\"" + big.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

        var values = Read(kind, $"{Header(kind)}\n{Row(kind, 1, quoted)}\n{Row(kind, 2, "after")}\n");

        Assert.Equal([big, "after"], values);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void NotesCell_Of20000Characters_IsRead(string kind)
    {
        string notes = string.Concat(Enumerable.Repeat("Called back; ", 1_600))[..20_000];

        var values = Read(kind, $"{Header(kind)}\n{Row(kind, 1, notes)}\n");

        Assert.Equal([notes], values);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void QuotedLineBreaks_BomCrlfAndBlankLines_AreReadAndLinesCountedInTheFile(string kind)
    {
        // Line 1 header, lines 2-4 the first record (a cell over three lines), 5 blank, 6 the second record, 7 a stray quote.
        string bad = Row(kind, 3, "Ac\"me");
        string csv = $"\uFEFF{Header(kind)}\r\n{Row(kind, 1, "\"one\r\ntwo\r\nthree\"")}\r\n\r\n{Row(kind, 2, "\"say \"\"hi\"\"\"")}\r\n";

        Assert.Equal(["one\r\ntwo\r\nthree", "say \"hi\""], Read(kind, csv));
        var ex = Assert.Throws<LeadCsvException>(() => Read(kind, csv + bad + "\r\n"));
        Assert.Equal(7, ex.Line);
        Assert.Contains($"a quote inside an unquoted cell, at column {bad.IndexOf('"', StringComparison.Ordinal) + 1}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void UnterminatedQuote_IsReportedAtTheOpeningQuote(string kind)
    {
        string bad = Row(kind, 2, "\"Acme");
        string csv = $"{Header(kind)}\n{Row(kind, 1, "ok")}\n{bad}\n{Row(kind, 3, "ok")}\n";

        var ex = Assert.Throws<LeadCsvException>(() => Read(kind, csv));

        Assert.Equal(("data.csv", 3), (ex.FileName, ex.Line));
        Assert.Contains($"the quoted cell that starts at column {bad.IndexOf('"', StringComparison.Ordinal) + 1} is never closed", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void QuoteInTheMiddleOfACell_IsReportedWithLineAndColumn(string kind)
    {
        string bad = Row(kind, 2, "Acme \"West\"");

        var ex = Assert.Throws<LeadCsvException>(() => Read(kind, $"{Header(kind)}\n{Row(kind, 1, "ok")}\n{bad}\n"));

        Assert.Equal(3, ex.Line);
        Assert.StartsWith($"data.csv, line 3: a quote inside an unquoted cell, at column {bad.IndexOf('"', StringComparison.Ordinal) + 1}:", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TextAfterTheClosingQuote_IsReportedWithLineAndColumn(string kind)
    {
        string bad = Row(kind, 1, "\"Acme\" Inc");

        var ex = Assert.Throws<LeadCsvException>(() => Read(kind, $"{Header(kind)}\n{bad}\n"));

        Assert.Equal(2, ex.Line);
        Assert.StartsWith($"data.csv, line 2: text after the closing quote of a cell, at column {bad.IndexOf(" Inc", StringComparison.Ordinal) + 1}:", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void MoreCellsThanTheHeader_IsAnError_NotValuesInTheWrongColumns(string kind)
    {
        string bad = Row(kind, 2, "Acme, Inc.");

        var ex = Assert.Throws<LeadCsvException>(() => Read(kind, $"{Header(kind)}\n{Row(kind, 1, "ok")}\n{bad}\n"));

        Assert.Equal(3, ex.Line);
        Assert.Contains($"the record has more cells than the header ({Header(kind).Split(',').Length}): cell {Header(kind).Split(',').Length + 1} starts at column", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void FewerCellsThanTheHeader_EvenInAColumnNotRead_IsAnErrorNamingTheFirstMissingColumn(string kind)
    {
        int cells = Header(kind).Split(',').Length;

        var ex = Assert.Throws<LeadCsvException>(() => Read(kind, $"{Header(kind)},remarks\n{Row(kind, 1, "ok")},x\n\n{Row(kind, 2, "ok")}\n"));

        Assert.Equal($"data.csv, line 4, column 'remarks': the record has {cells} cells but the header has {cells + 1}", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EndlessInputWithoutLineBreak_IsRefusedAtTheRecordLimit(string kind)
    {
        var endless = new EndlessReader($"{Header(kind)}\n{Row(kind, 1, "ok")}\n{Row(kind, 2, string.Empty)}");

        var ex = Assert.Throws<LeadCsvException>(() => Read(kind, endless));

        Assert.Equal(3, ex.Line);
        Assert.Contains("the record is longer than 16,777,216 characters", ex.Message, StringComparison.Ordinal);
        Assert.InRange(endless.Served, 16 << 20, 18 << 20);
    }

    [Fact]
    public void LeadCsvReader_RecordSplitByAnUnquotedComma_IsRefused_NotScoredWithShiftedValues()
    {
        using var csv = new LeadCsvReader(new StringReader("id,company,industry\nL1,Acme, Inc.,Software\n"), "leads.csv");

        var ex = Assert.Throws<LeadCsvException>(() => csv.Read());

        Assert.Equal("leads.csv, line 2: the record has more cells than the header (3): cell 4 starts at column 15; a cell that contains a comma must be quoted (\"Acme, Inc.\")", ex.Message);
    }

    [Fact]
    public void LeadCsvReader_LineOfARecordAfterAQuotedLineBreak_IsItsLineInTheFile()
    {
        using var csv = new LeadCsvReader(new StringReader("id,company\nL1,\"a\nb\"\nL2,c\n"), "leads.csv");

        Assert.True(csv.Read());
        Assert.Equal(2, csv.Line);
        Assert.True(csv.Read());
        Assert.Equal(4, csv.Line);
    }

    private static string Header(string kind) => kind switch
    {
        "leads" => "id,industry,company",
        "activities" => "leadId,type,timestamp,url",
        "history" => "id,scoredAt,outcome,company",
        "predictive" => "id,team,stage,company",
        _ => "sequence,is_won,name",
    };

    /// <summary>A record whose last cell is <paramref name="cell"/>, written as is (the caller quotes it).</summary>
    private static string Row(string kind, int n, string cell) => kind switch
    {
        "leads" => $"L{n},Software,{cell}",
        "activities" => $"L{n},pageView,2026-01-0{n},{cell}",
        "history" => $"L{n},2026-01-01,won,{cell}",
        "predictive" => $"L{n},,New,{cell}",
        _ => $"{n},false,{cell}",
    };

    private static List<string?> Read(string kind, string csv) => Read(kind, new StringReader(csv));

    /// <summary>The last cell of every record, as the reader of that kind gives it.</summary>
    private static List<string?> Read(string kind, TextReader reader)
    {
        switch (kind)
        {
            case "leads":
                return [.. LeadCsvReader.ReadAll(reader, "data.csv").Select(l => l.Company.Name)];
            case "activities":
                var file = ActivityCsvFile.Read(reader, "data.csv");
                return [.. Enumerable.Range(1, (int)file.Count).Select(n => file.Take($"L{n}")[0].Url)];
            case "history":
                var history = BacktestCsv.ReadHistory(reader, "data.csv", null, "activities.csv");
                return [.. Enumerable.Range(0, history.Count).Select(i => history[i].Lead.Company.Name)];
            case "predictive":
                using (var scorer = new PredictiveScorer([new PipelineStage("New", 1, false), new PipelineStage("Won", 2, true)], new PredictiveScoringOptions { Fields = ["company"] }))
                {
                    return [.. PredictiveCsv.ReadLeads(reader, "data.csv", scorer, null).Select(r => r.Values[0])];
                }

            default:
                return [.. PredictiveCsv.ReadStages(reader, "data.csv").Select(s => (string?)s.Name)];
        }
    }

    /// <summary>A text that starts with a prefix and then never ends (like <c>/dev/zero</c>): 'x' forever, no line break.</summary>
    private sealed class EndlessReader(string prefix) : TextReader
    {
        private int _prefixRead;

        public long Served { get; private set; }

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            int n = Math.Min(buffer.Length, prefix.Length - _prefixRead);
            prefix.AsSpan(_prefixRead, n).CopyTo(buffer);
            _prefixRead += n;
            buffer[n..].Fill('x');
            Served += buffer.Length;
            return buffer.Length;
        }

        public override int Peek() => 'x';

        public override int Read() => Read(new char[1]) > 0 ? 'x' : -1;
    }
}
