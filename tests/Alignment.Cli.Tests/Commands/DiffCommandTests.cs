using System.Text.Json;

namespace Alignment.Cli.Tests.Commands;

public sealed class DiffCommandTests
{
    [Fact]
    public async Task Diff_Text_ListsChangedAndAddedRules()
    {
        using var dir = new TempFolder();
        string v1 = dir.Write("v1.json", TestFiles.ScoringModel);
        string v2 = dir.Write("v2.json", TestFiles.ScoringModelV2);

        var run = await CliRun.RunAsync("diff", v1, v2);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.StartsWith("Scoring model diff: t@1.0.0 (", run.Out);
        Assert.Contains("-> t@1.1.0 (", run.Out);
        Assert.Contains("Change note: software counts more", run.Out);
        Assert.Contains("+ engagement/webinar:", run.Out);
        Assert.Contains("points: 15 -> 20", run.Out);
        Assert.Contains("Summary: 1 rule(s) added, 0 removed, 1 changed", run.Out);
    }

    [Fact]
    public async Task Diff_Json_IsMachineReadable()
    {
        using var dir = new TempFolder();
        string v1 = dir.Write("v1.json", TestFiles.ScoringModel);
        string v2 = dir.Write("v2.json", TestFiles.ScoringModelV2);

        var run = await CliRun.RunAsync("diff", v1, v2, "--format", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.True(json.RootElement.GetProperty("hasChanges").GetBoolean());
        Assert.Equal("webinar", json.RootElement.GetProperty("addedRules")[0].GetProperty("ruleId").GetString());
        var change = json.RootElement.GetProperty("changedRules")[0];
        Assert.Equal("software", change.GetProperty("ruleId").GetString());
        Assert.Equal("points", change.GetProperty("properties")[0].GetProperty("property").GetString());
    }

    [Fact]
    public async Task Diff_ModelWithErrors_ExitsOneNamingFileAndPaths()
    {
        using var dir = new TempFolder();
        string v1 = dir.Write("v1.json", TestFiles.ScoringModel);
        string broken = dir.Write("v2.json", TestFiles.BrokenScoringModel);

        var run = await CliRun.RunAsync("diff", v1, broken);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{broken}: the scoring model is invalid (2 problems):", run.Error);
        Assert.Contains("field '$.engagement[0].windowDays'", run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Diff_MalformedJson_ExitsOneNamingTheLine()
    {
        using var dir = new TempFolder();
        string v1 = dir.Write("v1.json", TestFiles.ScoringModel);
        string broken = dir.Write("v2.json", "{ \"id\": \"t\",", "  \"version\": }");

        var run = await CliRun.RunAsync("diff", v1, broken);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{broken}, field '$ (line 2", run.Error);
    }

    [Theory]
    [InlineData("diff", "only-one.json")]
    [InlineData("diff", "a.json", "b.json", "--format", "yaml")]
    public async Task Diff_UsageError_ExitsTwo(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("Run 'alignment diff --help' for usage.", run.Error);
    }
}
