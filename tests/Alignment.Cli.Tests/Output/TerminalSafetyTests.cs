using Alignment.Cli.Output;

namespace Alignment.Cli.Tests.Output;

/// <summary>
/// Control characters and terminal escapes from input files (ESC [ … sequences, BEL, CR, backspace, C1 controls) are printed as
/// visible escapes in error messages, --explain output, text reports and tables; JSON output carries them as JSON escapes.
/// </summary>
public sealed class TerminalSafetyTests
{
    private const string Hostile = "L\u001b[31m\u0007red";
    private const string Shown = "L\\u001b[31m\\u0007red";

    [Fact]
    public async Task Score_IdWithEscapes_IsEscapedInTheErrorMessage()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "id,industry", Hostile + ",Software", Hostile + ",Retail");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--as-of", "2026-03-01");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"lead '{Shown}' appears twice", run.Error);
        Assert.DoesNotContain('\u001b', run.Error);
        Assert.DoesNotContain('\u0007', run.Error);
    }

    [Fact]
    public async Task Score_LibraryMessageQuotingACell_IsEscapedWhereTheToolPrintsIt()
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", TestFiles.ScoringModel);
        string leads = dir.Write("leads.csv", "id,industry,employeeCount", "L1,Software,\u001b]0;owned\u0007\u009b2J\b\b");

        var run = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--as-of", "2026-03-01");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("'\\u001b]0;owned\\u0007\\u009b2J\\u0008\\u0008' is not a whole number", run.Error);
        Assert.False(run.Error.TrimEnd('\n').Any(TerminalText.IsUnsafe), run.Error);
    }

    [Fact]
    public async Task Score_Explain_PrintsIdsEscaped_AndRawWithCsvRaw()
    {
        using var dir = new TempFolder();
        string model = dir.Write(
            "model.json",
            """{ "id": "t", "version": "1.0.0", "thresholds": { "mql": { "score": 20, "minGrade": "F" } },""",
            """  "fit": [ { "id": "fit", "points": 15, "when": { "field": "company.industry", "in": ["Software"] } } ] }""");
        string leads = dir.Write("leads.csv", "id,industry", "\"" + Hostile + "\b\",Software");

        var safe = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--as-of", "2026-03-01", "--explain");
        var raw = await CliRun.RunAsync("score", "--model", model, "--leads", leads, "--as-of", "2026-03-01", "--explain", "--csv-raw");

        Assert.True(safe.ExitCode == ExitCodes.Success, safe.Error);
        Assert.Equal($"id,total,fit,engagement,grade,state,explanation\n{Shown}\\u0008,15,15,0,D,notQualified,fit +15\n", safe.Out);
        Assert.Equal(ExitCodes.Success, raw.ExitCode);
        Assert.Equal($"id,total,fit,engagement,grade,state,explanation\n{Hostile}\b,15,15,0,D,notQualified,fit +15\n", raw.Out);
    }

    // Models, policies and rosters with control characters are refused when read (ModelJsonGuard): they never reach a report, and the
    // refusal itself prints nothing unsafe.
    [Fact]
    public async Task Models_WithTerminalEscapes_AreRefused_AndTheMessageIsSafe()
    {
        using var dir = new TempFolder();
        string v1 = dir.Write("v1.json", TestFiles.ScoringModel);
        string v2 = dir.Write("v2.json", [.. TestFiles.ScoringModelV2.Select(l => l.Replace("software counts more", "more\\u001b[8m\\u0085hidden", StringComparison.Ordinal))]);
        string segments = dir.Write("segments.json", """{ "id": "seg\u001b[31m", "version": "1", "segments": [], "default": { "id": "all\u0007" } }""");
        string policy = dir.Write("policy.json", """{ "id": "p\u009b1m", "fallbackQueue": "q\u001b[5m", "rules": [ { "id": "r", "strategy": "roundRobin", "pool": { "teams": ["ae"] } } ] }""");
        string roster = dir.Write("roster.json", """{ "reps": [ { "id": "ana\b\b\bbob", "team": "ae", "timeZone": "UTC", "maxOpenLeads": 1 } ] }""");
        string goodPolicy = dir.Write("good-policy.json", """{ "id": "p", "fallbackQueue": "q", "rules": [ { "id": "r", "strategy": "roundRobin", "pool": { "teams": ["ae"] } } ] }""");
        string leads = dir.Write("leads.csv", "id,createdAt", "A1,2026-03-02T10:00:00Z", "A2,2026-03-02T10:05:00Z");

        var runs = new[]
        {
            (await CliRun.RunAsync("diff", v1, v2), "$.changeNote", "U+001B"),
            (await CliRun.RunAsync("validate", segments), "$.id", "U+001B"),
            (await CliRun.RunAsync("route", "--policy", policy, "--roster", roster, "--leads", leads, "--simulate", "1"), "$.id", "U+009B"),
            (await CliRun.RunAsync("route", "--policy", goodPolicy, "--roster", roster, "--leads", leads, "--simulate", "1"), "$.reps[0].id", "U+0008"),
        };

        foreach (var (run, path, character) in runs)
        {
            Assert.True(run.ExitCode == ExitCodes.BadInput, run.Error);
            Assert.Contains(path, run.Error, StringComparison.Ordinal);
            Assert.Contains("control character " + character, run.Error, StringComparison.Ordinal);
            Assert.False(run.Error.Any(c => TerminalText.IsUnsafe(c) && c != '\n'), run.Error);
        }
    }

    private static IEnumerable<string> Strings(System.Text.Json.JsonElement element) => element.ValueKind switch
    {
        System.Text.Json.JsonValueKind.String => [element.GetString()!],
        System.Text.Json.JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        System.Text.Json.JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    [Theory]
    [InlineData("plain Zoë 東京 \t tab", "plain Zoë 東京 \t tab")]
    [InlineData("a\u001b[31mb", "a\\u001b[31mb")]
    [InlineData("bell\u0007 bs\b del\u007f csi\u009b nel\u0085", "bell\\u0007 bs\\u0008 del\\u007f csi\\u009b nel\\u0085")]
    [InlineData("cr\rlf\n", "cr\\u000dlf\\u000a")]
    [InlineData("rtl\u202egnp.exe", "rtl\\u202egnp.exe")]
    public void Escape_RendersControlsVisibly_KeepsLettersAndTabs(string text, string expected) =>
        Assert.Equal(expected, TerminalText.Escape(text));

    [Fact]
    public void EscapeLines_KeepsLineBreaks_EscapesALoneCarriageReturn() =>
        Assert.Equal("one\ntwo\r\nthree\\u000doverwritten", TerminalText.EscapeLines("one\ntwo\r\nthree\roverwritten"));
}
