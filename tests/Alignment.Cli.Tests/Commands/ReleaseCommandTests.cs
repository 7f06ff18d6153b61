using System.Text.Json;
using System.Text.RegularExpressions;
using Alignment.Cli.Commands;
using Alignment.Models;
using Alignment.Scoring.Governance;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Cli.Tests.Commands;

/// <summary><c>alignment release</c> against a registry folder, each step a separate run of the tool (nothing kept in memory between them).</summary>
public sealed partial class ReleaseCommandTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 4, 9, 30, 0, TimeSpan.Zero);

    private static Task<CliRun> Run(TimeProvider clock, params string[] args) => CliRun.RunAsync([new ReleaseCommand(clock)], ["release", .. args]);

    private static Task<CliRun> Run(params string[] args) => Run(new FakeTimeProvider(T0), args);

    private static string HashOf(CliRun published) => HashPattern().Match(published.Out).Groups[1].Value;

    [GeneratedRegex("content ([0-9a-f]{12})")]
    private static partial Regex HashPattern();

    private static void AssertRefused(CliRun run, params string[] expected)
    {
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith("alignment: error: ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        foreach (string text in expected)
        {
            Assert.Contains(text, run.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_whole_life_cycle_publish_approve_activate_upgrade_rollback_and_status()
    {
        using var dir = new TempFolder();
        string registry = Path.Combine(dir.Path, "registry");
        string v1 = dir.Write("v1.json", TestFiles.ScoringModel), v2 = dir.Write("v2.json", TestFiles.ScoringModelV2);
        var clock = new FakeTimeProvider(T0);
        string[] at = ["--registry", registry, "--tenant", "eu"];

        var published = await Run(clock, ["publish", v1, .. at]);
        Assert.Equal(ExitCodes.Success, published.ExitCode);
        Assert.StartsWith("published scoring model t@1.0.0 of tenant 'eu': content ", published.Out, StringComparison.Ordinal);
        Assert.Contains("not ready to activate: no marketing approval", published.Out, StringComparison.Ordinal);
        string hash1 = HashOf(published);
        var marketing = await Run(clock, ["approve", "--kind", "scoring", "--id", "t", "--version", "1.0.0", "--by", "mia", "--side", "marketing", "--hash", hash1, "--comment", "fit rules checked", .. at]);
        Assert.Equal((ExitCodes.Success, ""), (marketing.ExitCode, marketing.Error));
        Assert.Contains($"approved content {hash1} of scoring model t@1.0.0 of tenant 'eu' for marketing by mia", marketing.Out, StringComparison.Ordinal);
        Assert.Contains("not ready to activate: no sales approval", marketing.Out, StringComparison.Ordinal);
        var sales = await Run(clock, ["approve", "--kind", "scoring", "--id", "t", "--version", "1.0.0", "--by", "sam", "--side", "sales", .. at]);
        Assert.Contains("ready to activate: marketing and sales approved this content", sales.Out, StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromHours(1));
        var activated = await Run(clock, ["activate", "--kind", "scoring", "--id", "t", "--version", "1.0.0", "--by", "ops", "--reason", "launch", .. at]);
        Assert.Equal($"activated scoring model t@1.0.0 of tenant 'eu', content {hash1} (history #1)\n", activated.Out);

        string hash2 = HashOf(await Run(clock, ["publish", v2, .. at]));
        await Run(clock, ["approve", "--kind", "scoring", "--id", "t", "--version", "1.1.0", "--by", "mia", "--side", "marketing", "--hash", hash2, .. at]);
        await Run(clock, ["approve", "--kind", "scoring", "--id", "t", "--version", "1.1.0", "--by", "sam", "--side", "sales", "--hash", hash2, .. at]);
        clock.Advance(TimeSpan.FromDays(1));
        var upgraded = await Run(clock, ["activate", "--kind", "scoring", "--id", "t", "--version", "1.1.0", "--by", "ops", "--reason", "software counts more", .. at]);
        Assert.Equal($"activated scoring model t@1.1.0 of tenant 'eu', content {hash2} (history #2, replaces t@1.0.0)\n", upgraded.Out);
        var again = await Run(clock, ["activate", "--kind", "scoring", "--id", "t", "--version", "1.1.0", "--by", "lee", "--reason", "twice", .. at]);
        Assert.StartsWith("already active: scoring model t@1.1.0", again.Out, StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromHours(5));
        var back = await Run(clock, ["rollback", "--kind", "scoring", "--by", "lee", "--reason", "MQL volume collapsed", .. at]);
        Assert.Equal($"rolled back the scoring model of tenant 'eu' from t@1.1.0 to t@1.0.0, content {hash1} (history #3)\n", back.Out);
        var rerun = await Run(clock, ["rollback", "--kind", "scoring", "--by", "lee", "--reason", "MQL volume collapsed", .. at]);
        Assert.Equal((ExitCodes.Success, $"already rolled back: the scoring model of tenant 'eu' is t@1.0.0, content {hash1} (history #3, by lee: MQL volume collapsed); nothing changed\n"), (rerun.ExitCode, rerun.Out));

        var status = await Run(clock, ["status", "--kind", "scoring", .. at]);
        Assert.Equal(ExitCodes.Success, status.ExitCode);
        Assert.Equal(
            $"""
            tenant 'eu'

            scoring: active t@1.0.0, content {hash1}, rolled back to by lee at 2026-05-05T15:30:00+00:00 (#3): MQL volume collapsed
              approval: marketing by mia at 2026-05-04T09:30:00+00:00 (valid): fit rules checked
              approval: sales by sam at 2026-05-04T09:30:00+00:00 (valid)
              history, newest first:
                #3 2026-05-05T15:30:00+00:00 rollback to t@1.0.0 ({hash1}) by lee: MQL volume collapsed
                #2 2026-05-05T10:30:00+00:00 activate t@1.1.0 ({hash2}) by ops: software counts more
                #1 2026-05-04T10:30:00+00:00 activate t@1.0.0 ({hash1}) by ops: launch

            """.ReplaceLineEndings("\n"),
            status.Out.ReplaceLineEndings("\n"));

        var json = await Run(clock, ["status", "--format", "json", .. at]);
        using var doc = JsonDocument.Parse(json.Out);
        var kinds = doc.RootElement.GetProperty("kinds");
        Assert.Equal(["scoring", "segmentation", "routing", "nurture"], kinds.EnumerateArray().Select(k => k.GetProperty("kind").GetString()));
        var scoring = kinds[0];
        Assert.Equal((3, true), (scoring.GetProperty("active").GetProperty("sequence").GetInt32(), scoring.GetProperty("active").GetProperty("isRollback").GetBoolean()));
        Assert.Equal([3, 2, 1], scoring.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("sequence").GetInt32()));
        Assert.Equal(0, scoring.GetProperty("activeRelease").GetProperty("blocks").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, kinds[1].GetProperty("active").ValueKind);
    }

    [Fact]
    public async Task Activation_without_both_approvals_is_refused_listing_what_is_missing()
    {
        using var dir = new TempFolder();
        string[] at = ["--registry", dir.Path, "--tenant", "eu"];
        await Run(["publish", dir.Write("v1.json", TestFiles.ScoringModel), .. at]);
        string[] activate = ["activate", "--kind", "scoring", "--id", "t", "--version", "1.0.0", "--by", "ops", "--reason", "launch", .. at];

        AssertRefused(await Run(activate), "cannot activate scoring model t@1.0.0 of tenant 'eu'", "no marketing approval of content", "no sales approval of content");
        await Run(["approve", "--kind", "scoring", "--id", "t", "--version", "1.0.0", "--by", "mia", "--side", "marketing", .. at]);
        var oneSide = await Run(activate);
        AssertRefused(oneSide, "no sales approval of content");
        Assert.DoesNotContain("no marketing approval", oneSide.Error, StringComparison.Ordinal);

        var status = await Run(["status", "--kind", "scoring", "--id", "t", "--version", "1.0.0", .. at]);
        Assert.Contains("scoring: nothing active", status.Out, StringComparison.Ordinal);
        Assert.Contains("blocks activation: no sales approval of content", status.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_person_cannot_approve_the_other_side_too()
    {
        using var dir = new TempFolder();
        string[] at = ["--registry", dir.Path, "--tenant", "eu"];
        await Run(["publish", dir.Write("v1.json", TestFiles.ScoringModel), .. at]);
        await Run(["approve", "--kind", "scoring", "--id", "t", "--version", "1.0.0", "--by", "mia", "--side", "marketing", .. at]);

        AssertRefused(await Run(["approve", "--kind", "scoring", "--id", "t", "--version", "1.0.0", "--by", "Mia", "--side", "sales", .. at]), "already approved content", "the sales approval must come from someone else");
        AssertRefused(await Run(["approve", "--kind", "scoring", "--id", "t", "--version", "1.0.0", "--by", "mia ", "--side", "sales", .. at]), "leading, trailing or doubled spaces");
    }

    [Fact]
    public async Task An_approval_names_the_hash_reviewed_and_is_refused_after_an_edit()
    {
        using var dir = new TempFolder();
        string[] at = ["--registry", dir.Path, "--tenant", "eu"];
        string hash = HashOf(await Run(["publish", dir.Write("v1.json", TestFiles.ScoringModel), .. at]));
        string[] approve = ["approve", "--kind", "scoring", "--id", "t", "--version", "1.0.0", "--by", "mia", "--side", "marketing", .. at];
        string edited = dir.Write("edited.json", [.. TestFiles.ScoringModel.Select(l => l.Replace("\"points\": 40", "\"points\": 45", StringComparison.Ordinal))]);
        var republished = await Run(["publish", edited, .. at]);
        Assert.Contains($"(replaces content {hash}; the approvals of that content are void)", republished.Out, StringComparison.Ordinal);

        AssertRefused(await Run([.. approve, "--hash", hash]), $"has content {HashOf(republished)}, not the {hash} you reviewed");
        AssertRefused(await Run([.. approve, "--hash", "12"]), "--hash '12' is not a content hash or a prefix of at least 6 hex digits");
        AssertRefused(await Run([.. approve, "--hash", "zzzzzzzz"]), "is not a content hash");
        var ok = await Run([.. approve, "--hash", HashOf(republished).ToUpperInvariant()[..8]]);
        Assert.Equal(ExitCodes.Success, ok.ExitCode);
    }

    [Fact]
    public async Task A_routing_release_is_published_approved_and_activated_and_a_broken_one_is_refused_with_its_path()
    {
        using var dir = new TempFolder();
        string[] at = ["--registry", dir.Path, "--tenant", "eu"];
        string release = $$"""{ "version": "2026.3", "policy": {{string.Join("\n", PolicyFiles.Policy)}}, "roster": {{string.Join("\n", PolicyFiles.Roster)}} }""";

        var published = await Run(["publish", dir.Write("routing.json", release), "--kind", "routing", .. at]);
        Assert.Equal((ExitCodes.Success, ""), (published.ExitCode, published.Error));
        Assert.StartsWith("published routing model p1@2026.3 of tenant 'eu': content ", published.Out, StringComparison.Ordinal);
        string[] key = ["--kind", "routing", "--id", "p1", "--version", "2026.3"];
        await Run(["approve", .. key, "--by", "mia", "--side", "marketing", .. at]);
        await Run(["approve", .. key, "--by", "sam", "--side", "sales", .. at]);
        var activated = await Run(["activate", .. key, "--by", "ops", "--reason", "territories for Q3", .. at]);
        Assert.StartsWith("activated routing model p1@2026.3 of tenant 'eu'", activated.Out, StringComparison.Ordinal);

        string broken = release.Replace("\"teams\": [\"ae\"]", "\"teams\": [\"nobody\"]", StringComparison.Ordinal);
        AssertRefused(await Run(["publish", dir.Write("broken.json", broken), "--kind", "routing", .. at]), "broken.json", "$.policy.rules[1].pool");
    }

    [Fact]
    public async Task A_segmentation_model_is_published_as_a_release_of_its_id_and_version()
    {
        using var dir = new TempFolder();
        string[] at = ["--registry", dir.Path, "--tenant", "eu"];

        var published = await Run(["publish", dir.Write("segments.json", PolicyFiles.Segments), "--kind", "segmentation", .. at]);

        Assert.Equal((ExitCodes.Success, ""), (published.ExitCode, published.Error));
        Assert.StartsWith("published segmentation model acme-segments@1 of tenant 'eu': content ", published.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_with_nothing_before_and_unknown_releases_are_refused()
    {
        using var dir = new TempFolder();
        string[] at = ["--registry", dir.Path, "--tenant", "eu"];

        AssertRefused(await Run(["rollback", "--kind", "routing", "--by", "ops", "--reason", "undo", .. at]), "nothing to roll back to");
        AssertRefused(await Run(["activate", "--kind", "scoring", "--id", "t", "--version", "9.9.9", "--by", "ops", "--reason", "x", .. at]), "scoring model t@9.9.9 of tenant 'eu' was never published", "alignment release publish");
        AssertRefused(await Run(["approve", "--kind", "nurture", "--id", "t", "--version", "1.0.0", "--by", "mia", "--side", "sales", .. at]), "nurture model t@1.0.0 of tenant 'eu' was never published");
        AssertRefused(await Run(["publish", dir.Write("v1.json", TestFiles.ScoringModel), "--kind", "segmentation", .. at]), "v1.json", "segmentation model");
        AssertRefused(await Run(["status", "--kind", "scoring", "--id", "t", "--version", "1.0.0", "--registry", dir.Path, "--tenant", "us"]), "never published");
    }

    [Fact]
    public async Task Publish_records_the_files_approvals_of_this_content_and_skips_void_ones()
    {
        using var dir = new TempFolder();
        var clock = new FakeTimeProvider(T0);
        var release = ScoringModelRelease.Load(string.Join("\n", TestFiles.ScoringModel)).Approve("old", ApprovalSide.Sales, clock);
        var edited = release.Edit(ScoringModelRelease.Load(string.Join("\n", TestFiles.ScoringModel).Replace("\"points\": 40", "\"points\": 41", StringComparison.Ordinal)).Definition)
            .Approve("mia", ApprovalSide.Marketing, clock, "checked").Approve("sam", ApprovalSide.Sales, clock);
        string file = dir.Write("release.json", edited.ToJson());
        string[] at = ["--registry", Path.Combine(dir.Path, "reg"), "--tenant", "eu"];

        var published = await Run(["publish", file, .. at]);

        Assert.Equal(ExitCodes.Success, published.ExitCode);
        Assert.Contains("not imported: the sales approval by old is for earlier content", published.Out, StringComparison.Ordinal);
        Assert.Contains("imported: the marketing approval by mia of 2026-05-04T09:30:00+00:00", published.Out, StringComparison.Ordinal);
        Assert.Contains("ready to activate: marketing and sales approved this content", published.Out, StringComparison.Ordinal);
        var activated = await Run(["activate", "--kind", "scoring", "--id", "t", "--version", "1.0.0", "--by", "ops", "--reason", "signed file", .. at]);
        Assert.Equal(ExitCodes.Success, activated.ExitCode);
    }

    [Fact]
    public async Task The_registry_is_one_of_a_folder_or_PostgreSQL_and_a_damaged_one_is_reported()
    {
        using var dir = new TempFolder();
        var neither = await Run(["status", "--tenant", "eu"]);
        var both = await Run(["status", "--tenant", "eu", "--registry", dir.Path, "--postgres", "Host=x"]);
        var schemaAlone = await Run(["status", "--tenant", "eu", "--registry", dir.Path, "--schema", "s"]);
        Assert.Equal((ExitCodes.UsageError, ExitCodes.UsageError, ExitCodes.UsageError), (neither.ExitCode, both.ExitCode, schemaAlone.ExitCode));
        Assert.Contains("--registry DIR (a folder) or --postgres", neither.Error, StringComparison.Ordinal);
        Assert.Contains("Run 'alignment release status --help'", neither.Error, StringComparison.Ordinal);

        var noConnection = await CliRun.RunAsync([new ReleaseCommand(environment: _ => null)], ["release", "status", "--tenant", "eu", "--postgres"]);
        AssertRefused(noConnection, $"--postgres has no connection string and {ReleaseCommand.ConnectionVariable} is not set");
        var fromVariable = await CliRun.RunAsync(
            [new ReleaseCommand(environment: name => name == ReleaseCommand.ConnectionVariable ? "Host=127.0.0.1;Port=1;Username=u;Password=s3cret;Timeout=2" : null)],
            ["release", "status", "--tenant", "eu", "--postgres"]);
        AssertRefused(fromVariable, "the PostgreSQL registry failed");
        Assert.DoesNotContain("s3cret", fromVariable.Error, StringComparison.Ordinal);

        await Run(["publish", dir.Write("v1.json", TestFiles.ScoringModel), "--registry", dir.Path, "--tenant", "eu"]);
        string file = Path.Combine(dir.Path, "tenant-eu", "scoring.json");
        File.WriteAllText(file, "{ \"format\": 1, ");
        AssertRefused(await Run(["status", "--registry", dir.Path, "--tenant", "eu"]), "the registry is damaged", file);
    }
}
