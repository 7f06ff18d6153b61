using System.Text.Json;
using Alignment.Cli.Commands;
using Alignment.Scoring.Governance;
using Microsoft.Extensions.Time.Testing;

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
        Assert.Contains($"{broken}, field '$.version (line 2", run.Error);
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

    // Impact preview. TestFiles.ScoringModel: MQL at 20, hot at 50 (grade F); Software +15 and a grade step (D -> C); demo +40.
    // LowerThresholds is the same model with MQL at 15 and hot at 40. As of 2026-03-01:
    //   L1 Software + demo 2026-02-01: 55 C hot under both                   -> no change
    //   L2 Software:                   15 C not qualified -> 15 C MQL        -> newly MQL
    //   L3 Retail + demo 2026-02-01:   40 D MQL -> 40 D hot                  -> newly hot
    //   L4 Retail:                     0 D not qualified under both          -> no change
    //   L5 Software + demo 2026-04-01: the demo is after --as-of, so 15 C    -> newly MQL (55 hot under both if the demo counted)
    private static readonly string[] LowerThresholds =
    [
        """{ "id": "t", "version": "1.2.0", "changeNote": "lower thresholds",""",
        """  "thresholds": { "mql": { "score": 15, "minGrade": "F" }, "hot": { "score": 40, "minGrade": "F" } },""",
        """  "fit": [ { "id": "software", "points": 15, "grade": "+1", "when": { "field": "company.industry", "in": ["Software"] } } ],""",
        """  "engagement": [ { "id": "demo", "activity": "demoRequested", "points": 40 } ] }""",
    ];

    private static readonly string[] Leads = ["id,industry", "L1,Software", "L2,Software", "L3,Retail", "L4,Retail", "L5,Software"];

    private static readonly string[] Activities =
        ["leadId,type,timestamp", "L1,demoRequested,2026-02-01", "L3,demoRequested,2026-02-01", "L5,demoRequested,2026-04-01"];

    private const string ExpectedImpactCounts =
        "MQL: 2 -> 4\n" +
        "Newly MQL: 2\n" +
        "  L2: 15 C not qualified -> 15 C MQL\n" +
        "  L5: 15 C not qualified -> 15 C MQL\n" +
        "No longer MQL: 0\n" +
        "Newly hot: 1\n" +
        "  L3: 40 D MQL -> 40 D hot\n" +
        "No longer hot: 0\n" +
        "Grade up: 0\n" +
        "Grade down: 0\n" +
        "Score changed: 0\n";

    [Fact]
    public async Task Diff_WithLeads_PrintsDiffThenImpactWithHandComputedCounts()
    {
        using var dir = new TempFolder();
        string v1 = dir.Write("v1.json", TestFiles.ScoringModel);
        string v2 = dir.Write("v2.json", LowerThresholds);
        string leads = dir.Write("leads.csv", Leads);
        string activities = dir.Write("activities.csv", Activities);

        var run = await CliRun.RunAsync("diff", v1, v2, "--leads", leads, "--activities", activities, "--as-of", "2026-03-01");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.StartsWith("Scoring model diff: t@1.0.0 (", run.Out);
        Assert.Contains("~ thresholds.mql: score 20, grade F -> score 15, grade F", run.Out);
        int impact = run.Out.IndexOf("\n\nImpact of t@1.0.0 (", StringComparison.Ordinal);
        Assert.True(impact > 0, run.Out);
        Assert.Contains(") -> t@1.2.0 (", run.Out[impact..]);
        Assert.Contains(" on 5 lead(s) as of 2026-03-01T00:00:00Z\n" + ExpectedImpactCounts, run.Out);
        Assert.EndsWith(ExpectedImpactCounts, run.Out);
    }

    [Fact]
    public async Task Diff_WithLeadsReversed_CountsLeadsNoLongerMqlAndLimitsExamples()
    {
        using var dir = new TempFolder();
        string v1 = dir.Write("v1.json", TestFiles.ScoringModel);
        string v2 = dir.Write("v2.json", LowerThresholds);
        string leads = dir.Write("leads.csv", Leads);
        string activities = dir.Write("activities.csv", Activities);

        var run = await CliRun.RunAsync("diff", v2, v1, "--leads", leads, "--activities", activities, "--as-of", "2026-03-01T00:00:00Z", "--examples", "1");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains(
            "MQL: 4 -> 2\n" +
            "Newly MQL: 0\n" +
            "No longer MQL: 2\n" +
            "  L2: 15 C MQL -> 15 C not qualified\n" +
            "Newly hot: 0\n" +
            "No longer hot: 1\n" +
            "  L3: 40 D hot -> 40 D MQL\n",
            run.Out);
    }

    [Fact]
    public async Task Diff_WithLeadsWithoutAsOf_ScoresAtTheClocksNow()
    {
        using var dir = new TempFolder();
        string v1 = dir.Write("v1.json", TestFiles.ScoringModel);
        string v2 = dir.Write("v2.json", LowerThresholds);
        string leads = dir.Write("leads.csv", Leads);
        string activities = dir.Write("activities.csv", Activities);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

        var run = await CliRun.RunAsync([new DiffCommand(clock)], ["diff", v1, v2, "--leads", leads, "--activities", activities]);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains(" on 5 lead(s) as of 2026-03-01T00:00:00Z\n" + ExpectedImpactCounts, run.Out);
    }

    [Fact]
    public async Task Diff_WithLeadsWithoutActivities_ScoresFitOnly()
    {
        using var dir = new TempFolder();
        string v1 = dir.Write("v1.json", TestFiles.ScoringModel);
        string v2 = dir.Write("v2.json", LowerThresholds);
        string leads = dir.Write("leads.csv", Leads);

        var run = await CliRun.RunAsync("diff", v1, v2, "--leads", leads, "--as-of", "2026-03-01");

        // Without activities L1, L2 and L5 score 15 C (MQL only under the lower threshold); L3 and L4 score 0.
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("MQL: 0 -> 3\nNewly MQL: 3\n", run.Out);
        Assert.Contains("Newly hot: 0\n", run.Out);
    }

    [Fact]
    public async Task Diff_WithLeadsJson_AddsImpactPropertyAfterTheDiff()
    {
        using var dir = new TempFolder();
        string v1 = dir.Write("v1.json", TestFiles.ScoringModel);
        string v2 = dir.Write("v2.json", LowerThresholds);
        string leads = dir.Write("leads.csv", Leads);
        string activities = dir.Write("activities.csv", Activities);

        var run = await CliRun.RunAsync("diff", v1, v2, "--leads", leads, "--activities", activities, "--as-of", "2026-03-01", "--format", "json", "--examples", "1");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.True(root.GetProperty("hasChanges").GetBoolean());
        Assert.Equal("thresholds.mql", root.GetProperty("settings")[0].GetProperty("setting").GetString());
        Assert.Equal("impact", root.EnumerateObject().Last().Name);
        var impact = root.GetProperty("impact");
        Assert.Equal("1.0.0", impact.GetProperty("from").GetProperty("version").GetString());
        Assert.Equal("1.2.0", impact.GetProperty("to").GetProperty("version").GetString());
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), impact.GetProperty("asOf").GetDateTimeOffset());
        Assert.Equal(5, impact.GetProperty("leads").GetInt32());
        Assert.Equal(2, impact.GetProperty("mqlBefore").GetInt32());
        Assert.Equal(4, impact.GetProperty("mqlAfter").GetInt32());
        Assert.Equal(2, impact.GetProperty("newlyMql").GetProperty("count").GetInt32());
        var example = Assert.Single(impact.GetProperty("newlyMql").GetProperty("examples").EnumerateArray());
        Assert.Equal("L2", example.GetProperty("leadId").GetString());
        Assert.Equal("MarketingQualified", example.GetProperty("newState").GetString());
        Assert.Equal(0, impact.GetProperty("noLongerMql").GetProperty("count").GetInt32());
        Assert.Equal(1, impact.GetProperty("newlyHot").GetProperty("count").GetInt32());
        Assert.Equal("L3", impact.GetProperty("newlyHot").GetProperty("examples")[0].GetProperty("leadId").GetString());
        Assert.Equal(0, impact.GetProperty("gradeUp").GetProperty("count").GetInt32());
        Assert.Equal(0, impact.GetProperty("scoreChanged").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Diff_WithLeads_CompilesBothModelsAgainstTheAttributesEitherDeclares()
    {
        using var dir = new TempFolder();
        string v1 = dir.Write("v1.json", TestFiles.ScoringModel);
        string v2 = dir.Write(
            "v2.json",
            """{ "id": "t", "version": "2.0.0", "attributes": [ { "name": "isPartner", "type": "boolean" } ],""",
            """  "thresholds": { "mql": { "score": 20, "minGrade": "F" }, "hot": { "score": 50, "minGrade": "F" } },""",
            """  "fit": [ { "id": "software", "points": 15, "grade": "+1", "when": { "field": "company.industry", "in": ["Software"] } },""",
            """           { "id": "partner", "points": 10, "when": { "field": "attributes.isPartner", "equals": true } } ],""",
            """  "engagement": [ { "id": "demo", "activity": "demoRequested", "points": 40 } ] }""");
        string leads = dir.Write("leads.csv", "id,industry,isPartner", "P1,Software,true", "P2,Software,false", "P3,Retail,yes");
        string noColumn = dir.Write("no-column.csv", "id,industry", "P1,Software");

        var run = await CliRun.RunAsync("diff", v1, v2, "--leads", leads, "--as-of", "2026-03-01");
        var missing = await CliRun.RunAsync("diff", v1, v2, "--leads", noColumn, "--as-of", "2026-03-01");

        // P1 15 -> 25 (MQL), P2 15 -> 15, P3 0 -> 10.
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("MQL: 0 -> 1\nNewly MQL: 1\n  P1: 15 C not qualified -> 25 C MQL\n", run.Out);
        Assert.Contains("Score changed: 2\n  P1: 15 C not qualified -> 25 C MQL\n  P3: 0 D not qualified -> 10 D not qualified\n", run.Out);
        Assert.Equal(ExitCodes.BadInput, missing.ExitCode);
        Assert.Contains($"{noColumn}, line 1, field 'isPartner': the column is missing from the header", missing.Error);
    }

    [Fact]
    public async Task Diff_WithLeads_AttributeTypeChanged_ExitsOneNamingTheAttributeAndBothFiles()
    {
        using var dir = new TempFolder();
        static string[] Model(string version, string type) =>
        [
            $$"""{ "id": "t", "version": "{{version}}", "attributes": [ { "name": "tier", "type": "{{type}}" } ],""",
            """  "thresholds": { "mql": { "score": 20, "minGrade": "F" } },""",
            """  "fit": [ { "id": "tiered", "points": 5, "when": { "not": { "field": "attributes.tier", "isMissing": true } } } ] }""",
        ];
        string v1 = dir.Write("a1.json", Model("1.0.0", "number"));
        string v2 = dir.Write("a2.json", Model("2.0.0", "text"));
        string leads = dir.Write("leads.csv", "id,tier", "L1,3");

        var plain = await CliRun.RunAsync("diff", v1, v2);
        var run = await CliRun.RunAsync("diff", v1, v2, "--leads", leads, "--as-of", "2026-03-01");

        Assert.Equal(ExitCodes.Success, plain.ExitCode); // the diff itself reports the change
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"attribute 'tier' is Number in {v1} but Text in {v2}", run.Error, StringComparison.Ordinal);
        Assert.Contains("score each with its own", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_WithoutLeads_OutputIsTheDiffAlone()
    {
        using var dir = new TempFolder();
        string v1 = dir.Write("v1.json", TestFiles.ScoringModel);
        string v2 = dir.Write("v2.json", LowerThresholds);
        var diff = ScoringModelDiff.Compare(
            ScoringModelReleaseJson.Parse(File.ReadAllText(v1), v1).Definition,
            ScoringModelReleaseJson.Parse(File.ReadAllText(v2), v2).Definition);

        var text = await CliRun.RunAsync("diff", v1, v2);
        var json = await CliRun.RunAsync("diff", v1, v2, "--format", "json");

        Assert.Equal(ExitCodes.Success, text.ExitCode);
        Assert.Equal(diff.ToText().TrimEnd('\n') + "\n", text.Out);
        Assert.DoesNotContain("Impact of", text.Out);
        Assert.Equal(ExitCodes.Success, json.ExitCode);
        Assert.Equal(diff.ToJson().TrimEnd('\n') + "\n", json.Out);
    }

    [Fact]
    public async Task Diff_MissingLeadsOrActivitiesFile_ExitsOneNamingFileAndOption()
    {
        using var dir = new TempFolder();
        string v1 = dir.Write("v1.json", TestFiles.ScoringModel);
        string v2 = dir.Write("v2.json", LowerThresholds);
        string leads = dir.Write("leads.csv", Leads);
        string missing = dir.File_("missing.csv");

        var noLeads = await CliRun.RunAsync("diff", v1, v2, "--leads", missing);
        var noActivities = await CliRun.RunAsync("diff", v1, v2, "--leads", leads, "--activities", missing);

        Assert.Equal(ExitCodes.BadInput, noLeads.ExitCode);
        Assert.Contains($"{missing}, field '--leads': the file does not exist", noLeads.Error);
        Assert.Empty(noLeads.Out);
        Assert.Equal(ExitCodes.BadInput, noActivities.ExitCode);
        Assert.Contains($"{missing}, field '--activities': the file does not exist", noActivities.Error);
        Assert.Empty(noActivities.Out);
    }

    [Fact]
    public async Task Diff_MalformedLeadsOrActivities_ExitsOneNamingLineAndFieldAndPrintsNothing()
    {
        using var dir = new TempFolder();
        string v1 = dir.Write("v1.json", TestFiles.ScoringModel);
        string v2 = dir.Write("v2.json", LowerThresholds);
        string leads = dir.Write("leads.csv", Leads);
        string badSize = dir.Write("bad-size.csv", "id,industry,employeeCount", "L1,Software,500", "L2,Retail,forty");
        string twice = dir.Write("twice.csv", "id,industry", "L1,Software", "L2,Retail", "L1,Retail");
        string badActivity = dir.Write("bad-activity.csv", "leadId,type,timestamp", "L1,demoRequested,2026-02-30");
        string stranger = dir.Write("stranger.csv", "leadId,type,timestamp", "L1,demoRequested,2026-02-01", "L9,demoRequested,2026-02-01");

        var size = await CliRun.RunAsync("diff", v1, v2, "--leads", badSize);
        var duplicate = await CliRun.RunAsync("diff", v1, v2, "--leads", twice);
        var timestamp = await CliRun.RunAsync("diff", v1, v2, "--leads", leads, "--activities", badActivity);
        var unknownLead = await CliRun.RunAsync("diff", v1, v2, "--leads", leads, "--activities", stranger);

        Assert.All([size, duplicate, timestamp, unknownLead], run =>
        {
            Assert.Equal(ExitCodes.BadInput, run.ExitCode);
            Assert.Empty(run.Out);
        });
        Assert.Contains($"{badSize}, line 3, field 'employeeCount': 'forty' is not a whole number of at least 0", size.Error);
        Assert.Contains($"{twice}, line 4, field 'id': lead 'L1' appears twice", duplicate.Error);
        Assert.Contains($"{badActivity}, line 2, field 'timestamp':", timestamp.Error);
        Assert.Contains($"{stranger}, line 3, field 'leadId': lead 'L9' is not in {leads}", unknownLead.Error);
    }

    [Theory]
    [InlineData("--lead", "leads.csv")]
    [InlineData("--activities", "activities.csv")]
    [InlineData("--as-of", "2026-03-01")]
    [InlineData("--examples", "3")]
    [InlineData("--plugin", "rules.dll")]
    [InlineData("--leads", "leads.csv", "--as-of", "2026-3-1")]
    [InlineData("--leads", "leads.csv", "--as-of", "yesterday")]
    [InlineData("--leads", "leads.csv", "--examples", "0")]
    [InlineData("--leads", "leads.csv", "--examples", "-2")]
    [InlineData("--leads", "leads.csv", "--examples", "1.5")]
    [InlineData("--leads", "leads.csv", "--examples", "five")]
    public async Task Diff_ImpactOptionUsageError_ExitsTwoNamingTheOption(params string[] options)
    {
        var run = await CliRun.RunAsync(["diff", "a.json", "b.json", .. options]);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains(options[^2], run.Error);
        Assert.Contains("Run 'alignment diff --help' for usage.", run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Diff_ImpactOptionWithoutLeads_SaysItNeedsLeads()
    {
        var run = await CliRun.RunAsync("diff", "a.json", "b.json", "--activities", "activities.csv", "--examples", "2");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("alignment: --activities needs --leads (it only applies to the impact preview).", run.Error);
        Assert.Contains("alignment: --examples needs --leads (it only applies to the impact preview).", run.Error);
    }

    [Fact]
    public async Task Diff_BadExamples_SaysWhatIsAllowed()
    {
        var run = await CliRun.RunAsync("diff", "a.json", "b.json", "--leads", "leads.csv", "--examples", "0");
        var asOf = await CliRun.RunAsync("diff", "a.json", "b.json", "--leads", "leads.csv", "--as-of", "2026-3-1");

        Assert.Contains("--examples must be a whole number of at least 1 (was '0').", run.Error);
        Assert.Contains("'2026-3-1' is not an ISO 8601 date or instant for --as-of", asOf.Error);
    }

    [Fact]
    public async Task Diff_WithLeadsAndPlugin_BothVersionsScoreWithThePluginRule()
    {
        // v2 adds the plugin rule 'bonus' (loyalty-bonus: 7.5 for every lead). As of 2026-03-01 with no activities:
        // L1 Software 15 -> 22.5 (newly MQL), L2 Retail 0 -> 7.5. Grades do not move: plugin points carry no grade steps.
        using var dir = new TempFolder();
        string v1 = dir.Write("v1.json", TestFiles.ScoringModel);
        string v2 = dir.Write("v2.json", TestPlugins.ModelWithBonus);
        string leads = dir.Write("leads.csv", "id,industry", "L1,Software", "L2,Retail");

        var without = await CliRun.RunAsync("diff", v1, v2, "--leads", leads, "--as-of", "2026-03-01");
        var run = await CliRun.RunAsync("diff", v1, v2, "--leads", leads, "--as-of", "2026-03-01", "--plugin", TestPlugins.Rules);

        Assert.Equal(ExitCodes.BadInput, without.ExitCode);
        Assert.Contains($"{v2}, field '$.plugins[0].rule': the scoring model is invalid: no registered scoring rule is named 'loyalty-bonus'", without.Error);
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Empty(run.Error);
        Assert.Contains("  + plugins/bonus: plugin loyalty-bonus\n", run.Out);
        Assert.Contains(" on 2 lead(s) as of 2026-03-01T00:00:00Z\nMQL: 0 -> 1\nNewly MQL: 1\n  L1: 15 C not qualified -> 22.5 C MQL\n", run.Out);
        Assert.Contains("Score changed: 2\n  L1: 15 C not qualified -> 22.5 C MQL\n  L2: 0 D not qualified -> 7.5 D not qualified\n", run.Out);
    }
}
