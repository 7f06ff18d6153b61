namespace Alignment.Cli.Tests.Commands;

public sealed class ValidateCommandTests
{
    [Fact]
    public async Task Validate_EachKindOfValidFile_PrintsValidAndExitsZero()
    {
        using var dir = new TempFolder();
        string scoring = dir.Write("model.json", TestFiles.ScoringModel);
        string segments = dir.Write("segments.json", PolicyFiles.Segments);
        string policy = dir.Write("policy.json", PolicyFiles.Policy);
        string roster = dir.Write("roster.json", PolicyFiles.Roster);

        var s = await CliRun.RunAsync("validate", scoring);
        var g = await CliRun.RunAsync("validate", segments);
        var p = await CliRun.RunAsync("validate", policy);
        var pr = await CliRun.RunAsync("validate", policy, "--roster", roster);
        var r = await CliRun.RunAsync("validate", roster);

        Assert.All([s, g, p, pr, r], run => Assert.Equal(ExitCodes.Success, run.ExitCode));
        Assert.StartsWith("valid: scoring model t@1.0.0 (2 rules, content hash ", s.Out);
        Assert.StartsWith("valid: segmentation model acme-segments (3 definitions and default 'general')", g.Out);
        Assert.Contains("note: 'enterprise-software' and 'hot' can both match", g.Out);
        Assert.StartsWith("valid: routing policy (pools not checked", p.Out);
        Assert.StartsWith("valid: routing policy p1 (3 rules) with roster", pr.Out);
        Assert.StartsWith("valid: roster", r.Out);
    }

    [Fact]
    public async Task Validate_APropertyNameEscapingHalfASurrogatePair_IsALocatedErrorNotACrash()
    {
        // Found by the fuzz test: the kind detection compared property names and System.Text.Json threw on "\ud800".
        using var dir = new TempFolder();
        string file = dir.Write("segments.json", "{ \"id\": \"x\", \"version\": \"1\", \"segm\\ud800ents\": [], \"default\": { \"id\": \"general\" } }");

        var run = await CliRun.RunAsync("validate", file);

        Assert.True(run.ExitCode is ExitCodes.Success or ExitCodes.BadInput, $"exit {run.ExitCode}: {run.Error}");
        Assert.DoesNotContain("internal error", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ScoringModelWithErrors_ListsEveryErrorWithItsPath()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.BrokenScoringModel);

        var run = await CliRun.RunAsync("validate", model);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{model}: the scoring model is invalid (2 problems):", run.Error);
        Assert.Contains("field '$.fit[0].when.field'", run.Error);
        Assert.Contains("field '$.engagement[0].windowDays'", run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Validate_RosterWithErrors_ListsEveryError()
    {
        using var dir = new TempFolder();
        string roster = dir.Write("roster.json", """{ "reps": [ { "id": "x", "team": "t", "timeZone": "Mars/Base", "maxOpenLeads": -1 } ] }""");

        var run = await CliRun.RunAsync("validate", roster);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{roster}: the roster is invalid (2 problems):", run.Error);
        Assert.Contains("field '$.reps[0].timeZone': unknown time-zone id 'Mars/Base'", run.Error);
        Assert.Contains("field '$.reps[0].maxOpenLeads': a cap cannot be negative (was -1)", run.Error);
    }

    [Fact]
    public async Task Validate_PolicyWithErrors_ChecksRulesAloneAndPoolsWithRoster()
    {
        using var dir = new TempFolder();
        string policy = dir.Write("policy.json", """{ "id": "p", "fallbackQueue": "q", "rules": [ { "id": "a", "strategy": "roundRobin", "pool": { "reps": ["ghost"] }, "slaMinutes": 0 }, { "id": "a", "strategy": "loadBalanced", "pool": { "teams": ["ae"] } } ] }""");
        string roster = dir.Write("roster.json", PolicyFiles.Roster);

        var alone = await CliRun.RunAsync("validate", policy);
        var withRoster = await CliRun.RunAsync("validate", policy, "--roster", roster);

        Assert.Equal(ExitCodes.BadInput, alone.ExitCode);
        Assert.Contains("field '$.rules[0].slaMinutes': must be greater than zero (was 0)", alone.Error);
        Assert.Contains("field '$.rules[1].id': duplicate rule id 'a'", alone.Error);
        Assert.DoesNotContain("ghost", alone.Error);
        Assert.Equal(ExitCodes.BadInput, withRoster.ExitCode);
        Assert.Contains("field '$.rules[0].pool.reps[0]': unknown rep id 'ghost'", withRoster.Error);
    }

    [Fact]
    public async Task Validate_MalformedOrUnknownJson_ExitsOneNamingTheFile()
    {
        using var dir = new TempFolder();
        string malformed = dir.Write("bad.json", "{", "  \"reps\": [ }");
        string unknown = dir.Write("other.json", """{ "colour": "red" }""");

        var bad = await CliRun.RunAsync("validate", malformed);
        var other = await CliRun.RunAsync("validate", unknown);

        Assert.Equal(ExitCodes.BadInput, bad.ExitCode);
        Assert.Contains($"{malformed}, line 2, field '$': malformed JSON", bad.Error);
        Assert.Equal(ExitCodes.BadInput, other.ExitCode);
        Assert.Contains($"{unknown}, field '$': cannot tell what kind of file this is", other.Error);
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("validate", "a.json", "--kind", "campaign")]
    public async Task Validate_UsageError_ExitsTwo(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("Run 'alignment validate --help' for usage.", run.Error);
    }

    [Fact]
    public async Task Validate_DocumentedExampleModelWithPlugin_ResolvesThePluginRule()
    {
        var run = await CliRun.RunAsync("validate", TestPlugins.ExampleModel, "--plugin", TestPlugins.Rules);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.Equal(
            "valid: scoring model acme-b2b-standard@2.1.0 (25 rules, content hash baa3d44ae30c)\n" +
            $"plugin rules: intent -> intent-data (Alignment.Cli.TestPlugin.IntentDataRule in {TestPlugins.Rules})\n",
            run.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Validate_DocumentedExampleModelWithoutPlugin_ChecksFormOnlyAsBefore()
    {
        var run = await CliRun.RunAsync("validate", TestPlugins.ExampleModel);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("valid: scoring model acme-b2b-standard@2.1.0 (25 rules, content hash baa3d44ae30c)\n", run.Out.ReplaceLineEndings("\n"));
    }
}
