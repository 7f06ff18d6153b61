using System.Text.Json;

namespace Alignment.Cli.Tests.Commands;

public sealed class ConsistencyCommandTests
{
    private const string Model = """
        { "id": "seg", "version": "1",
          "segments": [
            { "id": "enterprise", "when": [ { "field": "company.employeeCount", "atLeast": 1000 } ],
              "playbook": { "valueProposition": "Cut release risk across hundreds of teams with one governed delivery platform." } },
            { "id": "no-playbook", "when": [ { "field": "company.employeeCount", "atLeast": 500 } ] } ],
          "default": { "id": "general", "playbook": { "valueProposition": "Ship software faster and safer." } } }
        """;

    // Two tests: rep-b tells the enterprise story in q1 and drifts to price in q2; rep-a and rep-c keep to it.
    private static readonly string[] Answers =
    [
        "test,at,rep,segment,answer",
        "q1,2026-03-31,rep-a,enterprise,\"We cut release risk across hundreds of teams with one governed delivery platform\"",
        "q1,2026-03-31,rep-b,enterprise,\"One governed delivery platform that cuts release risk for hundreds of teams\"",
        "q1,2026-03-31,rep-c,general,\"Ship software faster and safer\"",
        "q2,2026-06-30,rep-a,enterprise,\"We cut release risk across hundreds of teams with one governed delivery platform\"",
        "q2,2026-06-30,rep-b,enterprise,\"We are the cheapest tool with great support\"",
        "q2,2026-06-30,rep-c,general,\"Ship software faster and safer\"",
    ];

    [Fact]
    public async Task Consistency_Json_ScoresEachTestAndNamesTheRepAndSegmentThatDrift()
    {
        using var dir = new TempFolder();
        var model = dir.Write("segments.json", Model);
        var answers = dir.Write("answers.csv", Answers);

        var run = await CliRun.RunAsync("consistency", "--answers", answers, "--segments", model, "--format", "json");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var tests = json.RootElement.GetProperty("tests").EnumerateArray().ToList();
        Assert.Equal(["q1", "q2"], tests.Select(t => t.GetProperty("id").GetString()));
        double Rep(JsonElement test, string rep) => test.GetProperty("reps").EnumerateArray().Single(r => r.GetProperty("rep").GetString() == rep).GetProperty("index").GetDouble();
        Assert.Equal(1.0, Rep(tests[0], "rep-c"), 6); // the canonical words exactly
        Assert.Equal(1.0, Rep(tests[1], "rep-a"), 6);
        Assert.True(Rep(tests[0], "rep-b") > 0.5, "rep-b told the story in q1");
        Assert.Equal(0.0, Rep(tests[1], "rep-b"), 6); // no word of the story left
        Assert.True(tests[1].GetProperty("overall").GetDouble() < tests[0].GetProperty("overall").GetDouble());
        var reps = json.RootElement.GetProperty("driftingReps").EnumerateArray().ToList();
        Assert.Equal(["rep-b"], reps.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(("q1", "q2"), (reps[0].GetProperty("previousTest").GetString(), reps[0].GetProperty("latestTest").GetString()));
        Assert.Equal(["enterprise"], json.RootElement.GetProperty("driftingSegments").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Consistency_Table_PrintsEachTestAndTheDrift_AndOneTestWithoutColumnsTestOrAt()
    {
        using var dir = new TempFolder();
        var model = dir.Write("segments.json", Model);
        var answers = dir.Write("answers.csv", Answers);
        var single = dir.Write("single.csv", "rep,segment,answer", "rep-c,general,Ship software faster and safer");

        var run = await CliRun.RunAsync("consistency", "--answers", answers, "--segments", model);
        var one = await CliRun.RunAsync("consistency", "--answers", single, "--segments", model);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.Contains("Value-proposition test from answers.csv: 2 test(s)", run.Out);
        Assert.Contains("Test q2 (2026-06-30): overall", run.Out);
        Assert.Contains("  rep rep-b: ", run.Out);
        Assert.Contains("  segment enterprise: ", run.Out);
        Assert.True(one.ExitCode == ExitCodes.Success, one.Error);
        Assert.Contains("Test test (1970-01-01): overall 1.000", one.Out);
        Assert.Contains("Drift: one test only", one.Out);
    }

    [Theory]
    [InlineData(new[] { "rep,segment,answer", "rep-a,no-playbook,We ship" }, "line 2, field 'segment': segment 'no-playbook' has no value proposition")]
    [InlineData(new[] { "rep,segment,answer", "rep-a,enterprise," }, "line 2, field 'answer': the answer is empty")]
    [InlineData(new[] { "rep,answer", "rep-a,x" }, "line 1, field 'segment': the column is missing from the header")]
    [InlineData(new[] { "test,at,rep,segment,answer", "q1,last spring,rep-a,enterprise,x" }, "line 2, field 'at': 'last spring' is not an ISO 8601 date")]
    [InlineData(new[] { "rep,segment,answer", "rep-a,general,x", "rep-a,general,y" }, "line 3, field 'rep': rep 'rep-a' answered twice for segment 'general' in test 'test'")]
    [InlineData(new[] { "rep,segment,answer", "rep-a,general,\"unclosed" }, "line 2")]
    [InlineData(new[] { "rep,segment,answer" }, "field '--answers': the file has no answer")]
    public async Task Consistency_BadAnswers_ExitsOneNamingFileLineAndField(string[] lines, string expected)
    {
        using var dir = new TempFolder();
        var model = dir.Write("segments.json", Model);
        var answers = dir.Write("answers.csv", lines);

        var run = await CliRun.RunAsync("consistency", "--answers", answers, "--segments", model);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{answers}, {expected}", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task Consistency_BadModel_NamesItsJsonPath_AndAModelWithoutPlaybooksIsRefused()
    {
        using var dir = new TempFolder();
        var answers = dir.Write("answers.csv", Answers);
        var broken = dir.Write("broken.json", Model.Replace("\"atLeast\": 1000", "\"atLeast\": \"many\"", StringComparison.Ordinal));
        var bare = dir.Write("bare.json", """{ "id": "seg", "segments": [], "default": { "id": "general" } }""");

        var run = await CliRun.RunAsync("consistency", "--answers", answers, "--segments", broken);
        var none = await CliRun.RunAsync("consistency", "--answers", answers, "--segments", bare);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("$.segments[0].when[0].atLeast", run.Error);
        Assert.Equal(ExitCodes.BadInput, none.ExitCode);
        Assert.Contains("no segment has a playbook with a value proposition", none.Error);
    }

    [Theory]
    [InlineData("consistency", "--answers", "a.csv")]
    [InlineData("consistency", "--answers", "a.csv", "--segments", "s.json", "--drift", "0")]
    [InlineData("consistency", "--answers", "a.csv", "--segments", "s.json", "--drift", "1.5")]
    [InlineData("consistency", "--answers", "a.csv", "--segments", "s.json", "--format", "csv")]
    public async Task Consistency_UsageError_ExitsTwo(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("Run 'alignment consistency --help' for usage.", run.Error);
    }
}
