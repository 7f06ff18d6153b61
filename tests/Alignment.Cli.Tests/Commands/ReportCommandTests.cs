using System.Text.Json;

namespace Alignment.Cli.Tests.Commands;

public sealed class ReportCommandTests
{
    private static readonly string[] History =
    [
        "id,stage,at",
        "a,inquiry,2026-01-02", "a,mql,2026-01-03T09:00:00Z", "a,sal,2026-01-03T12:00:00Z", "a,sql,2026-01-10", "a,opportunity,2026-01-15", "a,won,2026-02-20",
        "b,inquiry,2026-01-05", "b,mql,2026-01-06", "b,recycled,2026-01-20",
        "c,inquiry,2026-02-01",
    ];

    private static readonly string[] Leads =
    [
        "id,createdAt,source,campaign,amount,firstTouchAt,slaDueAt",
        "a,2026-01-02,Webinar,w1,12000,2026-01-03T11:00:00Z,2026-01-04T09:00:00Z",
        "b,,Paid Search,,,2026-01-08,2026-01-07",
        "c,,Webinar,,,,",
        "d,2026-02-10,Events,,,,",
    ];

    private static (TempFolder Dir, string[] Args) Files(params (string Name, string[] Lines)[] replace)
    {
        var dir = new TempFolder();
        var files = new Dictionary<string, string[]>
        {
            ["history.csv"] = History,
            ["leads.csv"] = Leads,
            ["activities.csv"] = ["leadId,type,timestamp,source,campaign", "a,webinarAttended,2026-01-02,Webinar,w1", "a,formSubmitted,2026-02-01,Paid Search,", "b,emailOpened,2026-01-06,,"],
            ["spend.csv"] = ["month,channel,amount", "2026-01,Webinar,1000", "2026-01,Paid Search,2000", "2026-02,Webinar,1000", "2026-02,Paid Search,2000"],
            ["plan.json"] = ["""{ "targets": [{ "month": "2026-02", "revenue": 10000 }], "sla": { "marketingCommitments": [{ "mqls": 2 }], "firstTouchHours": 24 }, "budget": { "amount": 5000, "floor": 0.1, "cap": 0.9 } }"""],
        };
        foreach (var (name, lines) in replace)
        {
            files[name] = lines;
        }

        foreach (var (name, lines) in files)
        {
            dir.Write(name, lines);
        }

        return (dir, ["report", "--leads", dir.File_("leads.csv"), "--history", dir.File_("history.csv"), "--activities", dir.File_("activities.csv"),
            "--spend", dir.File_("spend.csv"), "--plan", dir.File_("plan.json"), "--as-of", "2026-03-01", "--out", dir.File_("out")]);
    }

