using Alignment.Cli.Csv;

namespace Alignment.Cli.Tests.Output;

/// <summary>
/// Every command that writes CSV neutralises text cells from input that a spreadsheet would run as a formula (a leading ', quoted per
/// RFC 4180 as needed), keeps the numbers it computes as they are, and writes everything as it came with --csv-raw.
/// </summary>
public sealed class CsvOutputNeutralisingTests
{
    // As they would appear in a CRM export: a DDE payload, arithmetic, a function, a plain negative number (kept) and a sum.
    private const string Dde = "=cmd|' /C calc'!A0";

    [Fact]
    public async Task Score_NeutralisesFormulaIdsAndExplanations_KeepsNegativeScores()
    {
        using var dir = new TempFolder();
        string model = dir.Write(
            "model.json",
            """{ "id": "t", "version": "1.0.0", "thresholds": { "mql": { "score": 20, "minGrade": "F" } },""",
            """  "fit": [ { "id": "@risk", "points": -5, "when": { "field": "company.industry", "in": ["Retail"] } } ] }""");
        string leads = dir.Write("leads.csv", "id,industry", Dde + ",Retail", "+1+1,Retail", "@SUM(1),Software", "-5,Software", "\"-2+3,4\",Software");
        string output = dir.File_("scores.csv");

        var safe = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--as-of", "2026-03-01", "--explain", "--out", output);
        string safeCsv = File.ReadAllText(output);
        var raw = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--as-of", "2026-03-01", "--explain", "--csv-raw");

        Assert.Equal(ExitCodes.Success, safe.ExitCode);
        Assert.Equal(
            "id,total,fit,engagement,grade,state,explanation\n" +
            "'=cmd|' /C calc'!A0,-5,-5,0,D,notQualified,'@risk -5\n" +
            "'+1+1,-5,-5,0,D,notQualified,'@risk -5\n" +
            "'@SUM(1),0,0,0,D,notQualified,\n" +
            "-5,0,0,0,D,notQualified,\n" +            // a plain number is not a formula
            "\"'-2+3,4\",0,0,0,D,notQualified,\n",   // quoted per RFC 4180, the quote mark inside
            safeCsv);
        Assert.Equal(ExitCodes.Success, raw.ExitCode);
        Assert.Equal(
            "id,total,fit,engagement,grade,state,explanation\n" +
            "=cmd|' /C calc'!A0,-5,-5,0,D,notQualified,@risk -5\n" +
            "+1+1,-5,-5,0,D,notQualified,@risk -5\n" +
            "@SUM(1),0,0,0,D,notQualified,\n" +
            "-5,0,0,0,D,notQualified,\n" +
            "\"-2+3,4\",0,0,0,D,notQualified,\n",
            raw.Out);
    }

    [Fact]
    public async Task Segment_NeutralisesIdsSegmentNamesAndReasons()
    {
        using var dir = new TempFolder();
        string model = dir.Write("segments.json", """{ "id": "s", "version": "1", "segments": [ { "id": "=1+1", "when": [ { "field": "company.industry", "in": ["Software"] } ] } ], "default": { "id": "@other" } }""");
        string accounts = dir.Write("accounts.csv", "id,industry", "@A1,Software", "-A2,Retail");

        var safe = await CliRun.RunAsync("segment", "--model", model, "--accounts", accounts);
        var raw = await CliRun.RunAsync("segment", "--model", model, "--accounts", accounts, "--csv-raw");

        Assert.Equal(ExitCodes.Success, safe.ExitCode);
        var lines = safe.Out.Split('\n');
        Assert.StartsWith("'@A1,'=1+1,Matched '=1+1'", lines[1]);
        Assert.StartsWith("'-A2,'@other,No definition matched", lines[2]);
        Assert.Equal(ExitCodes.Success, raw.ExitCode);
        lines = raw.Out.Split('\n');
        Assert.StartsWith("@A1,=1+1,Matched '=1+1'", lines[1]);
        Assert.StartsWith("-A2,@other,No definition matched", lines[2]);
    }

