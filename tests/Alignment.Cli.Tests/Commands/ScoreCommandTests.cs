namespace Alignment.Cli.Tests.Commands;

public sealed class ScoreCommandTests
{
    [Fact]
    public async Task Score_WithActivitiesAndExplain_WritesEveryLeadToOutFile()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "id,industry,employeeCount", "L1,Software,500", "L2,Retail,40", "\"L,3\",Software,");
        string activities = dir.Write("activities.csv", "leadId,type,timestamp", "L1,demoRequested,2026-02-01", "L2,demoRequested,2026-04-01");
        string output = dir.File_("scores.csv");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--activities", activities, "--as-of", "2026-03-01", "--out", output, "--explain");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.Equal(
            "id,total,fit,engagement,grade,state,explanation\n" +
            "L1,55,15,40,C,hot,software +15 grade +1; demo +40\n" +
            "L2,0,0,0,D,notQualified,\n" + // the demo request is after --as-of: it never counts
            "\"L,3\",15,15,0,C,notQualified,software +15 grade +1\n",
            File.ReadAllText(output));
        Assert.Equal(["activities.csv", "leads.csv", "model.json", "scores.csv"], dir.Files());
    }

    [Fact]
    public async Task Score_WithoutOut_WritesCsvToStandardOutput()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "id,industry", "L1,Software", "", "L2,");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--as-of", "2026-03-01T00:00:00Z");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("id,total,fit,engagement,grade,state\nL1,15,15,0,C,notQualified\nL2,0,0,0,D,notQualified\n", run.Out);
    }

    [Fact]
    public async Task Score_MalformedRow_ExitsOneNamingFileLineAndFieldAndWritesNothing()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "id,industry,employeeCount", "L1,Software,500", "L2,Retail,forty");
        string output = dir.File_("scores.csv");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--as-of", "2026-03-01", "--out", output);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal($"alignment: error: {leads}, line 3, field 'employeeCount': 'forty' is not a whole number of at least 0\n", run.Error.ReplaceLineEndings("\n"));
        Assert.Empty(run.Out);
        Assert.Equal(["leads.csv", "model.json"], dir.Files());
    }

    [Fact]
    public async Task Score_ShortRecordOnStdout_PrintsNoPartialOutput()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "id,industry,employeeCount", "L1,Software,500", "L2");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--as-of", "2026-03-01");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{leads}, line 3, field 'industry': the record has 1 cells but the header has 3", run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Score_MissingIdColumn_ExitsOneNamingTheColumn()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "leadId,industry", "L1,Software");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{leads}, line 1, field 'id': the column is missing from the header", run.Error);
    }

    [Fact]
    public async Task Score_WrongDateInActivities_ExitsOneNamingLineAndField()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "id,industry", "L1,Software");
        string activities = dir.Write("activities.csv", "leadId,type,timestamp", "L1,demoRequested,2026-02-01", "L1,demoRequested,01/02/2026");
        string output = dir.File_("scores.csv");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--activities", activities, "--out", output);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{activities}, line 3, field 'timestamp': '01/02/2026' is not an ISO 8601 date or instant", run.Error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Score_UnknownActivityTypeOrLead_ExitsOne()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "id,industry", "L1,Software");
        string badType = dir.Write("types.csv", "leadId,type,timestamp", "L1,fax,2026-02-01");
        string badLead = dir.Write("leads-activities.csv", "leadId,type,timestamp", "L1,demoRequested,2026-02-01", "L7,demoRequested,2026-02-01");
        string output = dir.File_("scores.csv");

        var type = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--activities", badType, "--out", output);
        var lead = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--activities", badLead, "--out", output);

        Assert.Equal(ExitCodes.BadInput, type.ExitCode);
        Assert.Contains($"{badType}, line 2, field 'type': 'fax' is not an activity type", type.Error);
        Assert.Equal(ExitCodes.BadInput, lead.ExitCode);
        Assert.Contains($"{badLead}, line 3, field 'leadId': lead 'L7' is not in {leads}", lead.Error);
        Assert.False(File.Exists(output));
        Assert.Equal(["leads-activities.csv", "leads.csv", "model.json", "types.csv"], dir.Files());
    }

    [Fact]
    public async Task Score_DuplicateLeadId_ExitsOne()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "id,industry", "L1,Software", "L1,Retail");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{leads}, line 3, field 'id': lead 'L1' appears twice", run.Error);
    }

    [Fact]
    public async Task Score_ModelWithErrors_ExitsOneListingEveryProblemWithItsPath()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.BrokenScoringModel);
        string leads = dir.Write("leads.csv", "id", "L1");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{model}: the scoring model is invalid (2 problems):", run.Error);
        Assert.Contains("field '$.fit[0].when.field'", run.Error);
        Assert.Contains("field '$.engagement[0].windowDays'", run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Score_MissingFile_ExitsOneNamingIt()
    {
        using var dir = new TempFolder();
        string leads = dir.Write("leads.csv", "id", "L1");
        string model = dir.File_("nope.json");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{model}, field '--model': the file does not exist", run.Error);
    }

    [Theory]
    [InlineData("score", "--leads", "l.csv")]
    [InlineData("score", "--model", "m.json", "--leads", "l.csv", "--as-of", "March 1st")]
    [InlineData("score", "--model", "m.json", "--leads", "l.csv", "--bogus")]
    public async Task Score_UsageError_ExitsTwo(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("Run 'alignment score --help' for usage.", run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Score_DocumentedExampleModelWithPlugin_AddsThePluginsPointsAndExplainsThem()
    {
        using var dir = new TempFolder();
        string leads = dir.Write(
            "leads.csv",
            "id,industry,employeeCount,intentSurge,productInterest,isCustomer",
            "L1,Software,300,90,,false",
            "L2,Retail,,40,,",
            "L3,Retail,,83.25,,");

        var run = await CliRun.RunAsync("score", "--model", TestPlugins.ExampleModel, "--leads", leads, "--as-of", "2026-03-01", "--explain", "--plugin", TestPlugins.Rules);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        // intent-data: nothing below a surge of 50, then (surge - 50) / 2, capped at 20 by the model: 90 -> 20, 40 -> 0, 83.25 -> 16.63.
        // Plugin points count towards engagement; no lead has activities, so inactive-90d takes 15 from each.
        Assert.Equal(
            "id,total,fit,engagement,grade,state,explanation\n" +
            "L1,30,25,5,B-,notQualified,industry-core +15 grade +1; mid-market +10 grade +2/3; inactive-90d -15; intent +20\n" +
            "L2,-15,0,-15,D-,notQualified,unknown-size +0 grade -1/3; inactive-90d -15\n" +
            "L3,1.63,0,1.63,D-,notQualified,unknown-size +0 grade -1/3; inactive-90d -15; intent +16.63\n",
            run.Out);
    }

    [Fact]
    public async Task Score_PluginModelWithoutPlugin_ExitsOneSayingWhichOptionToGive()
    {
        using var dir = new TempFolder();
        string leads = dir.Write("leads.csv", "id,industry,intentSurge,productInterest,isCustomer", "L1,Software,90,,");

        var run = await CliRun.RunAsync("score", "--model", TestPlugins.ExampleModel, "--leads", leads);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal(
            $"alignment: error: {TestPlugins.ExampleModel}, field '$.plugins[0].rule': the scoring model is invalid: no registered scoring rule is named 'intent-data' (registered: none) " +
            "(give the assembly that has the rule with --plugin PATH.dll)\n",
            run.Error.ReplaceLineEndings("\n"));
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Score_PluginRuleFailingOnALead_ExitsOneNamingRuleAndLead_NoStackTrace()
    {
        using var dir = new TempFolder();
        // A surge of 1e15 makes intent-data return 5e14 points, which the engine refuses (more than 1e12).
        string leads = dir.Write("leads.csv", "id,industry,intentSurge,productInterest,isCustomer", "L1,Software,90,,", "L2,Software,1e15,,");

        var run = await CliRun.RunAsync("score", "--model", TestPlugins.ExampleModel, "--leads", leads, "--as-of", "2026-03-01", "--plugin", TestPlugins.Rules);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith("alignment: error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("plugin 'intent-data' returned", run.Error, StringComparison.Ordinal);
        Assert.Contains("lead L2", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_PluginWithALibraryOfItsOwn_LoadsTheLibraryFromThePluginsFolder()
    {
        using var dir = new TempFolder();
        string model = dir.Write(
            "model.json",
            """{ "id": "s", "version": "1.0.0", "thresholds": { "mql": { "score": 20, "minGrade": "F" } },""",
            """  "plugins": [ { "id": "by-source", "rule": "source-points" } ] }""");
        string leads = dir.Write("leads.csv", "id,source", "L1,Web", "L2,", "L3,Webinar");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--as-of", "2026-03-01", "--explain", "--plugin", TestPlugins.WithDependency);

        // Acme.PointsHelper (shipped only beside the plugin): 3.25 per character of the source, at most 10.
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(
            "id,total,fit,engagement,grade,state,explanation\n" +
            "L1,9.75,0,9.75,D,notQualified,by-source +9.75\n" +
            "L2,0,0,0,D,notQualified,\n" +
            "L3,10,0,10,D,notQualified,by-source +10\n",
            run.Out);
    }

    [Fact]
    public async Task Score_ParameterlessPluginRule_AddsItsFixedPoints()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestPlugins.ModelWithBonus);
        string leads = dir.Write("leads.csv", "id,industry", "L1,Software", "L2,Retail");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--as-of", "2026-03-01", "--explain", "--plugin", TestPlugins.Rules);

        // IntentDataRule cannot be created for this model (no intentSurge attribute) and is left out: the model does not use it.
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(
            "id,total,fit,engagement,grade,state,explanation\n" +
            "L1,22.5,15,7.5,C,mql,software +15 grade +1; bonus +7.5\n" +
            "L2,7.5,0,7.5,D,notQualified,bonus +7.5\n",
            run.Out);
    }
}
