using System.Collections.Concurrent;
using System.Globalization;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Models.Registry;
using Alignment.Scoring.Backtesting;
using Alignment.Scoring.Definitions;
using Alignment.Scoring.Governance;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Scoring.Tests.Governance;

/// <summary>
/// The model registry's activation rules (both sides, two people, the current content), rollback and history, tenants kept apart,
/// and <see cref="ActiveScoringModels"/> swapping models under load: every score card comes from exactly one version and equals
/// that version's score of the lead.
/// </summary>
public sealed class ModelRegistryTests
{
    private static readonly FakeTimeProvider Time = new(TestData.Now);
    private static readonly ScoringModelOptions Options = new() { Schema = TestData.Schema };

    private static ScoringModelRelease Release(string version, decimal points) => new(ScoringModelJson.Parse(TestData.Model(
        "\"fit\": [ {\"id\": \"software\", \"points\": " + points.ToString(CultureInfo.InvariantCulture) +
        ", \"when\": {\"field\": \"company.industry\", \"equals\": \"Software\"}}, {\"id\": \"big\", \"points\": 7, \"when\": {\"field\": \"company.employeeCount\", \"gt\": 100}} ]")
        .Replace("\"version\": \"1.0.0\"", $"\"version\": \"{version}\"", StringComparison.Ordinal)));

    private static ModelApproval Approval(ModelRelease release, string who, ApprovalSide side) => new(who, side, TestData.Now, release.ContentHash);

    private static async Task<ModelRelease> PublishApprovedAsync(IModelRegistry registry, string tenant, string version, decimal points)
    {
        var release = await registry.PublishAsync(Release(version, points).ToModelRelease(tenant));
        await registry.ApproveAsync(release.Key, Approval(release, "mia", ApprovalSide.Marketing));
        return await registry.ApproveAsync(release.Key, Approval(release, "sam", ApprovalSide.Sales));
    }

    [Fact]
    public async Task Activation_needs_both_sides_by_two_people_on_the_current_content()
    {
        var registry = new InMemoryModelRegistry(Time);
        var release = await registry.PublishAsync(Release("1.0.0", 15).ToModelRelease("eu"));

        var none = await Assert.ThrowsAsync<ModelNotPublishableException>(async () => await registry.ActivateAsync(release.Key, "ops", "launch"));
        Assert.Equal(2, none.Problems.Length);
        await registry.ApproveAsync(release.Key, Approval(release, "mia", ApprovalSide.Marketing));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await registry.ApproveAsync(release.Key, Approval(release, "MIA", ApprovalSide.Sales)));
        var oneSide = await Assert.ThrowsAsync<ModelNotPublishableException>(async () => await registry.ActivateAsync(release.Key, "ops", "launch"));
        Assert.Contains("no sales approval", Assert.Single(oneSide.Problems), StringComparison.Ordinal);

