using System.Text.Json;

namespace Alignment.Cli.Tests.Commands;

public sealed class BacktestCommandTests
{
    private static readonly string[] History =
    [
        "id,scoredAt,outcome,closedAt,industry",
        "L1,2026-01-01,won,2026-02-01,Software",
        "L2,2026-01-02,lost,2026-02-01,Retail",
        "L3,2026-01-03,won,2026-02-01,Software",
        "L4,2026-01-03,lost,2026-02-01,Software",
    ];

    [Fact]
    public async Task Backtest_Table_ReportsAucConversionAndBands()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string history = dir.Write("history.csv", History);
        // L1's demo request is before its scoring instant; L4's is after it and must not count (no look-ahead).
        string activities = dir.Write("activities.csv", "leadId,type,timestamp", "L1,demoRequested,2025-12-01", "L4,demoRequested,2026-01-20");

        var run = await CliRun.RunAsync("backtest", "--model", model, "--history", history, "--activities", activities);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Error);
        // Scores: L1 55 (won), L2 0 (lost), L3 15 (won), L4 15 (lost). Pairs won>lost: (55,0) (55,15) (15,0) win, (15,15) tie: 3.5/4.
        Assert.Contains("Backtest of t@1.0.0", run.Out);
        Assert.Contains("on 4 leads (won 2, lost 2, disqualified 0, open 0; decided 4)", run.Out);
        Assert.Contains("Conversion (won / decided): 50.00 %", run.Out);
        Assert.Contains("ROC AUC: 0.8750", run.Out);
        Assert.Contains("MQL threshold (score 20, grade F): 1 MQLs", run.Out);
        Assert.Matches(@"\[10, 20\)\s+2\s+1\s+1\s+0\s+0\s+2\s+50\.00 %", run.Out);
    }

    [Fact]
    public async Task Backtest_JsonWithBaseline_ComparesBothModels()
    {
        using var dir = new TempFolder();
        string baseline = dir.Write("v1.json", TestFiles.ScoringModel);
        string model = dir.Write("v2.json", TestFiles.ScoringModelV2);
        string history = dir.Write("history.csv", History);

        var run = await CliRun.RunAsync("backtest", "--model", model, "--baseline", baseline, "--history", history, "--format", "json", "--capacity", "2");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal("1.0.0", root.GetProperty("baseline").GetProperty("model").GetProperty("version").GetString());
        Assert.Equal("1.1.0", root.GetProperty("candidate").GetProperty("model").GetProperty("version").GetString());
        Assert.Equal(0, root.GetProperty("baseline").GetProperty("mql").GetProperty("mqls").GetInt32());   // Software gives 15 < 20
        Assert.Equal(3, root.GetProperty("candidate").GetProperty("mql").GetProperty("mqls").GetInt32());  // Software gives 20 >= 20
    }

    [Fact]
    public async Task Backtest_BadOutcome_ExitsOneNamingLineAndField()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string history = dir.Write("history.csv", [.. History, "L5,2026-01-04,maybe,,Software"]);

        var run = await CliRun.RunAsync("backtest", "--model", model, "--history", history);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{history}, line 6, field 'outcome': 'maybe' is not won, lost, disqualified or open", run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Backtest_WrongDateOrMissingColumn_ExitsOne()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string badDate = dir.Write("dates.csv", "id,scoredAt,outcome", "L1,2026-02-30,won");
        string noOutcome = dir.Write("columns.csv", "id,scoredAt,result", "L1,2026-02-01,won");

        var date = await CliRun.RunAsync("backtest", "--model", model, "--history", badDate);
        var column = await CliRun.RunAsync("backtest", "--model", model, "--history", noOutcome);

        Assert.Equal(ExitCodes.BadInput, date.ExitCode);
        Assert.Contains($"{badDate}, line 2, field 'scoredAt': '2026-02-30' is not an ISO 8601 date or instant", date.Error);
        Assert.Equal(ExitCodes.BadInput, column.ExitCode);
        Assert.Contains($"{noOutcome}, line 1, field 'outcome': the column is missing from the header", column.Error);
    }

    [Fact]
    public async Task Backtest_BaselineWithErrors_ExitsOneNamingTheFile()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string baseline = dir.Write("broken.json", TestFiles.BrokenScoringModel);
        string history = dir.Write("history.csv", History);

        var run = await CliRun.RunAsync("backtest", "--model", model, "--baseline", baseline, "--history", history);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{baseline}: the scoring model is invalid (2 problems):", run.Error);
    }

    [Theory]
    [InlineData("backtest", "--model", "m.json")]
    [InlineData("backtest", "--model", "m.json", "--history", "h.csv", "--format", "xml")]
    [InlineData("backtest", "--model", "m.json", "--history", "h.csv", "--target-precision", "1.5")]
    public async Task Backtest_UsageError_ExitsTwo(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("Run 'alignment backtest --help' for usage.", run.Error);
    }

    [Fact]
    public async Task Backtest_CandidateWithPluginRule_ScoresWithThePlugin()
    {
        using var dir = new TempFolder();
        string baseline = dir.Write("v1.json", TestFiles.ScoringModel);
        string model = dir.Write("v2.json", TestPlugins.ModelWithBonus);
        string history = dir.Write("history.csv", History);

        var without = await CliRun.RunAsync("backtest", "--model", model, "--baseline", baseline, "--history", history, "--format", "json");
        var run = await CliRun.RunAsync("backtest", "--model", model, "--baseline", baseline, "--history", history, "--format", "json", "--plugin", TestPlugins.Rules);

        Assert.Equal(ExitCodes.BadInput, without.ExitCode);
        Assert.Contains("no registered scoring rule is named 'loyalty-bonus'", without.Error);
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal(0, root.GetProperty("baseline").GetProperty("mql").GetProperty("mqls").GetInt32());   // Software gives 15 < 20
        Assert.Equal(3, root.GetProperty("candidate").GetProperty("mql").GetProperty("mqls").GetInt32());  // 15 + 7.5 bonus >= 20
    }
}
