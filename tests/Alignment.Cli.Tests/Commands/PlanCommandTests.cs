using System.Text.Json;

namespace Alignment.Cli.Tests.Commands;

public sealed class PlanCommandTests
{
    // Eight leads of 1 January: 4 became MQLs, 4 SALs, 2 SQLs, 2 opportunities, 1 won (10,000); L2 goes from inquiry straight to
    // opportunity as a CRM export does (the stages between are filled in), L3 from inquiry to SAL.
    private static readonly string[] History =
    [
        "id,stage,at,source,segment,amount",
        "L1,inquiry,2026-01-01,Webinar,smb,", "L1,mql,2026-01-11,,,", "L1,sal,2026-01-13,,,", "L1,sql,2026-01-21,,,", "L1,opportunity,2026-01-31,,,", "L1,Closed Won,2026-03-17,,,10000",
        "L2,inquiry,2026-01-01,Webinar,smb,", "L2,opportunity,2026-01-31,,,", "L2,closed lost,2026-03-22,,,",
        "L3,inquiry,2026-01-01,Webinar,smb,", "L3,sal,2026-01-13,,,", "L3,recycled,2026-02-10,,,",
        "L4,mql,2026-01-11,Webinar,smb,", "L4,inquiry,2026-01-01,,,", "L4,sal,2026-01-13,,,",
        "L5,inquiry,2026-01-01,Webinar,smb,", "L6,inquiry,2026-01-01,Webinar,smb,", "L7,inquiry,2026-01-01,Paid Search,smb,", "L8,inquiry,2026-01-01,Paid Search,smb,",
    ];

