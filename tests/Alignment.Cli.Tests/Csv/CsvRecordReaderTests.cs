using Alignment.Cli.Csv;

namespace Alignment.Cli.Tests.Csv;

/// <summary>The command's RFC 4180 record reader: cells, quoting, lines and columns, limits, and buffer boundaries anywhere.</summary>
public sealed class CsvRecordReaderTests
{
    private const string Tricky =
        "\uFEFFid,\"na,me\",notes\r\n" +
        "1,\"a \"\"quoted\"\" word\",\"two\nlines\"\n" +
        "\n" +
        "2,,\"\"\r\n" +
        "\r\n" +
        "3,\"x\"\"\",\"multi\r\nline\r\ncell\"\r\n" +
        "4,plain,last";

    [Fact]
    public void Read_TrickyFile_GivesCellsLinesAndColumns()
    {
        var csv = CsvFiles.Open(new StringReader(Tricky), "t.csv");

        Assert.Equal(["id", "na,me", "notes"], csv.Header);
        var records = ReadAll(csv);

        Assert.Equal(
            [
                (2, "1|a \"quoted\" word|two\nlines"),
                (5, "2||"),
                (7, "3|x\"|multi\r\nline\r\ncell"),
                (10, "4|plain|last"),
            ],
            records.Select(r => (r.Line, r.Text)));
        Assert.Equal([(7, 1), (7, 3), (7, 9)], records[2].Cells);
        Assert.Equal([(2, 1), (2, 3), (2, 23)], records[0].Cells);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(17)]
    public void Read_TextDeliveredInSmallPieces_GivesTheSameRecords(int pieceLength)
    {
        var whole = ReadAll(CsvFiles.Open(new StringReader(Tricky), "t.csv"));

        var pieces = ReadAll(CsvFiles.Open(new PieceReader(Tricky, pieceLength), "t.csv", maxRecordLength: 64));

        Assert.Equal(whole.Select(r => (r.Line, r.Text, string.Join(";", r.Cells))), pieces.Select(r => (r.Line, r.Text, string.Join(";", r.Cells))));
    }