    [Fact]
    public async Task Report_WritesTheHtmlAndTheSummaryFromTheExport()
    {
        var (dir, args) = Files();
        using var _ = dir;

        var run = await CliRun.RunAsync(args);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        Assert.Contains("4 leads from 2026-01-02 to 2026-03-01: 2 MQLs, 1 won (12,000)", run.Out);
        using var summary = JsonDocument.Parse(File.ReadAllText(dir.File_("out/summary.json")));
        var root = summary.RootElement;
        Assert.Equal([4, 2, 1, 1, 1, 1], root.GetProperty("waterfall").GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("leads").GetInt32()));
        // a: touched 2 h after MQL within its due time; b: touched after its due time.
        Assert.Equal((2, 2, 1), (root.GetProperty("speedToLead").GetProperty("touched").GetInt32(), root.GetProperty("sla").GetProperty("measured").GetInt32(), root.GetProperty("sla").GetProperty("met").GetInt32()));
        // a's two touches share the 12,000 under linear attribution; its first touch is the webinar.
        var linear = root.GetProperty("attribution").GetProperty("linear").EnumerateArray().ToDictionary(r => r.GetProperty("source").GetString()!, r => r.GetProperty("revenue").GetDecimal());
        Assert.Equal(6000m, linear["Webinar"]);
        Assert.Equal(6000m, linear["Paid Search"]);
        var planning = root.GetProperty("planning");
        Assert.Equal(12000m, planning.GetProperty("planVsActual")[0].GetProperty("won").GetDecimal());
        Assert.Equal(5000m, planning.GetProperty("budget").GetProperty("channels").EnumerateArray().Sum(c => c.GetProperty("amount").GetDecimal()));
        Assert.Equal("Met", planning.GetProperty("sla").GetProperty("periods")[0].GetProperty("marketing")[0].GetProperty("pace").GetString());
        var html = File.ReadAllText(dir.File_("out/report.html"));
        Assert.All(new[] { "chart-waterfall", "chart-velocity", "chart-speed-to-lead", "chart-plan-vs-actual", "chart-sla-marketing", "chart-sla-sales", "chart-return-on-spend", "chart-budget" },
            id => Assert.Contains($"id=\"{id}\"", html));
    }

    [Fact]
    public async Task Report_SpendWithCampaigns_ShowsSpendAndReturnPerCampaignAndPerMonth()
    {
        var (dir, args) = Files(("spend.csv", ["month,channel,amount,campaign", "2026-01,Webinar,600,w1", "2026-01,Webinar,400,", "2026-01,Paid Search,2000,", "2026-02,Webinar,1000,w1", "2026-02,Paid Search,2000,"]));
        using var _ = dir;

        var run = await CliRun.RunAsync(args);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        using var summary = JsonDocument.Parse(File.ReadAllText(dir.File_("out/summary.json")));
        var spend = summary.RootElement.GetProperty("planning").GetProperty("spend");
        var webinar = spend.GetProperty("campaigns").EnumerateArray().Where(c => c.GetProperty("channel").GetString() == "Webinar").ToList();
        // w1: 1,600 of spend; a's first touch (2 January) brought it a's 12,000 under first touch, half of it under linear (a's
        // second touch is paid search's), none under last touch.
        var w1 = Assert.Single(webinar, c => c.GetProperty("campaign").GetString() == "w1");
        Assert.Equal((1600m, 1, 12000m, 0m, 6000m), (w1.GetProperty("spend").GetDecimal(), w1.GetProperty("leads").GetInt32(), w1.GetProperty("firstTouchRevenue").GetDecimal(), w1.GetProperty("lastTouchRevenue").GetDecimal(), w1.GetProperty("linearRevenue").GetDecimal()));
        Assert.Equal((7.5, 0.0, 3.75), (w1.GetProperty("firstTouchReturn").GetDouble(), w1.GetProperty("lastTouchReturn").GetDouble(), w1.GetProperty("linearReturn").GetDouble()));
        // The webinar spend of no campaign (400) and c, the webinar lead without a touch or a campaign.
        var none = Assert.Single(webinar, c => c.GetProperty("campaign").ValueKind == JsonValueKind.Null);
        Assert.Equal((400m, 1, 400m), (none.GetProperty("spend").GetDecimal(), none.GetProperty("leads").GetInt32(), none.GetProperty("costPerLead").GetDecimal()));
        // Per month: January's webinar spend (600 + 400) against a, captured and won from its January touch.
        var january = Assert.Single(spend.GetProperty("periods").EnumerateArray(), p => p.GetProperty("month").GetString() == "2026-01-01" && p.GetProperty("channel").GetString() == "Webinar");
        Assert.Equal((1000m, 1, 12000m), (january.GetProperty("spend").GetDecimal(), january.GetProperty("leads").GetInt32(), january.GetProperty("firstTouchRevenue").GetDecimal()));
        var html = File.ReadAllText(dir.File_("out/report.html"));
        Assert.Contains("id=\"table-spend-campaigns\"", html);
        Assert.Contains("<td>w1</td>", html);
    }

    [Fact]
    public async Task Report_PlanWithMinusZero_ReadsItAsZero()
    {
        var (dir, args) = Files(("plan.json", ["""{ "targets": [{ "month": "2026-02", "revenue": -0 }], "budget": { "amount": -0.0, "floor": 0.1, "cap": 0.9 } }"""]));
        using var _ = dir;

        var run = await CliRun.RunAsync(args);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
    }

    [Theory]
    [InlineData("leads.csv", new[] { "id,createdAt", "x,2026-01-01", "x,2026-01-02" }, "line 3, field 'id': lead 'x' appears twice")]
    [InlineData("leads.csv", new[] { "id,createdAt", "z," }, "line 2, field 'createdAt': lead 'z' has no stage history, so its createdAt is required")]
    [InlineData("leads.csv", new[] { "id,escalated", "a,maybe" }, "line 2, field 'escalated': 'maybe' is not true or false")]
    [InlineData("activities.csv", new[] { "leadId,timestamp,source", "nobody,2026-01-01,Webinar" }, "line 2, field 'leadId': lead 'nobody' is in neither the leads nor the history")]
    [InlineData("spend.csv", new[] { "month,channel,amount", "2026-01,,100" }, "line 2, field 'channel': the channel is empty")]
    [InlineData("plan.json", new[] { """{ "targets": [{ "month": "2026-02", "revenue": "lots" }] }""" }, "field '$.targets[0].revenue': must be a number")]
    [InlineData("plan.json", new[] { """{ "sla": { "firstTouchShare": 2 } }""" }, "field '$.sla.firstTouchShare': must be a share between 0 and 1")]
    [InlineData("plan.json", new[] { """{ "budget": { "floor": 0.6, "cap": 0.9 } }""" }, "field '$.budget': The floors of the 2 channels add up to 1.2")]
    [InlineData("plan.json", new[] { """{ "budgets": {} }""" }, "field '$.budgets': is not a property here")]
    [InlineData("plan.json", new[] { """{ "targets": [ }""" }, "is not valid JSON")]
    [InlineData("plan.json", new[] { """{ "sla": { "first\ud800TouchHours": 24 } }""" }, "field '$': has a name or string that is not valid text")]
    public async Task Report_BadInput_ExitsOneNamingTheFileAndPlace(string file, string[] lines, string expected)
    {
        var (dir, args) = Files((file, lines));
        using var _ = dir;

        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(dir.File_(file), run.Error);
        Assert.Contains(expected, run.Error);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.False(File.Exists(dir.File_("out/summary.json")));
    }

    [Theory]
    [InlineData("report", "--leads", "l.csv", "--history", "h.csv")]
    [InlineData("report", "--history", "h.csv", "--out", "o")]
    [InlineData("report", "--leads", "l.csv", "--history", "h.csv", "--out", "o", "--as-of", "soon")]
    public async Task Report_UsageError_ExitsTwo(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("Run 'alignment report --help' for usage.", run.Error);
    }
}
