using System.Text.Json;
using Alignment.Cli.Commands;
using Alignment.Cli.Demo;

namespace Alignment.Cli.Tests.Demo;

[Collection(DemoRuns.Name)]
public sealed class DemoCommandTests(DemoRunFixture demo)
{
    [Fact]
    public void Demo_DefaultRun_SucceedsAndWritesTheReportAndTheSummary()
    {
        Assert.True(demo.FirstRun.ExitCode == ExitCodes.Success, demo.FirstRun.Error);
        Assert.Empty(demo.FirstRun.Error);
        Assert.True(new FileInfo(Path.Combine(demo.First, "report.html")).Length > 10_000);
        Assert.True(File.Exists(Path.Combine(demo.First, "summary.json")));
        Assert.DoesNotContain(Directory.GetFiles(demo.First), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Demo_PrintsTheSummaryAsATable()
    {
        using var summary = ReadSummary(demo.First);
        var lines = demo.FirstRun.Out.Split('\n');
        Assert.Equal("Pipeline: capture → score → segment → handoff → nurture → outcomes", lines[1].TrimEnd('\r'));
        var webinar = summary.RootElement.GetProperty("webinar");
        Assert.Contains(lines, l => l.StartsWith("Webinar funnel", StringComparison.Ordinal)
            && l.Contains($"600 invited, 100 registered, 60 attended, 40 no-shows (40 followed up), {webinar.GetProperty("won").GetInt32()} won", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Leads without owner or track  0 (audited 20,000 leads; 365 daily audits, worst 0)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Waterfall inquiry -> mql", StringComparison.Ordinal));
        Assert.Contains($"Wrote {Path.Combine(demo.First, "report.html")} and {Path.Combine(demo.First, "summary.json")} in ", demo.FirstRun.Out);
    }

    [Fact]
    public void Summary_Webinar_IsThe600_100_60_FunnelWithEveryNoShowFollowedUp()
    {
        using var summary = ReadSummary(demo.First);
        var webinar = summary.RootElement.GetProperty("webinar");

        Assert.Equal(DemoModels.WebinarCampaign, webinar.GetProperty("campaign").GetString());
        Assert.Equal(600, webinar.GetProperty("invited").GetInt32());
        Assert.Equal(100, webinar.GetProperty("registered").GetInt32());
        Assert.Equal(60, webinar.GetProperty("attended").GetInt32());
        Assert.Equal(40, webinar.GetProperty("noShows").GetInt32());
        Assert.Equal(webinar.GetProperty("noShows").GetInt32(), webinar.GetProperty("noShowsFollowedUp").GetInt32());
        Assert.InRange(webinar.GetProperty("won").GetInt32(), 0, 60);
    }

    [Fact]
    public void Summary_Audit_FindsNoLeadWithoutOwnerOrTrack_AtYearEndOrOnAnyDay()
    {
        using var summary = ReadSummary(demo.First);
        var root = summary.RootElement;

        Assert.Equal(0, root.GetProperty("leadsWithoutOwnerOrTrack").GetInt32());
        var audit = root.GetProperty("audit");
        Assert.Equal(20_000, audit.GetProperty("leadsAudited").GetInt32());
        Assert.Equal(365, audit.GetProperty("auditsRun").GetInt32());
        Assert.Equal(0, audit.GetProperty("worstDuringYear").GetInt32());
        Assert.Equal(0, audit.GetProperty("heldTwice").GetInt32());
    }

    [Fact]
    public void Summary_CarriesEveryMetric()
    {
        using var summary = ReadSummary(demo.First);
        var root = summary.RootElement;

        var stages = root.GetProperty("waterfall").GetProperty("stages").EnumerateArray().Select(s => (s.GetProperty("stage").GetString(), s.GetProperty("leads").GetInt32())).ToList();
        Assert.Equal(["inquiry", "mql", "sal", "sql", "opportunity", "won"], stages.Select(s => s.Item1));
        Assert.Equal(20_000, stages[0].Item2);
        Assert.True(stages.Zip(stages.Skip(1)).All(p => p.First.Item2 >= p.Second.Item2), "the waterfall never grows");
        Assert.Equal(5, root.GetProperty("waterfall").GetProperty("conversions").GetArrayLength());
        Assert.True(root.GetProperty("speedToLead").GetProperty("medianHours").GetDouble() > 0);
        Assert.True(root.GetProperty("speedToLead").GetProperty("p95Hours").GetDouble() >= root.GetProperty("speedToLead").GetProperty("medianHours").GetDouble());
        Assert.InRange(root.GetProperty("sla").GetProperty("complianceRate").GetDouble(), 0.5, 1.0);
        Assert.True(root.GetProperty("recycling").GetProperty("recycled").GetInt32() > 0);
        Assert.True(root.GetProperty("recycling").GetProperty("cameBackAsMql").GetInt32() > 0);
        var attribution = root.GetProperty("attribution");
        decimal revenue = attribution.GetProperty("wonRevenue").GetDecimal();
        Assert.True(revenue > 0);
        foreach (var model in new[] { "firstTouch", "lastTouch", "linear" })
        {
            Assert.Equal(revenue, attribution.GetProperty(model).EnumerateArray().Sum(r => r.GetProperty("revenue").GetDecimal()));
        }

        Assert.InRange(root.GetProperty("consistencyIndex").GetProperty("overall").GetDouble(), 0.05, 0.99);
        var freshness = root.GetProperty("collateralFreshness");
        Assert.True(freshness.GetProperty("expired").GetInt32() > 0, "some collateral expired during the year");
        Assert.True(freshness.GetProperty("fresh").GetInt32() > 0);
        var scoring = root.GetProperty("models").GetProperty("scoring");
        Assert.True(scoring.GetProperty("publishable").GetBoolean());
        Assert.Equal(["marketing", "sales"], scoring.GetProperty("approvals").EnumerateArray().Select(a => a.GetProperty("side").GetString()));
        Assert.Equal(15, root.GetProperty("routing").GetProperty("reps").GetArrayLength());
    }

    [Fact]
    public void Demo_Year_RunsTheContentLoopAndTheQuarterlyValuePropositionTests()
    {
        using var summary = ReadSummary(demo.First);
        var root = summary.RootElement;
        var loop = root.GetProperty("contentLoop");

        // Reps' suggestions move through the loop: drafted into an item (new or a revision of the one they named), one still open.
        var suggestions = loop.GetProperty("suggestions").EnumerateArray().ToList();
        Assert.Equal(5, suggestions.Count);
        Assert.Equal(["Drafted", "Drafted", "Drafted", "Drafted", "Open"], suggestions.Select(x => x.GetProperty("status").GetString()));
        Assert.Equal("onepager-security", suggestions[1].GetProperty("item").GetString());
        Assert.Equal(2, loop.GetProperty("sentBack").GetInt32());
        Assert.Contains("guide-forecasting-playbook", loop.GetProperty("awaitingReview").EnumerateArray().Select(x => x.GetString()));

        // The deck reps reach for in losing deals is retired for poor effectiveness, with the figures that justified it.
        var retired = Assert.Single(loop.GetProperty("retired").EnumerateArray());
        Assert.Equal(DemoContentLoop.WeakDeck, retired.GetProperty("item").GetString());
        Assert.True(retired.GetProperty("closedDeals").GetInt32() >= 12);
        Assert.InRange(retired.GetProperty("score").GetDouble(), 0, 0.3);
        Assert.StartsWith("effectiveness ", retired.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(loop.GetProperty("usages").GetInt32() > 100, "closed deals record the collateral used");
        Assert.True(loop.GetProperty("reReviewed").GetInt32() > 0, "expired items that still win are re-reviewed");

        // Every change was published as a decision: each suggestion, each draft, each send-back, the retirement.
        var decisions = loop.GetProperty("decisions");
        Assert.Equal(5, decisions.GetProperty("suggested").GetInt32());
        Assert.Equal(4, decisions.GetProperty("drafted").GetInt32());
        Assert.Equal(1, decisions.GetProperty("retired").GetInt32());
        Assert.True(decisions.GetProperty("sent-back").GetInt32() >= 2);
        Assert.True(decisions.GetProperty("expired").GetInt32() > 0);

        // Four quarterly tests; the index improves as the playbook is adopted, and the rep who drifted in the last one is named.
        var tests = root.GetProperty("consistencyTrend").GetProperty("tests").EnumerateArray().ToList();
        Assert.Equal(["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"], tests.Select(t => t.GetProperty("test").GetString()));
        var overall = tests.Select(t => t.GetProperty("overall").GetDouble()).ToList();
        Assert.True(overall[3] > overall[0] + 0.1, $"the index improves over the year: {string.Join(", ", overall)}");
        Assert.Equal(overall[3], root.GetProperty("consistencyIndex").GetProperty("overall").GetDouble());
        var drift = Assert.Single(root.GetProperty("consistencyTrend").GetProperty("driftingReps").EnumerateArray());
        Assert.Equal(SampleAnswers.DriftingRep, drift.GetProperty("name").GetString());
        Assert.True(drift.GetProperty("latest").GetDouble() < drift.GetProperty("previous").GetDouble() - 0.15);

        var lines = demo.FirstRun.Out.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("Content loop", StringComparison.Ordinal) && l.Contains("1 retired for poor effectiveness", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Consistency index", StringComparison.Ordinal) && l.Contains($"drifted: {SampleAnswers.DriftingRep}", StringComparison.Ordinal));
        string html = File.ReadAllText(Path.Combine(demo.First, "report.html"));
        Assert.Contains("id=\"chart-consistency-trend\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"table-content-loop\"", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-queue=\"suggestion\"><td>marketing draft</td><td>sg-2025-05:", html, StringComparison.Ordinal);
        Assert.Contains($"<td>{DemoContentLoop.WeakDeck}</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_SlaEscalation_CountsWhatTheRoutersCheckDid()
    {
        using var summary = ReadSummary(demo.First);
        var sla = summary.RootElement.GetProperty("sla");
        var escalation = sla.GetProperty("escalation");

        int hot = escalation.GetProperty("hot15MinutesBreaches").GetInt32();
        int standard = escalation.GetProperty("standard24HoursBreaches").GetInt32();
        Assert.True(hot > 0);
        Assert.Equal(hot + standard, escalation.GetProperty("breachesDetected").GetInt32());
        Assert.Equal(hot, escalation.GetProperty("managersNotified").GetInt32());
        Assert.InRange(escalation.GetProperty("checks").GetInt32(), 1, hot + standard);
        var hotTouches = sla.GetProperty("hot15Minutes");
        Assert.InRange(hotTouches.GetProperty("firstTouches").GetInt32() - hotTouches.GetProperty("met").GetInt32(), 1, hot);
        // The bundled hot rules only notify the manager; they set no maxReassignments, so nothing is reassigned.
        Assert.Equal(0, escalation.GetProperty("reassigned").GetInt32());
        Assert.Equal(0, escalation.GetProperty("escalatedToQueue").GetInt32());
        Assert.Equal(0, escalation.GetProperty("staleTouchesDropped").GetInt32());
        Assert.Contains(demo.FirstRun.Out.Split('\n'), l => l.StartsWith("SLA escalation", StringComparison.Ordinal)
            && l.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{hot + standard:N0} breaches detected ({hot:N0} hot, {standard:N0} standard), {hot:N0} managers notified, 0 reassigned"), StringComparison.Ordinal));
        string html = File.ReadAllText(Path.Combine(demo.First, "report.html"));
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"<div class=\"kpi\" id=\"kpi-escalations\"><b>{hot:N0}</b>"), html);
    }

    [Fact]
    public void Demo_TwoRuns_WriteIdenticalSummaries()
    {
        Assert.Equal(ExitCodes.Success, demo.SecondRun.ExitCode);
        Assert.Equal(File.ReadAllBytes(Path.Combine(demo.First, "summary.json")), File.ReadAllBytes(Path.Combine(demo.Second, "summary.json")));
        Assert.Equal(File.ReadAllText(Path.Combine(demo.First, "report.html")), File.ReadAllText(Path.Combine(demo.Second, "report.html")));
    }

    [Fact]
    public async Task Demo_OutIsAFile_ExitsWithBadInputNamingTheFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"alignment-demo-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(file, "not a folder");
        try
        {
            var run = await CliRun.RunAsync("demo", "--out", file);

            Assert.Equal(ExitCodes.BadInput, run.ExitCode);
            Assert.Equal($"alignment: error: {file}, field '--out': is a file; give a folder for report.html and summary.json", run.Error.TrimEnd());
            Assert.Equal("not a folder", await File.ReadAllTextAsync(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Demo_OutWithoutValue_IsAUsageError()
    {
        var run = await CliRun.RunAsync("demo", "--out");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("--out", run.Error);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Demo_Help_DescribesTheOutOption()
    {
        var run = await CliRun.RunAsync("demo", "--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("--out <DIR>", run.Out);
    }

    [Fact]
    public void Pipeline_ListsTheSixStagesInOrder()
    {
        Assert.Equal(["capture", "score", "segment", "handoff", "nurture", "outcomes"], DemoCommand.Pipeline.Select(p => p.Stage));
    }

    private static JsonDocument ReadSummary(string folder) => JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")));
}
