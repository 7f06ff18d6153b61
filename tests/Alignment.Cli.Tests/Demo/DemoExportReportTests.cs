using System.Text.Json;
using Alignment.Cli.Demo;

namespace Alignment.Cli.Tests.Demo;

/// <summary><c>alignment demo --export</c> writes the year as CRM-export files; <c>alignment report</c> on them gives the demo's own figures.</summary>
[Collection(DemoRuns.Name)]
public sealed class DemoExportReportTests(DemoRunFixture demo)
{
    [Fact]
    public void Export_WritesEveryFile_AndTheDemoSaysWhere()
    {
        Assert.Equal(ExitCodes.Success, demo.FirstRun.ExitCode);
        Assert.All(DemoExport.Files, f => Assert.True(new FileInfo(Path.Combine(demo.Export, f)).Length > 100, f));
        Assert.Contains($"Exported the year to {demo.Export}: leads.csv, history.csv, activities.csv, spend.csv, plan.json", demo.FirstRun.Out);
        Assert.Equal("id,stage,at", File.ReadLines(Path.Combine(demo.Export, "history.csv")).First());
    }

    [Theory]
    [InlineData("waterfall")]
    [InlineData("speedToLead")]
    [InlineData("attribution")]
    [InlineData("planning")]
    public void Report_OnTheExportedYear_EqualsTheDemosOwnSummary(string section)
    {
        Assert.True(demo.ReportRun.ExitCode == ExitCodes.Success, demo.ReportRun.Error);
        using var own = JsonDocument.Parse(File.ReadAllText(Path.Combine(demo.OwnReport, "summary.json")));
        using var demos = JsonDocument.Parse(File.ReadAllText(Path.Combine(demo.First, "summary.json")));

        var expected = demos.RootElement.GetProperty(section);
        var actual = own.RootElement.GetProperty(section);
        Assert.True(JsonElement.DeepEquals(expected, actual), $"{section} differs:\n{expected}\n---\n{actual}");
    }

    [Fact]
    public void DemoReport_DrawsEveryChartOfTheReportCommand_WithItsCode_AsTheReportOfTheExportedYearDoes()
    {
        Assert.True(demo.ReportRun.ExitCode == ExitCodes.Success, demo.ReportRun.Error);
        string own = File.ReadAllText(Path.Combine(demo.OwnReport, "report.html"));
        string demos = File.ReadAllText(Path.Combine(demo.First, "report.html"));
        foreach (var id in Alignment.Cli.Reporting.ReportHtml.ChartIds)
        {
            Assert.Contains(id, DemoReport.ChartIds);
            Assert.Equal(Figure(own, id), Figure(demos, id));
        }
    }

    /// <summary>The chart's figure element, as written.</summary>
    private static string Figure(string html, string id)
    {
        int start = html.IndexOf($"<figure class=\"chart\" id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{id} is not in the report");
        int end = html.IndexOf("</figure>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    [Fact]
    public void Summary_Planning_CarriesThePlanBothSidesOfTheSlaSpendAndBudget()
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(demo.First, "summary.json")));
        var planning = summary.RootElement.GetProperty("planning");

        // A target for each month of the year and of the quarter after it; the plan's months reach into 2026.
        Assert.Equal(15, planning.GetProperty("planVsActual").GetArrayLength());
        Assert.Contains(planning.GetProperty("demandPlan").GetProperty("months").EnumerateArray(), m => m.GetProperty("month").GetString()!.StartsWith("2026-", StringComparison.Ordinal));
        // Every stage per channel, and which figures a thin channel takes from the group.
        var planned = planning.GetProperty("demandPlan").GetProperty("channels").EnumerateArray().ToList();
        Assert.Contains(planned, c => c.GetProperty("leads").ValueKind == JsonValueKind.Number && c.GetProperty("leads").GetInt32() > 0);
        Assert.All(planned, c => Assert.Equal(JsonValueKind.Array, c.GetProperty("groupFallbacks").ValueKind));
        Assert.All(planned, c => Assert.True(c.TryGetProperty("mqls", out _) && c.TryGetProperty("sqls", out _) && c.TryGetProperty("opportunities", out _) && c.TryGetProperty("wonDeals", out _)));
        // Both sides of the SLA for each month of the year.
        var periods = planning.GetProperty("sla").GetProperty("periods");
        Assert.True(periods.GetArrayLength() >= 12);
        Assert.All(periods.EnumerateArray(), p => Assert.Equal(550, p.GetProperty("marketing")[0].GetProperty("committed").GetInt32()));
        // Spend of the six sources and a budget that adds up to the last month's spend.
        Assert.Equal(6, planning.GetProperty("spend").GetProperty("channels").GetArrayLength());
        // The demo's spend is per channel, not per campaign: each source's spend is on its row of no campaign; and twelve months.
        var campaigns = planning.GetProperty("spend").GetProperty("campaigns").EnumerateArray().ToList();
        Assert.Equal(6, campaigns.Count(c => c.GetProperty("campaign").ValueKind == JsonValueKind.Null && c.GetProperty("spend").GetDecimal() > 0));
        Assert.Equal(
            planning.GetProperty("spend").GetProperty("spend").GetDecimal(),
            planning.GetProperty("spend").GetProperty("periods").EnumerateArray().Sum(p => p.GetProperty("spend").GetDecimal()));
        var budget = planning.GetProperty("budget");
        Assert.Equal(175_000m, budget.GetProperty("budget").GetDecimal());
        Assert.Equal(175_000m, budget.GetProperty("channels").EnumerateArray().Sum(c => c.GetProperty("amount").GetDecimal()));
        Assert.Equal(11, planning.GetProperty("budgetBacktest").GetProperty("months").GetArrayLength());
    }

    [Fact]
    public async Task Plan_OnTheExportedHistory_PlansTheNextQuarter()
    {
        using var dir = new TempFolder();
        var targets = dir.Write("targets.csv", "month,revenue", "2026-04,2200000", "2026-05,2200000", "2026-06,2200000");

        var run = await CliRun.RunAsync("plan", "--target", targets, "--history", Path.Combine(demo.Export, "history.csv"), "--leads", Path.Combine(demo.Export, "leads.csv"), "--format", "json");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Error);
        using var plan = JsonDocument.Parse(run.Out);
        Assert.Contains(plan.RootElement.GetProperty("months").EnumerateArray(), m => m.GetProperty("leads").ValueKind == JsonValueKind.Number && m.GetProperty("leads").GetInt32() > 0);
        Assert.Equal(20_000, plan.RootElement.GetProperty("groups")[0].GetProperty("historyLeads").GetInt32());
        Assert.True(plan.RootElement.GetProperty("groups")[0].GetProperty("dealSizeTrusted").GetBoolean());
    }
}