    /// <summary>Lines ending with a lone CR, also inside quoted cells, mixed with CRLF, LF, CR CR and LF CR there.</summary>
    private const string CrOnly =
        "\uFEFFid,\"na,me\",notes\r" +
        "1,\"a \"\"quoted\"\" word\",\"two\rlines\"\r" +
        "\r" +
        "2,,\"\"\r" +
        "\r" +
        "3,\"x\"\"\",\"multi\r\nline\r\rcell\"\r" +
        "4,\"p\rq\",r\r" +
        "5,\"\r\",\"\n\r\"\r" +
        "6,\"\r\"\"\n\",end";

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(17)]
    public void Read_LoneCrInsideQuotedCells_CountsAsALineBreak(int pieceLength)
    {
        var records = ReadAll(CsvFiles.Open(new PieceReader(CrOnly, pieceLength), "t.csv", maxRecordLength: 64));

        Assert.Equal(
            [
                (2, "1|a \"quoted\" word|two\rlines", "2,1;2,3;2,23"),
                (5, "2||", "5,1;5,3;5,4"),
                (7, "3|x\"|multi\r\nline\r\rcell", "7,1;7,3;7,9"),
                (11, "4|p\rq|r", "11,1;11,3;12,4"),
                (13, "5|\r|\n\r", "13,1;13,3;14,3"),
                (17, "6|\r\"\n|end", "17,1;17,3;19,3"),
            ],
            records.Select(r => (r.Line, r.Text, string.Join(";", r.Cells.Select(c => $"{c.Line},{c.Column}")))));
    }

    [Theory]
    [InlineData("\n", false)]
    [InlineData("\r\n", false)]
    [InlineData("\r", false)]
    [InlineData("", false)]
    [InlineData("\n", true)]
    [InlineData("\r\n", true)]
    [InlineData("\r", true)]
    [InlineData("", true)]
    public void Read_RecordOfUpToTheLimit_IsReadWhateverItsLineEnding_OneMoreIsRefused(string ending, bool quoted)
    {
        const int Limit = 64;
        foreach (int length in (int[])[Limit - 1, Limit, Limit + 1])
        {
            // "1,xxx…" or "1,\"xxx…\"": length characters, the line ending not counted.
            string record = quoted ? "1,\"" + new string('x', length - 4) + "\"" : "1," + new string('x', length - 2);
            string text = "a,b\n" + record + ending + (ending.Length == 0 ? string.Empty : "2,y" + ending);
            foreach (int pieceLength in (int[])[int.MaxValue, 1, 2, 3, 5, 17])
            {
                var csv = CsvFiles.Open(new PieceReader(text, pieceLength), "t.csv", maxRecordLength: Limit);
                if (length > Limit)
                {
                    var ex = Assert.Throws<LeadCsvException>(() => csv.Read());
                    Assert.Equal("t.csv, line 2: the record is longer than 64 characters (is a quote never closed, or is this not a CSV file?)", ex.Message);
                    continue;
                }

                Assert.True(csv.Read(), $"length {length}, pieces of {pieceLength}");
                Assert.Equal((2, record.Length - (quoted ? 4 : 2)), (csv.Line, csv.GetSpan(1).Length));
                if (ending.Length > 0)
                {
                    Assert.True(csv.Read());
                    Assert.Equal((3, "2", "y"), (csv.Line, csv.GetString(0), csv.GetString(1)));
                }

                Assert.False(csv.Read());
            }
        }
    }

    [Fact]
    public void Read_RecordOverTheLimit_NamesFileAndLine()
    {
        var csv = CsvFiles.Open(new StringReader("a,b\n1,2\n3,\"" + new string('x', 100) + "\"\n"), "t.csv", maxRecordLength: 64);

        Assert.True(csv.Read());
        var ex = Assert.Throws<LeadCsvException>(() => csv.Read());

        Assert.Equal("t.csv, line 3: the record is longer than 64 characters (is a quote never closed, or is this not a CSV file?)", ex.Message);
    }

    [Fact]
    public void Read_RecordOfOneMillionCharactersAndFiveThousandCells_IsRead()
    {
        string header = string.Join(",", Enumerable.Range(0, 5000).Select(i => $"c{i}"));
        string row = new string('y', 1_000_000) + new string(',', 4999);

        var csv = CsvFiles.Open(new StringReader(header + "\n" + row + "\n"), "t.csv");

        Assert.True(csv.Read());
        Assert.Equal(5000, csv.Count);
        Assert.Equal(1_000_000, csv.GetSpan(0).Length);
        Assert.Equal(1_005_000, csv.GetColumn(4999));
        Assert.False(csv.Read());
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\r\n\n")]
    [InlineData("\uFEFF")]
    public void Open_NoHeader_IsTheEmptyFileError(string text)
    {
        var ex = Assert.Throws<LeadCsvException>(() => CsvFiles.Open(new StringReader(text), "t.csv"));

        Assert.Equal("t.csv, line 1: the file is empty: expected a header row", ex.Message);
    }

    [Fact]
    public void Open_BlankLinesBeforeTheHeader_AreSkippedAndCounted()
    {
        var csv = CsvFiles.Open(new StringReader("\n\nid\n1\n"), "t.csv");

        Assert.Equal(3, csv.HeaderLine);
        Assert.True(csv.Read());
        Assert.Equal((4, "1"), (csv.Line, csv.GetString(0)));
    }

    [Theory]
    [InlineData("a,b\n1,\"2\"x\n", "t.csv, line 2: text after the closing quote of a cell, at column 6")]
    [InlineData("a,b\n1,2\"\n", "t.csv, line 2: a quote inside an unquoted cell, at column 4")]
    [InlineData("a,b\n1,\"2\n\n\n", "t.csv, line 2: the quoted cell that starts at column 3 is never closed")]
    [InlineData("a,b\n1,\"x\ny\" z\n", "t.csv, line 3: text after the closing quote of a cell, at column 3")]
    [InlineData("a,b\n1,2,3\n", "t.csv, line 2: the record has more cells than the header (2): cell 3 starts at column 5")]
    [InlineData("a,b\n1,2,\n", "t.csv, line 2: the record has more cells than the header (2): cell 3 starts at column 5")]
    [InlineData("a,b\n1\n", "t.csv, line 2, column 'b': the record has 1 cells but the header has 2")]
    [InlineData("a,b\r1,\"x\ry\"\r2,3\"\r", "t.csv, line 4: a quote inside an unquoted cell, at column 4")]
    [InlineData("a,b\r1,\"x\ry\" z\r", "t.csv, line 3: text after the closing quote of a cell, at column 3")]
    [InlineData("a,b\r1,\"x\r\ny\r\" z\r", "t.csv, line 4: text after the closing quote of a cell, at column 2")]
    [InlineData("a,b\r1,\"x\n\r\",2,3\r", "t.csv, line 4: the record has more cells than the header (2): cell 3 starts at column 3")]
    public void Read_MalformedRecord_NamesFileLineAndColumn(string text, string message)
    {
        foreach (int pieceLength in (int[])[int.MaxValue, 1, 2, 3, 5])
        {
            var csv = CsvFiles.Open(new PieceReader(text, pieceLength), "t.csv");

            var ex = Assert.Throws<LeadCsvException>(() =>
            {
                while (csv.Read())
                {
                }
            });

            Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
        }
    }

    private static List<(int Line, string Text, (int Line, int Column)[] Cells)> ReadAll(CsvRecordReader csv)
    {
        var records = new List<(int, string, (int, int)[])>();
        while (csv.Read())
        {
            var cells = Enumerable.Range(0, csv.Count).Select(i => csv.GetString(i)).ToArray();
            records.Add((csv.Line, string.Join("|", cells), [.. Enumerable.Range(0, csv.Count).Select(i => (csv.GetLine(i), csv.GetColumn(i)))]));
        }

        return records;
    }

    /// <summary>Gives the text a few characters per read, so that every token meets a buffer boundary somewhere.</summary>
    private sealed class PieceReader(string text, int pieceLength) : TextReader
    {
        private int _at;

        public override int Read(char[] buffer, int index, int count)
        {
            int n = Math.Min(Math.Min(count, pieceLength), text.Length - _at);
            text.CopyTo(_at, buffer, index, n);
            _at += n;
            return n;
        }
    }
}