    [Fact]
    public async Task Predict_NeutralisesIds_KeepsProbabilities()
    {
        using var dir = new TempFolder();
        string stages = dir.Write("stages.csv", "name,sequence,is_won", "New,1,false", "Won,2,true");
        string history = dir.Write("history.csv", "id,team,stage,outcome,country", "H1,,Won,won,US", "H2,,New,lost,US");
        string leads = dir.Write("leads.csv", "id,team,stage,country", "\"=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\",,New,US", "-7,,Won,US");

        var safe = await CliRun.RunAsync("predict", "--stages", stages, "--history", history, "--leads", leads);
        var raw = await CliRun.RunAsync("predict", "--stages", stages, "--history", history, "--leads", leads, "--csv-raw");

        Assert.Equal(ExitCodes.Success, safe.ExitCode);
        Assert.Equal("id,probability\n\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\",50.00\n-7,100.00\n", safe.Out);
        Assert.Equal(ExitCodes.Success, raw.ExitCode);
        Assert.Equal("id,probability\n\"=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\",50.00\n-7,100.00\n", raw.Out);
    }

    [Fact]
    public async Task Route_NeutralisesIdsAssigneesRulesAndExplanations()
    {
        using var dir = new TempFolder();
        string policy = dir.Write("policy.json", """{ "id": "p", "fallbackQueue": "@fallback", "rules": [ { "id": "+all", "strategy": "roundRobin", "pool": { "teams": ["ae"] } } ] }""");
        string roster = dir.Write("roster.json", """{ "reps": [ { "id": "-ana", "team": "ae", "timeZone": "UTC", "maxOpenLeads": 1 } ] }""");
        string leads = dir.Write("leads.csv", "id,createdAt", "=A1,2026-03-02T10:00:00Z", "@A2,2026-03-02T10:05:00Z");

        var safe = await CliRun.RunAsync("route", "--policy", policy, "--roster", roster, "--leads", leads);
        var raw = await CliRun.RunAsync("route", "--policy", policy, "--roster", roster, "--leads", leads, "--csv-raw");

        Assert.Equal(ExitCodes.Success, safe.ExitCode);
        var lines = safe.Out.Split('\n');
        Assert.StartsWith("'=A1,rep,'-ana,'+all,2026-03-03T10:00:00+00:00,", lines[1]);
        Assert.StartsWith("'@A2,queue,'@fallback,,,", lines[2]); // no rep left: the fallback queue, no rule
        Assert.Equal(ExitCodes.Success, raw.ExitCode);
        lines = raw.Out.Split('\n');
        Assert.StartsWith("=A1,rep,-ana,+all,2026-03-03T10:00:00+00:00,", lines[1]);
        Assert.StartsWith("@A2,queue,@fallback,,,", lines[2]);
    }

    [Fact]
    public async Task Route_CsvRawWithSimulate_IsAUsageError()
    {
        var run = await CliRun.RunAsync("route", "--policy", "p.json", "--roster", "r.json", "--leads", "l.csv", "--simulate", "2", "--csv-raw");

        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains("--csv-raw applies only to the CSV", run.Error);
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1+1", "'+1+1")]
    [InlineData("-1+1", "'-1+1")]
    [InlineData("@SUM(1)", "'@SUM(1)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\r=1", "'\\u000d=1")]
    [InlineData("-5", "-5")]
    [InlineData("+12.5", "+12.5")]
    [InlineData("-", "'-")]
    [InlineData("-1e5", "'-1e5")]
    [InlineData("a=1", "a=1")]
    [InlineData("Zoë \u001b[31m", "Zoë \\u001b[31m")]
    public void Neutralise_PrefixesFormulaStartsAndEscapesControls(string text, string expected) =>
        Assert.Equal(expected, CsvText.Neutralise(text));
}
