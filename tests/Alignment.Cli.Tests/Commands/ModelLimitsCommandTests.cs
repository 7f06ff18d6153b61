using System.Diagnostics;
using System.Text;

namespace Alignment.Cli.Tests.Commands;

/// <summary>
/// The command's reading of model, policy and release files: properties given twice, huge day counts and control characters in
/// names are bad input (exit 1 with the JSON path); a file is read only up to its size limit, which <c>--limit</c> raises.
/// </summary>
public sealed class ModelLimitsCommandTests
{
    private const string Header = """{ "id": "t", "version": "1.0.0", "thresholds": { "mql": { "score": 20 } },""";

    private static string[] Model(string sections) => [Header, sections + " }"];

    [Fact]
    public async Task Validate_PointsGivenTwice_ExitsOneNamingThePath()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", Model("""  "fit": [ { "id": "software", "points": 15, "points": 999999, "when": { "field": "company.industry", "in": ["Software"] } } ]"""));

        var run = await CliRun.RunAsync("validate", model);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal(
            $"alignment: error: {model}, field '$.fit[0].points': the scoring model is invalid: the property 'points' appears more than once in this object; a reader would keep only the last value, so remove the others\n",
            run.Error.ReplaceLineEndings("\n"));
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Score_FitGivenTwice_ExitsOneNamingThePath()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", Model("""  "fit": [ { "id": "software", "points": 15, "when": { "field": "company.industry", "in": ["Software"] } } ], "fit": []"""));
        string leads = dir.Write("leads.csv", "id,industry", "L1,Software");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--as-of", "2026-03-01");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{model}, field '$.fit': the scoring model is invalid: the property 'fit' appears more than once", run.Error);
        Assert.Empty(run.Out);
    }

    [Theory]
    [InlineData("""  "engagement": [ { "id": "e", "activity": "pageView", "points": 5, "decay": { "steps": [ { "afterDays": 2147483647, "factor": 0.5 } ] } } ]""", "$.engagement[0].decay.steps[0].afterDays", "must be from 1 to 36,500 days, found 2147483647")]
    [InlineData("""  "engagement": [ { "id": "e", "activity": "pageView", "points": 5, "decay": { "steps": [ { "afterDays": 200000000, "factor": 0.5 } ] } } ]""", "$.engagement[0].decay.steps[0].afterDays", "must be from 1 to 36,500 days, found 200000000")]
    [InlineData("""  "engagement": [ { "id": "e", "activity": "pageView", "points": 5, "windowDays": 10675200 } ]""", "$.engagement[0].windowDays", "the window must be from 1 to 36,500 days, found 10675200")]
    [InlineData("""  "fit": [ { "id": "soft\tware", "points": 15, "when": { "field": "company.industry", "in": ["Software"] } } ]""", "$.fit[0].id", "a rule id cannot hold control or bidirectional formatting characters; found U+0009 at position 5")]
    public async Task ValidateAndScore_NumbersOutOfRangeAndControlCharactersInNames_ExitOneNamingThePathAndTheRange(string sections, string path, string message)
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", Model(sections));
        string leads = dir.Write("leads.csv", "id,industry", "L1,Software");

        var validate = await CliRun.RunAsync("validate", model);
        var score = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--as-of", "2026-03-01");

        string expected = $"alignment: error: {model}, field '{path}': the scoring model is invalid: {message}\n";
        Assert.Equal(ExitCodes.BadInput, validate.ExitCode);
        Assert.Equal(expected, validate.Error.ReplaceLineEndings("\n"));
        Assert.Equal(ExitCodes.BadInput, score.ExitCode);
        Assert.Equal(expected, score.Error.ReplaceLineEndings("\n"));
        Assert.Empty(score.Out);
    }

    [Fact]
    public async Task Validate_DevZero_IsReadOnlyUpToTheLimit_AndRefusedNamingIt()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        var run = await CliRun.RunAsync("validate", "/dev/zero");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal(
            "alignment: error: /dev/zero, field 'FILE': the file is more than 16,777,216 bytes, over the limit of 16,777,216 " +
            "(ModelReadLimits.MaxBytes; raise it only for files you trust: in code through the loader's ModelReadLimits, on the command line with --limit maxBytes=N)\n",
            run.Error.ReplaceLineEndings("\n"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Score_ModelFromAPipeThatNeverEnds_IsRefusedAtTheLimit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var dir = new TempFolder();
        string fifo = dir.File_("model.json");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        string leads = dir.Write("leads.csv", "id,industry", "L1,Software");
        var writer = Task.Run(() =>
        {
            byte[] spaces = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
            try
            {
                using var pipe = new FileStream(fifo, FileMode.Open, FileAccess.Write);
                while (true)
                {
                    pipe.Write(spaces);
                }
            }
            catch (IOException)
            {
                // The reader closed the pipe.
            }
        });

        var run = await CliRun.RunAsync("score", "--model", fifo, "--leads", leads, "--limit", "maxBytes=1000000");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{fifo}, field '--model': the file is more than 1,000,000 bytes, over the limit of 1,000,000", run.Error);
        Assert.True(await Task.WhenAny(writer, Task.Delay(TimeSpan.FromSeconds(30))) == writer, "the writer never saw the pipe closed");
    }

    [Fact]
    public async Task Validate_TwentyMegabyteModel_IsRefusedByDefault_AndAcceptedWithARaisedLimit()
    {
        using var dir = new TempFolder();
        string model = dir.Write("big.json", [.. TestFiles.ScoringModel, new string(' ', 20 * 1024 * 1024)]);

        var refused = await CliRun.RunAsync("validate", model);
        var accepted = await CliRun.RunAsync("validate", model, "--limit", "maxBytes=33554432");

        Assert.Equal(ExitCodes.BadInput, refused.ExitCode);
        Assert.Contains($"{model}, field 'FILE': the file is more than 16,777,216 bytes, over the limit of 16,777,216", refused.Error);
        Assert.Contains("--limit maxBytes=N", refused.Error);
        Assert.Equal(ExitCodes.Success, accepted.ExitCode);
        Assert.StartsWith("valid: scoring model t@1.0.0 (2 rules", accepted.Out);
    }

    [Fact]
    public async Task Score_LimitIsPassedToTheModelLoader()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", Model("""  "fit": [ { "id": "software", "points": 15, "when": { "field": "company.industry", "in": ["Software", "SaaS", "Cloud"] } } ]"""));
        string leads = dir.Write("leads.csv", "id,industry", "L1,Software");

        var refused = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--as-of", "2026-03-01", "--limit", "maxArrayLength=2");
        var accepted = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--as-of", "2026-03-01", "--limit", "maxArrayLength=3", "--limit", "maxDepth=8");

        Assert.Equal(ExitCodes.BadInput, refused.ExitCode);
        Assert.Contains($"{model}, field '$.fit[0].when.in': the scoring model is invalid: the array has more than 2 items (ModelReadLimits.MaxArrayLength;", refused.Error);
        Assert.Equal(ExitCodes.Success, accepted.ExitCode);
        Assert.Equal("id,total,fit,engagement,grade,state\nL1,15,15,0,D,notQualified\n", accepted.Out);
    }

    [Fact]
    public async Task Validate_ReleaseWithAnApprovalFieldGivenTwice_ExitsOneNamingThePath()
    {
        using var dir = new TempFolder();
        string release = dir.Write(
            "release.json",
            """{ "model": { "id": "t", "version": "1.0.0", "thresholds": { "mql": { "score": 20 } } },""",
            """  "approvals": [ { "approvedBy": "mia@example.com", "side": "marketing", "side": "sales", "approvedAt": "2026-03-01T12:00:00Z", "contentHash": "0000000000000000000000000000000000000000000000000000000000000000" } ] }""");

        var run = await CliRun.RunAsync("validate", release);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{release}, field '$.approvals[0].side': the scoring model is invalid: the property 'side' appears more than once", run.Error);
    }

    [Fact]
    public async Task SegmentAndRoute_FilesOverTheSizeLimit_ExitOneNamingTheFileAndTheLimit()
    {
        using var dir = new TempFolder();
        string segments = dir.Write("segments.json", PolicyFiles.Segments);
        string policy = dir.Write("policy.json", PolicyFiles.Policy);
        string roster = dir.Write("roster.json", PolicyFiles.Roster);
        string csv = dir.Write("rows.csv", "id", "A1");

        var segment = await CliRun.RunAsync("segment", "--model", segments, "--accounts", csv, "--limit", "maxBytes=100");
        var route = await CliRun.RunAsync("route", "--policy", policy, "--roster", roster, "--leads", csv, "--limit", "maxBytes=100");

        Assert.Equal(ExitCodes.BadInput, segment.ExitCode);
        Assert.Contains($"{segments}, field '--model': the file is more than 100 bytes, over the limit of 100", segment.Error);
        Assert.Equal(ExitCodes.BadInput, route.ExitCode);
        Assert.Contains($"{policy}, field '--policy': the file is more than 100 bytes, over the limit of 100", route.Error);
    }

    [Fact]
    public async Task SegmentRouteAndValidate_PassTheLimitsToTheSegmentationAndRoutingLoaders()
    {
        using var dir = new TempFolder();
        string segments = dir.Write("segments.json", PolicyFiles.Segments);
        string policy = dir.Write("policy.json", PolicyFiles.Policy);
        string roster = dir.Write("roster.json", PolicyFiles.Roster);
        string csv = dir.Write("rows.csv", "id", "A1");

        var segment = await CliRun.RunAsync("segment", "--model", segments, "--accounts", csv, "--limit", "maxArrayLength=2");
        var route = await CliRun.RunAsync("route", "--policy", policy, "--roster", roster, "--leads", csv, "--limit", "maxArrayLength=2");
        var policyAlone = await CliRun.RunAsync("validate", policy, "--limit", "maxArrayLength=2");
        var rosterAlone = await CliRun.RunAsync("validate", roster, "--kind", "roster", "--limit", "maxStringLength=2");

        Assert.Equal(ExitCodes.BadInput, segment.ExitCode);
        Assert.Contains("the array has more than 2 items (ModelReadLimits.MaxArrayLength;", segment.Error);
        Assert.Contains($"{segments}, field '$.segments'", segment.Error);
        Assert.Equal(ExitCodes.BadInput, route.ExitCode);
        Assert.Contains($"{policy}, field '$.rules'", route.Error);
        Assert.Equal(ExitCodes.BadInput, policyAlone.ExitCode);
        Assert.Contains("$.rules", policyAlone.Error);
        Assert.Equal(ExitCodes.BadInput, rosterAlone.ExitCode);
        Assert.Contains("over the limit of 2 (ModelReadLimits.MaxStringLength;", rosterAlone.Error);
    }

    [Fact]
    public async Task SegmentAndRoute_PropertyGivenTwiceInASegmentationModelPolicyOrRoster_ExitOneNamingThePath()
    {
        using var dir = new TempFolder();
        string segments = dir.Write("segments.json", [.. PolicyFiles.Segments.Select(l => l.Replace("""{ "id": "hot", """, """{ "id": "hot", "id": "cold", """, StringComparison.Ordinal))]);
        string policy = dir.Write("policy.json", [.. PolicyFiles.Policy.Select(l => l.Replace("\"slaMinutes\": 15", "\"slaMinutes\": 15, \"slaMinutes\": 999999", StringComparison.Ordinal))]);
        string roster = dir.Write("roster.json", [.. PolicyFiles.Roster.Select(l => l.Replace("\"maxOpenLeads\": 1", "\"maxOpenLeads\": 1, \"maxOpenLeads\": 1000", StringComparison.Ordinal))]);
        string goodPolicy = dir.Write("good-policy.json", PolicyFiles.Policy);
        string csv = dir.Write("rows.csv", "id", "A1");

        var segment = await CliRun.RunAsync("segment", "--model", segments, "--accounts", csv);
        var route = await CliRun.RunAsync("route", "--policy", policy, "--roster", dir.Write("ok-roster.json", PolicyFiles.Roster), "--leads", csv);
        var rosterRun = await CliRun.RunAsync("route", "--policy", goodPolicy, "--roster", roster, "--leads", csv);

        Assert.Equal(ExitCodes.BadInput, segment.ExitCode);
        Assert.Contains($"{segments}, field '$.segments[1].id'", segment.Error);
        Assert.Contains("the property 'id' appears more than once in this object", segment.Error);
        Assert.Equal(ExitCodes.BadInput, route.ExitCode);
        Assert.Contains($"{policy}, field '$.rules[1].slaMinutes'", route.Error);
        Assert.Equal(ExitCodes.BadInput, rosterRun.ExitCode);
        Assert.Contains($"{roster}, field '$.reps[2].maxOpenLeads'", rosterRun.Error);
    }

    [Fact]
    public async Task SegmentAndValidate_BlankAttributeName_ExitOneNamingTheField()
    {
        using var dir = new TempFolder();
        string segments = dir.Write("segments.json", [.. PolicyFiles.Segments.Select(l => l.Replace("attributes.isPartner", "attributes. ", StringComparison.Ordinal))]);
        string csv = dir.Write("rows.csv", "id", "A1");

        var segment = await CliRun.RunAsync("segment", "--model", segments, "--accounts", csv);
        var validate = await CliRun.RunAsync("validate", segments);

        foreach (var run in new[] { segment, validate })
        {
            Assert.Equal(ExitCodes.BadInput, run.ExitCode);
            Assert.Contains($"{segments}, field '$.segments[2].when[0].field'", run.Error);
            Assert.Contains("The attribute schema has no attribute ' '.", run.Error);
            Assert.DoesNotContain("internal error", run.Error);
        }
    }

    [Fact]
    public async Task Validate_500OverlappingDefinitions_ListsEveryOverlapWithoutStalling()
    {
        // 124,750 overlap notes: the report used to be built by repeated string concatenation (minutes for this file).
        using var dir = new TempFolder();
        string values = string.Join(", ", Enumerable.Range(0, 10).Select(i => $"\"v{i}\""));
        string segments = string.Join(",", Enumerable.Range(0, 500).Select(i => $$"""{ "id": "s{{i}}", "when": [ { "field": "company.industry", "in": [{{values}}] } ] }"""));
        string model = dir.Write("segments.json", $$"""{ "id": "m", "segments": [{{segments}}], "default": { "id": "rest" } }""");

        var run = CliRun.RunAsync("validate", model);
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(1)));

        Assert.True(finished == run, "validate did not finish within a minute");
        var result = await run;
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1 + 124_750, result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory]
    [InlineData("maxBytes", "--limit takes NAME=N with NAME one of maxBytes, maxDepth, maxObjects, maxArrayLength, maxStringLength (was 'maxBytes').")]
    [InlineData("maxRules=5", "--limit takes NAME=N with NAME one of maxBytes, maxDepth, maxObjects, maxArrayLength, maxStringLength (was 'maxRules=5').")]
    [InlineData("maxBytes=20MB", "--limit maxBytes must be a whole number of at least 1 (was '20MB').")]
    [InlineData("maxDepth=0", "--limit maxDepth must be a whole number from 1 to 1,000 (was '0').")]
    [InlineData("maxObjects=3000000000", "--limit maxObjects must be a whole number from 1 to 2,147,483,647 (was '3000000000').")]
    public async Task Limit_Malformed_IsAUsageError(string value, string message)
    {
        var run = await CliRun.RunAsync("validate", "model.json", "--limit", value);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains($"alignment: {message}", run.Error);
    }

    [Theory]
    [InlineData("score")]
    [InlineData("backtest")]
    [InlineData("diff")]
    [InlineData("segment")]
    [InlineData("route")]
    [InlineData("validate")]
    public async Task Limit_IsOfferedByEveryCommandThatReadsModels(string command)
    {
        var run = await CliRun.RunAsync(command, "--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("--limit <NAME=N>", run.Out);
    }
}
