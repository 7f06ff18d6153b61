namespace Alignment.Cli.Tests.Commands;

public sealed class PredictCommandTests
{
    private static readonly string[] Stages = ["name,sequence,is_won", "New,1,false", "Qualified,2,false", "Won,3,true"];

    // Closed leads, no team: H1 and H4 won, H2 lost at Qualified, H3 lost at New; H5 is open and not counted.
    private static readonly string[] History =
    [
        "id,team,stage,outcome,country,tags",
        "H1,,Won,won,US,a",
        "H2,,Qualified,lost,US,",
        "H3,,New,lost,FR,a;b",
        "H4,,Won,won,FR,",
        "H5,,New,open,FR,",
    ];

    [Fact]
    public async Task Predict_WritesHandComputedProbabilities()
    {
        using var dir = new TempFolder();
        string stages = dir.Write("stages.csv", Stages);
        string history = dir.Write("history.csv", History);
        string leads = dir.Write("leads.csv", "id,team,stage,country,tags", "P1,,New,US,", "P2,,Won,FR,", "P3,,,US,", "P4,,Qualified,FR,b", "P5,east,Qualified,FR,a");
        string output = dir.File_("out.csv");

        var run = await CliRun.RunAsync("predict", "--stages", stages, "--history", history, "--leads", leads, "--out", output);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        // Stage rows (+0.1): New 2.1/2.1, Qualified 2.1/1.1, Won 2.1/0.1; country US 1.1/1.1, FR 1.1/1.1; tags have < 50 support.
        // P1: prior 2.1/2.1 x New (1, 1) x US (1.1/2.2, 1.1/2.2) = 50 %. P4: won 2.1 x 2.1/2.1 x 0.5, lost 2.1 x 1.1/2.1 x 0.5
        // = 1.05 / 1.6 = 65.625 → 65.62. P5's team has no history: the global view gives the same. P2 is won (100), P3 has no stage (0).
        Assert.Equal("id,probability\nP1,50.00\nP2,100.00\nP3,0.00\nP4,65.62\nP5,65.62\n", File.ReadAllText(output));
        Assert.Contains("Trained on 4 closed lead(s)", run.Error);
    }

    [Fact]
    public async Task Predict_NoClosedHistory_LeavesProbabilityEmpty()
    {
        using var dir = new TempFolder();
        string stages = dir.Write("stages.csv", Stages);
        string history = dir.Write("history.csv", "id,team,stage,outcome,country", "H1,,New,open,US");
        string leads = dir.Write("leads.csv", "id,team,stage,country", "P1,,New,US");

        var run = await CliRun.RunAsync("predict", "--stages", stages, "--history", history, "--leads", leads, "--fields", "country");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("id,probability\nP1,\n", run.Out);
    }

    [Fact]
    public async Task Predict_UnknownStage_ExitsOneNamingLineAndField()
    {
        using var dir = new TempFolder();
        string stages = dir.Write("stages.csv", Stages);
        string history = dir.Write("history.csv", [.. History, "H6,,Negotiation,lost,US,"]);
        string leads = dir.Write("leads.csv", "id,team,stage,country,tags", "P1,,New,US,");
        string output = dir.File_("out.csv");

        var run = await CliRun.RunAsync("predict", "--stages", stages, "--history", history, "--leads", leads, "--out", output);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{history}, line 7, field 'stage': 'Negotiation' is not a stage of the stages file", run.Error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Predict_LeadsMissingAFieldColumn_ExitsOneAndWritesNothing()
    {
        using var dir = new TempFolder();
        string stages = dir.Write("stages.csv", Stages);
        string history = dir.Write("history.csv", History);
        string leads = dir.Write("leads.csv", "id,team,stage,tags", "P1,,New,");
        string output = dir.File_("out.csv");

        var run = await CliRun.RunAsync("predict", "--stages", stages, "--history", history, "--leads", leads, "--out", output);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{leads}, line 1, field 'country': the column is missing from the header", run.Error);
        Assert.Equal(["history.csv", "leads.csv", "stages.csv"], dir.Files());
    }

    [Fact]
    public async Task Predict_BadStageSequence_ExitsOne()
    {
        using var dir = new TempFolder();
        string stages = dir.Write("stages.csv", "name,sequence,is_won", "New,first,false");
        string history = dir.Write("history.csv", History);
        string leads = dir.Write("leads.csv", "id,team,stage,country,tags", "P1,,New,US,");

        var run = await CliRun.RunAsync("predict", "--stages", stages, "--history", history, "--leads", leads);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{stages}, line 2, field 'sequence': 'first' is not an integer", run.Error);
    }

    [Fact]
    public async Task Predict_MissingAsValueNotAField_ExitsTwo()
    {
        using var dir = new TempFolder();
        string stages = dir.Write("stages.csv", Stages);
        string history = dir.Write("history.csv", History);
        string leads = dir.Write("leads.csv", "id,team,stage,country,tags", "P1,,New,US,");

        var run = await CliRun.RunAsync("predict", "--stages", stages, "--history", history, "--leads", leads, "--fields", "country", "--missing-as-value", "phone_state");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("phone_state", run.Error);
    }

    [Theory]
    [InlineData("predict", "--stages", "s.csv", "--history", "h.csv")]
    [InlineData("predict", "--stages", "s.csv", "--history", "h.csv", "--leads", "l.csv", "--explain")]
    public async Task Predict_UsageError_ExitsTwo(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("Run 'alignment predict --help' for usage.", run.Error);
    }

    [Fact]
    public async Task Predict_HistoryColumnWithoutName_IsBadInputNamingTheFile()
    {
        using var dir = new TempFolder();
        string stages = dir.Write("stages.csv", Stages);
        string history = dir.Write("history.csv", "id,team,stage,outcome,country,", "H1,,Won,won,US,x");
        string leads = dir.Write("leads.csv", "id,team,stage,country,", "P1,,New,US,");

        var run = await CliRun.RunAsync("predict", "--stages", stages, "--history", history, "--leads", leads);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{history}, line 1:", run.Error, StringComparison.Ordinal);
        Assert.Contains("name every column or choose them with --fields", run.Error, StringComparison.Ordinal);
    }
}
