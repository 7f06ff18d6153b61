namespace Alignment.Cli.Tests.Import;

/// <summary>Backtest and route read presets and mapping files; bad exports and mapping files are refused with the place and a hint.</summary>
public sealed class CrmImportCommandTests
{
    [Fact]
    public async Task Backtest_SalesforceLeadReportWithMappingFile_ReportsAsOurOwnFormat()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", CrmPresetExportTests.Model);
        string own = dir.Write("own.csv",
            "id,industry,employeeCount,annualRevenue,createdAt,scoredAt,outcome,closedAt",
            "1001,Software,1250,1250000,2026-01-15T09:30:00Z,2026-03-01T05:00:00Z,won,2026-03-20T05:00:00Z",
            "1002,Retail,40,90000,2026-02-01T00:00:00Z,2026-03-01T05:00:00Z,lost,2026-03-10T05:00:00Z",
            "1003,Software,200,,2026-02-03T00:00:00Z,2026-03-01T05:00:00Z,open,",
            "1004,Software,5000,2000000,2026-02-04T00:00:00Z,2026-03-01T05:00:00Z,disqualified,2026-03-05T05:00:00Z");
        string theirs = dir.Write("theirs.csv",
            "Lead ID,Company / Account,Industry,No. of Employees,Annual Revenue,Created Date,Lead Status,Converted Date",
            "1001,Acme,Software,\"1,250\",\"$1,250,000.00\",1/15/2026 4:30 AM,Closed - Converted,3/20/2026",
            "1002,Shopco,Retail,40,\"$90,000.00\",1/31/2026 7:00 PM,Closed - Not Converted,3/10/2026",
            "1003,Initech,Software,200,,2/2/2026 7:00 PM,Working - Contacted,",
            "1004,Globex,Software,\"5,000\",\"$2,000,000.00\",2/3/2026 7:00 PM,Junk,3/5/2026");
        string map = dir.Write("map.json", """{ "extends": "salesforce", "constants": { "scoredAt": "3/1/2026" }, "outcomes": { "Junk": "disqualified" } }""");

        var expected = await CliRun.RunAsync("backtest", "--model", model, "--history", own);
        var actual = await CliRun.RunAsync("backtest", "--model", model, "--history", theirs, "--map", map, "--culture", "en-US", "--time-zone", "America/New_York");