        // An edit of the same version voids the approvals: an approval of the old content is refused, activation lists the void ones.
        var edited = await registry.PublishAsync(Release("1.0.0", 25).ToModelRelease("eu"));
        Assert.NotEqual(release.ContentHash, edited.ContentHash);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await registry.ApproveAsync(release.Key, Approval(release, "sam", ApprovalSide.Sales)));
        var afterEdit = await Assert.ThrowsAsync<ModelNotPublishableException>(async () => await registry.ActivateAsync(release.Key, "ops", "launch"));
        Assert.Contains(afterEdit.Problems, p => p.Contains("by mia was for earlier content and is void", StringComparison.Ordinal));
        Assert.Null(await registry.GetActiveAsync("eu", ModelKind.Scoring));

        await registry.ApproveAsync(release.Key, Approval(edited, "mia", ApprovalSide.Marketing));
        await registry.ApproveAsync(release.Key, Approval(edited, "sam", ApprovalSide.Sales));
        var activation = await registry.ActivateAsync(release.Key, "ops", "launch");
        Assert.Equal((edited.ContentHash, "ops", 1L), (activation.ContentHash, activation.ActivatedBy, activation.Sequence));

        // The active release's content cannot change any more: a new version is published instead.
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await registry.PublishAsync(Release("1.0.0", 35).ToModelRelease("eu")));
    }

    [Fact]
    public async Task A_subscriber_that_throws_neither_undoes_the_activation_nor_keeps_it_from_the_host()
    {
        var registry = new InMemoryModelRegistry(Time);
        registry.Activated += (_, _) => throw new InvalidOperationException("a host's handler failed");
        using var models = new ActiveScoringModels(registry, Options);
        models.Rejected += (_, _) => throw new InvalidOperationException("so did this one");
        var v1 = await PublishApprovedAsync(registry, "eu", "1.0.0", 15);

        await registry.ActivateAsync(v1.Key, "ops", "launch");
        Assert.True(models.TryGet("eu", out var model));
        Assert.Equal("1.0.0", model.Version);

        // Valid content under a hash it does not have: approved as that hash, but not the content approved; not taken up.
        var content = Release("2.0.0", 30).ToModelRelease("eu").Content;
        var mislabelled = await registry.PublishAsync(new ModelRelease(new ReleaseKey("eu", ModelKind.Scoring, "test", "2.0.0"), content, new string('c', 64)));
        await registry.ApproveAsync(mislabelled.Key, Approval(mislabelled, "mia", ApprovalSide.Marketing));
        await registry.ApproveAsync(mislabelled.Key, Approval(mislabelled, "sam", ApprovalSide.Sales));
        await registry.ActivateAsync(mislabelled.Key, "ops", "mislabelled");
        Assert.Contains(await models.RefreshAsync("eu"), p => p.Contains("loads to hash", StringComparison.Ordinal));
        Assert.True(models.TryGet("eu", out model));
        Assert.Equal("1.0.0", model.Version);
    }

    [Fact]
    public async Task Rollback_returns_to_the_release_active_before_and_the_history_keeps_who_why_and_when()
    {
        var registry = new InMemoryModelRegistry(Time);
        var v1 = await PublishApprovedAsync(registry, "eu", "1.0.0", 15);
        var v2 = await PublishApprovedAsync(registry, "eu", "2.0.0", 30);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await registry.RollbackAsync("eu", ModelKind.Scoring, "ops", "nothing yet"));

        await registry.ActivateAsync(v1.Key, "ops", "launch");
        await registry.ActivateAsync(v2.Key, "ops", "3.3 on Tuesday");
        var back = await registry.RollbackAsync("eu", ModelKind.Scoring, "lee", "MQL volume collapsed");

        Assert.True(back.IsRollback);
        Assert.Equal(v1.Key, (await registry.GetActiveAsync("eu", ModelKind.Scoring))!.Key);
        var history = await registry.GetHistoryAsync("eu", ModelKind.Scoring);
        Assert.Equal(["1.0.0 ops launch", "2.0.0 ops 3.3 on Tuesday", "1.0.0 lee MQL volume collapsed"], history.Select(h => $"{h.Key.Version} {h.ActivatedBy} {h.Reason}"));
        Assert.Equal([1L, 2L, 3L], history.Select(h => h.Sequence));
    }

    [Fact]
    public async Task Tenants_never_see_each_others_models()
    {
        var registry = new InMemoryModelRegistry(Time);
        using var models = new ActiveScoringModels(registry, Options);
        var eu = await PublishApprovedAsync(registry, "eu", "1.0.0", 15);
        var us = await PublishApprovedAsync(registry, "us", "2.0.0", 30);
        await registry.ActivateAsync(eu.Key, "ops", "launch");
        await registry.ActivateAsync(us.Key, "ops", "launch");

        Assert.True(models.TryGet("eu", out var euModel));
        Assert.True(models.TryGet("us", out var usModel));
        Assert.Equal(("1.0.0", "2.0.0"), (euModel.Version, usModel.Version));
        Assert.False(models.TryGet("apac", out _));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await models.GetAsync("apac"));
        Assert.Null(await registry.FindAsync(new ReleaseKey("us", ModelKind.Scoring, "test", "1.0.0")));
        await Assert.ThrowsAsync<KeyNotFoundException>(async () => await registry.ActivateAsync(new ReleaseKey("us", ModelKind.Scoring, "test", "1.0.0"), "ops", "borrow eu's"));

        // A host that starts later reads the active release on first use.
        using var later = new ActiveScoringModels(registry, Options);
        Assert.Equal("2.0.0", (await later.GetAsync("us")).Version);
    }

    [Fact]
    public async Task A_release_that_does_not_load_is_rejected_and_the_tenant_keeps_its_model()
    {
        var registry = new InMemoryModelRegistry(Time);
        using var models = new ActiveScoringModels(registry, Options);
        var rejected = new List<ModelRejectedEventArgs>();
        models.Rejected += (_, e) => rejected.Add(e);
        var good = await PublishApprovedAsync(registry, "eu", "1.0.0", 15);
        await registry.ActivateAsync(good.Key, "ops", "launch");

        var broken = await registry.PublishAsync(new ModelRelease(new ReleaseKey("eu", ModelKind.Scoring, "test", "9.0.0"), """{ "id": "test", "version": "9.0.0", "fit": "oops" }""", new string('a', 64)));
        await registry.ApproveAsync(broken.Key, Approval(broken, "mia", ApprovalSide.Marketing));
        await registry.ApproveAsync(broken.Key, Approval(broken, "sam", ApprovalSide.Sales));
        await registry.ActivateAsync(broken.Key, "ops", "typo");

        Assert.True(models.TryGet("eu", out var model));
        Assert.Equal("1.0.0", model.Version);
        var e = Assert.Single(rejected);
        Assert.Equal(broken.Key, e.Key);
        Assert.NotEmpty(e.Problems);
    }

    [Fact]
    public async Task Eight_threads_scoring_through_1000_activations_and_rollbacks_each_card_matches_exactly_one_version()
    {
        var registry = new InMemoryModelRegistry(Time);
        using var models = new ActiveScoringModels(registry, Options);
        var v1 = await PublishApprovedAsync(registry, "eu", "1.0.0", 15);
        var v2 = await PublishApprovedAsync(registry, "eu", "2.0.0", 30);
        await registry.ActivateAsync(v1.Key, "ops", "launch");

        var leads = Enumerable.Range(0, 64).Select(i => TestData.Lead($"l{i}", industry: i % 2 == 0 ? "Software" : "Retail", employees: i * 10)).ToArray();
        var expected = new Dictionary<string, decimal[]>(StringComparer.Ordinal)
        {
            ["1.0.0"] = [.. leads.Select(l => Release("1.0.0", 15).Compile(Options).Score(l, [], TestData.Now).Total)],
            ["2.0.0"] = [.. leads.Select(l => Release("2.0.0", 30).Compile(Options).Score(l, [], TestData.Now).Total)],
        };
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal) { ["1.0.0"] = v1.ContentHash, ["2.0.0"] = v2.ContentHash };
        Assert.NotEqual(expected["1.0.0"], expected["2.0.0"]);

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var wrong = new ConcurrentQueue<string>();
        var seen = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        bool done = false;
        var scorers = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            int n = 0;
            while (!Volatile.Read(ref done) && !stop.IsCancellationRequested)
            {
                int i = (n++ * 7 + t) % leads.Length;
                Assert.True(models.TryGet("eu", out var model));
                var card = model.Score(leads[i], [], TestData.Now);
                seen.AddOrUpdate(card.ModelVersion, 1, (_, c) => c + 1);
                if (!expected.TryGetValue(card.ModelVersion, out var totals) || totals[i] != card.Total || hashes[card.ModelVersion] != card.ModelHash)
                {
                    wrong.Enqueue($"{leads[i].Id}: {card.ModelVersion} {card.ModelHash[..12]} {card.Total}");
                }
            }
        })).ToArray();

        for (int k = 0; k < 500; k++)
        {
            await registry.ActivateAsync(v2.Key, "ops", $"try {k}");
            if (k % 100 == 0)
            {
                // Now and then, let the scorers see the challenger before rolling back (bounded wait).
                int before = seen.GetValueOrDefault("2.0.0");
                for (int spin = 0; spin < 2_000 && seen.GetValueOrDefault("2.0.0") == before; spin++)
                {
                    await Task.Delay(1);
                }
            }

            await registry.RollbackAsync("eu", ModelKind.Scoring, "ops", $"back {k}");
        }

        Volatile.Write(ref done, true);
        await Task.WhenAll(scorers);

        Assert.Empty(wrong);
        Assert.True(seen.ContainsKey("1.0.0") && seen.ContainsKey("2.0.0"), string.Join(", ", seen));
        Assert.Equal(1001, (await registry.GetHistoryAsync("eu", ModelKind.Scoring)).Count);
        Assert.True(models.TryGet("eu", out var final));
        Assert.Equal("1.0.0", final.Version);
    }

    [Fact]
    public async Task A_challenger_decides_nothing_and_its_live_comparison_equals_an_offline_impact_preview()
    {
        var registry = new InMemoryModelRegistry(Time);
        using var models = new ActiveScoringModels(registry, Options);
        var champion = await PublishApprovedAsync(registry, "eu", "1.0.0", 15);
        await registry.ActivateAsync(champion.Key, "ops", "launch");
        var candidate = Release("2.0.0", 60).ToModelRelease("eu"); // not approved: a challenger decides nothing
        Assert.Empty(models.AttachChallenger(candidate, maxExamples: 3));
        Assert.Null(models.GetChallengerComparison("eu"));

        var leads = Enumerable.Range(0, 40).Select(i => TestData.Lead($"c{i}", industry: i % 3 == 0 ? "Software" : "Retail", employees: i * 25)).ToArray();
        var alone = Release("1.0.0", 15).Compile(Options);
        var scorer = models.ScorerFor(_ => "eu");
        foreach (var lead in leads)
        {
            var card = scorer.Score(lead, [], TestData.Now);
            var expected = alone.Score(lead, [], TestData.Now);
            Assert.Equal((expected.ModelVersion, expected.Total, expected.State, expected.Grade), (card.ModelVersion, card.Total, card.State, card.Grade));
        }

        var live = models.GetChallengerComparison("eu")!;
        var offline = ImpactPreview.Compute(alone, Release("2.0.0", 60).Compile(Options), leads, LeadActivities.None, TestData.Now, maxExamples: 3);
        Assert.Equal(offline.ToText(), live.ToText());
        Assert.True(live.NewlyMql.Count + live.ScoreChanged.Count > 0, "the candidate must differ somewhere for the comparison to mean anything");

        // A new champion starts the comparison again; a detached challenger reports nothing.
        var v3 = await PublishApprovedAsync(registry, "eu", "3.0.0", 20);
        await registry.ActivateAsync(v3.Key, "ops", "next");
        scorer.Score(leads[0], [], TestData.Now);
        Assert.Equal(1, models.GetChallengerComparison("eu")!.Leads);
        Assert.True(models.DetachChallenger("eu"));
        Assert.Null(models.GetChallengerComparison("eu"));
        Assert.NotEmpty(models.AttachChallenger(new ModelRelease(new ReleaseKey("eu", ModelKind.Scoring, "test", "9.0.0"), "{ }", new string('b', 64))));
    }

    [Fact]
    public async Task Once_outcomes_arrive_the_live_backtest_of_champion_and_challenger_equals_an_offline_backtest_of_the_same_leads()
    {
        var registry = new InMemoryModelRegistry(Time);
        using var models = new ActiveScoringModels(registry, Options);
        var champion = await PublishApprovedAsync(registry, "eu", "1.0.0", 15);
        await registry.ActivateAsync(champion.Key, "ops", "launch");
        Assert.Empty(models.AttachChallenger(Release("2.0.0", 3).ToModelRelease("eu")));
        Assert.Null(models.GetChallengerBacktest("eu"));

        var leads = Enumerable.Range(0, 60).Select(i => TestData.Lead($"b{i}", industry: i % 3 == 0 ? "Software" : "Retail", employees: i * 25)).ToArray();
        static BacktestOutcome OutcomeOf(int i) => i % 5 == 4 ? BacktestOutcome.Open : i % 3 == 0 && i % 2 == 0 ? BacktestOutcome.Won : i % 7 == 0 ? BacktestOutcome.Disqualified : i % 4 == 0 ? BacktestOutcome.Won : BacktestOutcome.Lost;
        var history = new List<HistoricalLead>();
        for (int i = 0; i < leads.Length; i++)
        {
            models.Score("eu", leads[i], [], TestData.Now);
            var outcome = OutcomeOf(i);
            history.Add(new HistoricalLead(leads[i], TestData.Now, outcome) { ClosedAt = outcome == BacktestOutcome.Open ? null : TestData.Now.AddDays(20) });
            if (outcome != BacktestOutcome.Open)
            {
                Assert.True(models.RecordOutcome("eu", leads[i].Id, outcome, TestData.Now.AddDays(20)));
            }
        }

        // Scored again after its outcome arrived (a later activity): the backtest keeps the scores the lead had when it was decided.
        var later = models.Score("eu", TestData.Lead("b0", industry: "Software", employees: 5_000), [], TestData.Now.AddDays(30));
        Assert.NotEqual(models.Score("eu", leads[0], [], TestData.Now).Total, later.Total);
        Assert.False(models.RecordOutcome("eu", new LeadId("never-scored"), BacktestOutcome.Won, null));

        var live = models.GetChallengerBacktest("eu")!;
        var offline = Backtester.Compare(Release("1.0.0", 15).Compile(Options), Release("2.0.0", 3).Compile(Options), BacktestHistory.Create(history));
        Assert.Equal(offline.ToText(), live.ToText());
        Assert.Equal(("1.0.0", "2.0.0"), (live.Baseline.Model.Version, live.Candidate.Model.Version));
        Assert.NotNull(live.Baseline.RocAuc);
        Assert.NotEqual(live.Baseline.RocAuc, live.Candidate.RocAuc);

        // A new champion starts the comparison, and its backtest, again.
        var v3 = await PublishApprovedAsync(registry, "eu", "3.0.0", 20);
        await registry.ActivateAsync(v3.Key, "ops", "next");
        models.Score("eu", leads[1], [], TestData.Now);
        Assert.Equal(1, models.GetChallengerBacktest("eu")!.Baseline.Leads);
    }

    private sealed class FailingRule : IScoringRule
    {
        public string Name => "flaky";

        public double Evaluate(Lead lead, ReadOnlySpan<Alignment.Activities.LeadActivity> activities, in ScoringContext context) =>
            throw new InvalidOperationException("provider cache not warmed");
    }

    [Fact]
    public async Task A_challenger_that_fails_on_a_live_lead_is_detached_and_the_champion_still_scores()
    {
        var registry = new InMemoryModelRegistry(Time);
        using var models = new ActiveScoringModels(registry, new ScoringModelOptions { Schema = TestData.Schema, PluginRules = [new FailingRule()] });
        var rejected = new List<ModelRejectedEventArgs>();
        models.Rejected += (_, e) => rejected.Add(e);
        var champion = await PublishApprovedAsync(registry, "eu", "1.0.0", 15);
        await registry.ActivateAsync(champion.Key, "ops", "launch");
        string flaky = TestData.Model("\"plugins\": [ {\"id\": \"p\", \"rule\": \"flaky\"} ]").Replace("\"version\": \"1.0.0\"", "\"version\": \"2.0.0\"", StringComparison.Ordinal);
        var candidate = new ScoringModelRelease(ScoringModelJson.Parse(flaky)).ToModelRelease("eu");
        Assert.Empty(models.AttachChallenger(candidate));

        var card = models.Score("eu", TestData.Lead("x"), [], TestData.Now);

        Assert.Equal("1.0.0", card.ModelVersion);
        Assert.Null(models.GetChallengerComparison("eu"));
        Assert.False(models.DetachChallenger("eu"));
        Assert.Contains("failed on lead x", Assert.Single(rejected).Problems[0], StringComparison.Ordinal);
    }
}
