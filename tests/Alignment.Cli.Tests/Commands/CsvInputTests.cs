using System.Text;

namespace Alignment.Cli.Tests.Commands;

/// <summary>
/// Every command that reads CSV, on the files a CRM export really produces (very wide headers, long notes, quoted line breaks,
/// CRLF, a byte-order mark) and on malformed or endless input: success, or exit code 1 with the file, line and column and no
/// stack trace, never an internal error and never values shifted into the wrong columns.
/// </summary>
public sealed class CsvInputTests
{
    public static TheoryData<string> Commands => new() { "score", "backtest", "predict", "cluster", "segment", "route" };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Export_With650PropertyColumnsAndA20000CharacterNotesCell_IsRead(string command)
    {
        var input = Input.For(command);
        var extra = Enumerable.Range(0, 650).Select(i => $"hs_custom_property_export_{i:000}").ToArray();
        string header = input.Header + "," + string.Join(",", extra);
        Assert.True(header.Length > 18_000);
        string filler = new(',', extra.Length);
        string notes = string.Concat(Enumerable.Repeat("Called back, left a voicemail. ", 700))[..20_000];

        var run = await input.RunAsync($"{header}\n{input.Row(1, "\"" + notes + "\"")}{filler}\n{input.Row(2, "ok")}{filler}\n");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task QuotedCellOfOneMegabyte_WithBomCrlfAndLineBreaks_IsRead(string command)
    {
        var input = Input.For(command);
        string big = "\"" + "first line, \"\"quoted\"\"\r\n" + new string('x', 1 << 20) + "\"";

        var run = await input.RunAsync($"\uFEFF{input.Header}\r\n{input.Row(1, big)}\r\n\r\n{input.Row(2, "ok")}\r\n");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task UnterminatedQuote_ExitsOneNamingFileLineAndColumn(string command)
    {
        var input = Input.For(command);
        string bad = input.Row(2, "\"Acme");

        var run = await input.RunAsync($"{input.Header}\n{input.Row(1, "ok")}\n{bad}\n{input.Row(3, "ok")}\n");

        AssertBadInput(run, $"{input.File}, line 3: the quoted cell that starts at column {bad.IndexOf('"', StringComparison.Ordinal) + 1} is never closed");
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task QuoteInTheMiddleOfACell_AfterAQuotedLineBreak_ExitsOneNamingTheLineInTheFile(string command)
    {
        var input = Input.For(command);
        string bad = input.Row(3, "Acme \"West\"");

        // Line 1 header, lines 2-3 a record with a quoted line break, 4 the next record, 5 the bad one.
        var run = await input.RunAsync($"{input.Header}\n{input.Row(1, "\"two\nlines\"")}\n{input.Row(2, "ok")}\n{bad}\n");

        AssertBadInput(run, $"{input.File}, line 5: a quote inside an unquoted cell, at column {bad.IndexOf('"', StringComparison.Ordinal) + 1}");
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task TextAfterTheClosingQuote_ExitsOneNamingFileLineAndColumn(string command)
    {
        var input = Input.For(command);
        string bad = input.Row(1, "\"Acme\" Inc");

        var run = await input.RunAsync($"{input.Header}\n{bad}\n");

        AssertBadInput(run, $"{input.File}, line 2: text after the closing quote of a cell, at column {bad.IndexOf(" Inc", StringComparison.Ordinal) + 1}");
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task MoreCellsThanTheHeader_ExitsOneNamingLineAndColumn(string command)
    {
        var input = Input.For(command);
        string bad = input.Row(2, "Acme, Inc.");
        int cells = input.Header.Split(',').Length;

        var run = await input.RunAsync($"{input.Header}\n{input.Row(1, "ok")}\n{bad}\n");

        AssertBadInput(run, $"{input.File}, line 3: the record has more cells than the header ({cells}): cell {cells + 1} starts at column {bad.IndexOf(" Inc.", StringComparison.Ordinal) + 1}");
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task FewerCellsThanTheHeader_EvenInAColumnNotRead_ExitsOneNamingLineAndField(string command)
    {
        var input = Input.For(command);
        int cells = input.Header.Split(',').Length;

        var run = await input.RunAsync($"{input.Header},remarks\n{input.Row(1, "ok")},x\n{input.Row(2, "ok")}\n");

        AssertBadInput(run, $"{input.File}, line 3, field 'remarks': the record has {cells} cells but the header has {cells + 1}");
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task EndlessFileWithoutLineBreak_ExitsOneAtTheRecordLimit(string command)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /dev/zero
        }

        var input = Input.For(command);

        var run = await input.RunAsync(contents: null, path: "/dev/zero");

        AssertBadInput(run, "/dev/zero, line 1: the record is longer than 16,777,216 characters");
    }

    [Fact]
    public async Task Score_CompanyWithAnUnquotedComma_IsRefused_NotScoredZero()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "id,company,industry", "L1,Acme, Inc.,Software");
        string quoted = dir.Write("quoted.csv", "id,company,industry", "L1,\"Acme, Inc.\",Software");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--as-of", "2026-03-01");
        var ok = await CliRun.RunAsync("score", "--model", model, "--leads", quoted, "--as-of", "2026-03-01");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal(
            $"alignment: error: {leads}, line 2: the record has more cells than the header (3): cell 4 starts at column 15; a cell that contains a comma must be quoted (\"Acme, Inc.\")\n",
            run.Error.ReplaceLineEndings("\n"));
        Assert.Empty(run.Out);
        Assert.Equal("id,total,fit,engagement,grade,state\nL1,15,15,0,C,notQualified\n", ok.Out);
    }

    [Fact]
    public async Task Score_MalformedActivitiesFile_ExitsOneNamingItsLineAndColumn()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "id,industry", "L1,Software");
        string activities = dir.Write("activities.csv", "leadId,type,timestamp,url", "L1,demoRequested,2026-02-01,\"/pricing");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--activities", activities, "--as-of", "2026-03-01");

        AssertBadInput(run, $"{activities}, line 2: the quoted cell that starts at column 29 is never closed");
    }

    private static void AssertBadInput(CliRun run, string message)
    {
        Assert.True(run.ExitCode == ExitCodes.BadInput, $"exit {run.ExitCode}: {run.Error}");
        Assert.StartsWith("alignment: error: " + message, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
    }

    /// <summary>How a command reads its CSV input: the header, a record with a given last cell, and the run on a file.</summary>
    private sealed class Input
    {
        private readonly Func<TempFolder, string, string[]> _args;

        private Input(string file, string header, Func<int, string, string> row, Func<TempFolder, string, string[]> args)
        {
            FileName = file;
            Header = header;
            Row = row;
            _args = args;
        }

        public string FileName { get; }

        public string File { get; private set; } = string.Empty;

        public string Header { get; }

        /// <summary>Record <c>n</c> with <c>cell</c> as its last cell, written as is (the caller quotes it).</summary>
        public Func<int, string, string> Row { get; }

        public static Input For(string command) => command switch
        {
            "score" => new("leads.csv", "id,industry,company", (n, cell) => $"L{n},Software,{cell}", (dir, csv) =>
                ["score", "--model", dir.Write("model.json", TestFiles.ScoringModel), "--leads", csv, "--as-of", "2026-03-01"]),
            "backtest" => new("history.csv", "id,scoredAt,outcome,closedAt,industry,company", (n, cell) => $"L{n},2026-01-0{n},{(n % 2 == 1 ? "won" : "lost")},2026-02-01,Software,{cell}", (dir, csv) =>
                ["backtest", "--model", dir.Write("model.json", TestFiles.ScoringModel), "--history", csv]),
            "predict" => new("leads.csv", "id,team,stage,country,notes", (n, cell) => $"P{n},,New,US,{cell}", (dir, csv) =>
                ["predict", "--stages", dir.Write("stages.csv", "name,sequence,is_won", "New,1,false", "Won,2,true"),
                    "--history", dir.Write("history.csv", "id,team,stage,outcome,country", "H1,,Won,won,US", "H2,,New,lost,FR"), "--leads", csv]),
            "cluster" => new("accounts.csv", "id,employees,revenue,name", (n, cell) => $"a{n},{n * 10},{n},{cell}", (dir, csv) =>
                ["cluster", "--accounts", csv, "--features", "employees,revenue", "--k", "1"]),
            "segment" => new("accounts.csv", "id,industry,employeeCount,isPartner,company", (n, cell) => $"A{n},Software,{n * 100},no,{cell}", (dir, csv) =>
                ["segment", "--model", dir.Write("segments.json", PolicyFiles.Segments), "--accounts", csv]),
            "route" => new("leads.csv", "id,country,accountId,total,grade,state,createdAt,company", (n, cell) => $"R{n},US,,80,A,hot,2026-03-02T10:0{n}:00Z,{cell}", (dir, csv) =>
                ["route", "--policy", dir.Write("policy.json", PolicyFiles.Policy), "--roster", dir.Write("roster.json", PolicyFiles.Roster), "--leads", csv]),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, null),
        };

        /// <summary>Writes the CSV exactly as given (or uses <paramref name="path"/>) and runs the command on it.</summary>
        public async Task<CliRun> RunAsync(string? contents, string? path = null)
        {
            using var dir = new TempFolder();
            File = path ?? dir.File_(FileName);
            if (contents is not null)
            {
                System.IO.File.WriteAllText(File, contents, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            }

            return await CliRun.RunAsync(_args(dir, File));
        }
    }
}