        Assert.Equal(ExitCodes.Success, expected.ExitCode);
        Assert.True(actual.ExitCode == ExitCodes.Success, actual.Error);
        Assert.Equal(expected.Out, actual.Out);
        Assert.Contains("won 1, lost 1, disqualified 1, open 1", actual.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_HubSpotContactsExport_RoutesAsOurOwnFormat()
    {
        using var dir = new TempFolder();
        string policy = dir.Write("policy.json", PolicyFiles.Policy);
        string roster = dir.Write("roster.json", PolicyFiles.Roster);
        string own = dir.Write("own.csv", "id,country,total,grade,createdAt", "R1,US,80,A,2026-03-02T10:00:00Z", "R3,GB,10,C,2026-03-02T10:10:00Z", "R6,FR,,,2026-03-02T10:40:00Z");
        string theirs = dir.Write("theirs.csv",
            "Record ID,First Name,Country/Region,total,grade,Create Date",
            "R1,Ada,US,80,A,2026-03-02 10:00",
            "R3,Grace,GB,10,C,2026-03-02 10:10",
            "R6,Alan,FR,,,2026-03-02 10:40");

        var expected = await CliRun.RunAsync("route", "--policy", policy, "--roster", roster, "--leads", own, "--at", "2026-03-02T12:00:00Z");
        var actual = await CliRun.RunAsync("route", "--policy", policy, "--roster", roster, "--leads", theirs, "--at", "2026-03-02T12:00:00Z", "--from", "hubspot", "--time-zone", "UTC");

        Assert.Equal(ExitCodes.Success, expected.ExitCode);
        Assert.True(actual.ExitCode == ExitCodes.Success, actual.Error);
        Assert.Equal(expected.Out, actual.Out);
    }

    [Fact]
    public async Task Score_AmbiguousDate_ExitsOneWithLineColumnAndHint()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "Lead ID,Industry,Created Date", "1001,Software,3/1/2026");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--from", "salesforce", "--time-zone", "UTC");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{leads}, line 2, field 'Created Date (createdAt)': '3/1/2026' is ambiguous: March 1 (month first", run.Error, StringComparison.Ordinal);
        Assert.Contains("give the export's culture (for example en-US or en-GB) or its date format (M/d/yyyy or d/M/yyyy)", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Out);

        var decided = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--from", "salesforce", "--time-zone", "UTC", "--culture", "en-GB");
        Assert.True(decided.ExitCode == ExitCodes.Success, decided.Error);
    }

    [Fact]
    public async Task Score_InstantWithoutOffsetAndNoTimeZone_IsRefusedNotGuessed()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "Record ID,Industry", "1001,Software");
        string activities = dir.Write("activities.csv", "Associated Contact ID,Activity type,Activity date", "1001,Form submission,2026-02-10 11:00");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--activities", activities, "--from", "hubspot", "--as-of", "2026-03-01");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{activities}, line 2, field 'Activity date (timestamp)': '2026-02-10 11:00' has no UTC offset", run.Error, StringComparison.Ordinal);
        Assert.Contains("--time-zone", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_UnknownActivityName_ExitsOneWithSuggestion()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "id,industry", "1001,Software");
        string activities = dir.Write("activities.csv", "leadId,activityDate,activityTypeId", "1001,2026-02-10T10:00:00Z,Open Emial");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--activities", activities, "--from", "marketo", "--as-of", "2026-03-01");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{activities}, line 2, field 'activityTypeId (type)': 'Open Emial' is not an activity type (did you mean 'Open Email'?", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_UnmappedRequiredColumn_NamesClosestHeaderAndBestPresets()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "Lead ID,Company / Account,Industry,No. of Employees,Created Date", "1001,Acme,Software,10,1/2/2026");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--as-of", "2026-03-01");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{leads}, line 1, field 'id': the column is missing from the header; the closest header is 'Lead ID'", run.Error, StringComparison.Ordinal);
        Assert.Contains("the headers match best the presets salesforce (4 of 5 headers)", run.Error, StringComparison.Ordinal);
        Assert.Contains("try --from salesforce", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_MappingFileWithUnknownColumnAndBadFormat_IsRefusedWithJsonPaths()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "id", "1001");
        string map = dir.Write("map.json", """{ "columns": { "Headcount": "employeeCuont", "Lead Ref": "id" }, "dateFormats": ["HH:mm"], "timeZone": "Mars/Olympus", "colums": {} }""");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--map", map, "--as-of", "2026-03-01");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{map}: the mapping file is invalid (4 problems):", run.Error, StringComparison.Ordinal);
        Assert.Contains("field '$.columns.Headcount': 'employeeCuont' is not a column of ours (nor attributes.<name> for a custom attribute) (did you mean 'employeeCount'?)", run.Error, StringComparison.Ordinal);
        Assert.Contains("field '$.dateFormats[0]': 'HH:mm' is not a date format that writes a day, a month and a year", run.Error, StringComparison.Ordinal);
        Assert.Contains("field '$.timeZone': 'Mars/Olympus' is not a time zone this system knows", run.Error, StringComparison.Ordinal);
        Assert.Contains("field '$.colums': 'colums' is not a property of a mapping file (did you mean 'columns'?)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_MappingFileRenamesAndConstants_AreApplied()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "Lead Ref;x,Sector", "1001,Software", "1002,Retail");
        string activities = dir.Write("activities.csv", "Who,What,When", "1002,Demo Booked,14.02.2026 10:00");
        string map = dir.Write("map.json", """
            { "name": "in-house", "columns": { "Lead Ref;x": "id", "Sector": "industry", "Who": "leadId", "What": "type", "When": "timestamp" },
              "constants": { "source": "trade-show" }, "activityTypes": { "Demo Booked": "demoRequested" },
              "dateFormats": ["dd.MM.yyyy HH:mm"], "timeZone": "Europe/Berlin" }
            """);

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--activities", activities, "--map", map, "--as-of", "2026-03-01");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.Equal("id,total,fit,engagement,grade,state\n1001,15,15,0,C,notQualified\n1002,40,0,40,D,mql\n", run.Out);
    }

    [Fact]
    public async Task Score_BadPresetOrCulture_IsUsageError()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "id", "1001");

        var preset = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--from", "sap");
        var culture = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--culture", "xx-NOPE");

        Assert.Equal(ExitCodes.UsageError, preset.ExitCode);
        Assert.Contains("--from must be one of salesforce, hubspot, dynamics, marketo, pardot, odoo (was 'sap')", preset.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.UsageError, culture.ExitCode);
        Assert.Contains("--culture must be a culture name", culture.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_ShowsColumnsMissingAndSuggestions_AndWritesAStartingFile()
    {
        using var dir = new TempFolder();
        string leads = dir.Write("leads.csv", "Lead Number,Company / Account,Industry,No. of Employees,Created Date,Favourite Colour", "1001,Acme,Software,\"1,250\",3/1/2026,red");
        string output = dir.File_("map.json");

        var run = await CliRun.RunAsync("map", "--leads", leads, "--from", "salesforce", "--culture", "en-US", "--out", output);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.Contains("read with the salesforce mapping", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"No\. of Employees\s+employeeCount\s+1,250\s+number 1250", run.Out);
        Assert.Matches(@"Created Date\s+createdAt\s+3/1/2026\s+'3/1/2026' has no UTC offset", run.Out);
        Assert.Matches(@"Favourite Colour\s+\(not read\)", run.Out);
        Assert.Matches(@"Lead Number\s+\(not read\)\s+1001\s+suggest id", run.Out);
        Assert.Contains("missing required column 'id': the closest header is 'Lead Number'", run.Out, StringComparison.Ordinal);
        string written = File.ReadAllText(output);
        Assert.Contains("\"extends\": \"salesforce\"", written, StringComparison.Ordinal);
        Assert.Contains("\"culture\": \"en-US\"", written, StringComparison.Ordinal);
        Assert.Contains("\"Lead Number\": \"id\"", written, StringComparison.Ordinal); // suggested: its words say it is the id
        Assert.Contains("\"Favourite Colour\": null", written, StringComparison.Ordinal);

        // The starting file reads the export.
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        var score = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--map", output, "--time-zone", "UTC", "--as-of", "2026-03-02");
        Assert.True(score.ExitCode == ExitCodes.Success, score.Error + written);
        Assert.Equal("id,total,fit,engagement,grade,state\n1001,15,15,0,C,notQualified\n", score.Out);
    }
}