    [Fact]
    public async Task Plan_Json_GivesTheStagesPerMonthThePipelineGapAndTheUntrustedFigures()
    {
        using var dir = new TempFolder();
        var history = dir.Write("history.csv", History);
        var targets = dir.Write("targets.csv", "month,revenue", "2026-06,30000", "2026-07-01,30000");

        var run = await CliRun.RunAsync("plan", "--target", targets, "--history", history, "--as-of", "2026-03-01", "--min-sample", "3", "--format", "json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        var group = root.GetProperty("groups")[0];
        Assert.Equal([8, 4, 4, 2, 2], group.GetProperty("conversions").EnumerateArray().Select(c => c.GetProperty("fromLeads").GetInt32()));
        Assert.Equal([true, true, false, false, false], group.GetProperty("conversions").EnumerateArray().Select(c => c.GetProperty("trusted").GetBoolean()));
        Assert.Equal(10000m, group.GetProperty("averageDealSize").GetDecimal());
        // 3 deals a month at 0.5 × 1 × 0.5 × 1 × 0.5: 6 opportunities, 6 SQLs, 12 SALs, 12 MQLs, 24 leads.
        var months = root.GetProperty("months").EnumerateArray().ToDictionary(m => m.GetProperty("month").GetString()!);
        Assert.Equal(3, months["2026-06-01"].GetProperty("wonDeals").GetInt32());
        Assert.Equal(30000m, months["2026-07-01"].GetProperty("revenue").GetDecimal());
        Assert.Equal(24 * 2, months.Values.Sum(m => m.GetProperty("leads").GetInt32()));
        Assert.Equal(6 * 2, months.Values.Sum(m => m.GetProperty("opportunities").GetInt32()));
        // On 1 March: L1 and L2 open opportunities, L4 an open SAL, L5–L8 open inquiries: 1.75 deals expected, 42,500 gap, 34 leads.
        var pipeline = group.GetProperty("pipeline");
        Assert.Equal((2, 1, 4, 1.75, 42500m, 34), (pipeline.GetProperty("openOpportunities").GetInt32(), pipeline.GetProperty("openSals").GetInt32(), pipeline.GetProperty("openInquiries").GetInt32(),
            pipeline.GetProperty("expectedWonDeals").GetDouble(), pipeline.GetProperty("gapRevenue").GetDecimal(), pipeline.GetProperty("gapLeads").GetInt32()));
        Assert.Contains(root.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("average deal size rests on 1 won deals", StringComparison.Ordinal));
        var channels = root.GetProperty("channels").EnumerateArray().ToList();
        Assert.Equal(["Paid Search", "Webinar"], channels.Select(c => c.GetProperty("channel").GetString()).Distinct());
        // All the won revenue came from webinars: at 3 leads, their own Inquiry → MQL (4 of 6) and MQL → SAL (4 of 4) are trusted,
        // the later steps and the deal size are the group's: 3 deals, 6 opportunities, 6 SQLs, 12 SALs, 12 MQLs, 12 ÷ 2/3 = 18 leads
        // a month. Paid search won nothing and gets none.
        var webinar = channels.Where(c => c.GetProperty("channel").GetString() == "Webinar").ToList();
        Assert.Equal((3 * 2, 6 * 2, 6 * 2, 12 * 2, 12 * 2, 18 * 2), (Sum(webinar, "wonDeals"), Sum(webinar, "opportunities"), Sum(webinar, "sqls"), Sum(webinar, "sals"), Sum(webinar, "mqls"), Sum(webinar, "leads")));
        Assert.Equal(60000m, webinar.Sum(c => c.GetProperty("revenue").GetDecimal()));
        Assert.Equal(["SalesAccepted → SalesQualified", "SalesQualified → Opportunity", "Opportunity → Won", "deal size"], webinar[0].GetProperty("groupFallbacks").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(0, Sum(channels.Where(c => c.GetProperty("channel").GetString() == "Paid Search"), "leads"));
    }

    [Fact]
    public async Task Plan_Table_PrintsFunnelMonthsChannelsAndWarnings()
    {
        using var dir = new TempFolder();
        var history = dir.Write("history.csv", History);
        var targets = dir.Write("targets.csv", "month,revenue,segment", "2026-06,30000,smb");

        var run = await CliRun.RunAsync("plan", "--target", targets, "--history", history);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("Demand plan as of 2026-03-22 00:00Z from history.csv (8 leads)", run.Out);
        Assert.Contains("Segment smb: 8 leads in history; average won deal 10,000 on 1 won deals (not trusted)", run.Out);
        Assert.Contains("2026-06  smb", run.Out);
        Assert.Contains("Not trusted or missing:", run.Out);
        Assert.Contains("share      revenue      won  opps  sqls  sals  mqls  leads  group's figures", run.Out);
        Assert.Matches(@"2026-06  smb +- +Webinar +1 +30,000 +3 +0 +0 +0 +0 +0  Inquiry→MQL, MQL→SAL, SAL→SQL, SQL→Opp, Opp→Won, deal size", run.Out);
        Assert.Contains("segment 'smb', channel 'Paid Search': no won revenue in the history", run.Out);
    }

    private static int Sum(IEnumerable<JsonElement> rows, string stage) => rows.Sum(r => r.GetProperty(stage).GetInt32());

    [Theory]
    [InlineData("history.csv", new[] { "id,stage,at", "L1,inquiry,2026-01-01", "L1,booked,2026-01-02" }, "line 3, field 'stage': 'booked' is not a stage")]
    [InlineData("history.csv", new[] { "id,stage,at", "L1,inquiry,2026-01-01", "L1,mql,01/02/2026" }, "line 3, field 'at': '01/02/2026' is not an ISO 8601 date")]
    [InlineData("history.csv", new[] { "id,stage", "L1,inquiry" }, "line 1, field 'at': the column is missing from the header")]
    [InlineData("history.csv", new[] { "id,stage,at,amount", "L1,won,2026-01-02,\"1,000.00\"" }, "line 2, field 'amount': '1,000.00' is not an amount")]
    [InlineData("history.csv", new[] { "id,stage,at", "L1,inquiry,2026-01-01", "L1,won,2026-01-05", "L1,mql,2026-01-09" }, "line 4, field 'stage': lead 'L1' cannot move from Won to MarketingQualified")]
    [InlineData("history.csv", new[] { "id,stage,at", "L1,mql,2026-01-01", "L1,inquiry,2026-01-09" }, "line 3, field 'stage': lead 'L1' is an inquiry again after MarketingQualified")]
    [InlineData("targets.csv", new[] { "month,revenue", "March,100" }, "line 2, field 'month': 'March' is not a month")]
    [InlineData("targets.csv", new[] { "month,revenue", "2026-03,-100" }, "line 2, field 'revenue': '-100' is not an amount")]
    [InlineData("targets.csv", new[] { "month,revenue" }, "field '--target': the file has no target")]
    public async Task Plan_BadInput_ExitsOneNamingFileLineAndField(string file, string[] lines, string expected)
    {
        using var dir = new TempFolder();
        var history = dir.Write("history.csv", History);
        var targets = dir.Write("targets.csv", "month,revenue", "2026-06,30000");
        var bad = dir.Write(file, lines);

        var run = await CliRun.RunAsync("plan", "--target", targets, "--history", history);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{bad}, {expected}", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Theory]
    [InlineData("plan", "--history", "h.csv")]
    [InlineData("plan", "--target", "t.csv", "--history", "h.csv", "--min-sample", "0")]
    [InlineData("plan", "--target", "t.csv", "--history", "h.csv", "--as-of", "yesterday")]
    [InlineData("plan", "--target", "t.csv", "--history", "h.csv", "--format", "csv")]
    public async Task Plan_UsageError_ExitsTwo(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("Run 'alignment plan --help' for usage.", run.Error);
    }
}
