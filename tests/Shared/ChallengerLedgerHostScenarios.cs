using System.Globalization;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Models.Challengers;
using Alignment.Models.Registry;
using Alignment.Scoring;
using Alignment.Scoring.Backtesting;
using Alignment.Scoring.Governance;

namespace Alignment.TestScenarios;

/// <summary>
/// <see cref="ActiveScoringModels"/> keeping its champion/challenger comparison in an <see cref="IChallengerLedger"/>: two hosts each
/// scoring half of the leads give, from either host and from a host started afterwards, the comparison an offline
/// <see cref="ImpactPreview"/> gives over all of them, and the backtest <see cref="Backtester"/> gives on the same scores and outcomes.
/// Linked into the scoring tests (in-memory ledger) and the PostgreSQL tests (two ledger instances on one schema).
/// </summary>
public abstract class ChallengerLedgerHostScenarios
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Makes two ledgers on one new, empty store (two hosts' views of it).</summary>
    protected abstract Task<(IChallengerLedger First, IChallengerLedger Second)> CreateLedgersAsync();

    private static ScoringModelRelease Release(string version, decimal points) => ScoringModelRelease.Load($$$"""
        {
          "id": "fit", "version": "{{{version}}}",
          "thresholds": { "mql": {"score": 50, "minGrade": "F"}, "hot": {"score": 100, "minGrade": "F"} },
          "fit": [ {"id": "software", "points": {{{points.ToString(CultureInfo.InvariantCulture)}}}, "when": {"field": "company.industry", "equals": "Software"}},
                   {"id": "big", "points": 7, "when": {"field": "company.employeeCount", "gt": 100}} ]
        }
        """);

    private static Lead Lead(int i) => new(new LeadId($"lead-{i:D3}"))
    {
        Company = new CompanyProfile { Industry = i % 3 == 0 ? "Software" : "Retail", EmployeeCount = i * 25, Name = "Acme" },
    };

    private static BacktestOutcome OutcomeOf(int i) =>
        i % 5 == 4 ? BacktestOutcome.Open : i % 3 == 0 && i % 2 == 0 ? BacktestOutcome.Won : i % 7 == 0 ? BacktestOutcome.Disqualified : i % 4 == 0 ? BacktestOutcome.Won : BacktestOutcome.Lost;

    /// <summary>A registry with 1.0.0 active for "eu" and 2.0.0 published (not approved) as the candidate.</summary>
    private static async Task<(InMemoryModelRegistry Registry, ReleaseKey Candidate)> RegistryAsync()
    {
        var registry = new InMemoryModelRegistry();
        var champion = await registry.PublishAsync(Release("1.0.0", 15).ToModelRelease("eu"));
        await registry.ApproveAsync(champion.Key, new ModelApproval("mia", ApprovalSide.Marketing, Now, champion.ContentHash));
        await registry.ApproveAsync(champion.Key, new ModelApproval("sam", ApprovalSide.Sales, Now, champion.ContentHash));
        await registry.ActivateAsync(champion.Key, "ops", "launch");
        var candidate = await registry.PublishAsync(Release("2.0.0", 60).ToModelRelease("eu"));
        return (registry, candidate.Key);
    }

    [Fact]
    public async Task Two_hosts_scoring_half_the_leads_each_share_one_comparison_equal_to_an_offline_preview_of_all_and_a_restart_keeps_it()
    {
        var (registry, candidate) = await RegistryAsync();
        var (ledgerA, ledgerB) = await CreateLedgersAsync();
        using var a = new ActiveScoringModels(registry) { ChallengerLedger = ledgerA };
        using var b = new ActiveScoringModels(registry) { ChallengerLedger = ledgerB };
        Assert.Empty(await a.AttachChallengerAsync(candidate, "mia"));
        await b.GetAsync("eu");
        Assert.Equal(0, await b.FlushChallengerAsync()); // takes up the challenger host A attached
        Assert.Null(await b.GetChallengerComparisonAsync("eu"));

        var leads = Enumerable.Range(0, 40).Select(Lead).ToArray();
        var champion = Release("1.0.0", 15).Compile();
        for (int i = 0; i < leads.Length; i++)
        {
            var host = i % 2 == 0 ? a : b;
            var card = host.Score("eu", leads[i], [], Now);
            Assert.Equal(champion.Score(leads[i], [], Now).Total, card.Total); // the challenger decides nothing
        }

        Assert.Equal(20, await a.FlushChallengerAsync());
        Assert.Equal(20, await b.FlushChallengerAsync());
        Assert.Equal(0, await a.FlushChallengerAsync());

        var offline = ImpactPreview.Compute(champion, Release("2.0.0", 60).Compile(), leads, LeadActivities.None, Now, maxExamples: 3);
        Assert.True(offline.NewlyMql.Count > 0 && offline.ScoreChanged.Count > 0, "the candidate must differ for the comparison to mean anything");
        Assert.Equal(offline.ToText(), (await a.GetChallengerComparisonAsync("eu", maxExamples: 3))!.ToText());
        Assert.Equal(offline.ToText(), (await b.GetChallengerComparisonAsync("eu", maxExamples: 3))!.ToText());
        Assert.Equal(20, a.GetChallengerComparison("eu")!.Leads); // the in-memory view stays this host's own

        // A restarted host, before it even scored or refreshed, reads the same comparison.
        using var restarted = new ActiveScoringModels(registry) { ChallengerLedger = ledgerA };
        Assert.Equal(offline.ToText(), (await restarted.GetChallengerComparisonAsync("eu", maxExamples: 3))!.ToText());

        // Detached by one host: the other drops its challenger at its next flush, and the ledger holds nothing.
        Assert.True(await b.DetachChallengerAsync("eu"));
        await a.FlushChallengerAsync();
        Assert.Null(a.GetChallengerComparison("eu"));
        Assert.Null(await a.GetChallengerComparisonAsync("eu"));
        Assert.Throws<InvalidOperationException>(() => a.AttachChallenger(Release("2.0.0", 60).ToModelRelease("eu")));
    }

    [Fact]
    public async Task An_outcome_from_a_host_that_has_not_scored_since_another_host_moved_to_a_new_champion_is_recorded_not_dropped()
    {
        var (registry, candidate) = await RegistryAsync();
        var (ledgerA, ledgerB) = await CreateLedgersAsync();
        using var a = new ActiveScoringModels(registry) { ChallengerLedger = ledgerA };
        using var b = new ActiveScoringModels(registry) { ChallengerLedger = ledgerB };
        Assert.Empty(await a.AttachChallengerAsync(candidate, "mia"));
        await b.GetAsync("eu");
        await b.FlushChallengerAsync();

        // A new champion is activated; host B scores beside it, which starts the comparison again in the ledger.
        var next = await registry.PublishAsync(Release("1.1.0", 20).ToModelRelease("eu"));
        await registry.ApproveAsync(next.Key, new ModelApproval("mia", ApprovalSide.Marketing, Now, next.ContentHash));
        await registry.ApproveAsync(next.Key, new ModelApproval("sam", ApprovalSide.Sales, Now, next.ContentHash));
        await registry.ActivateAsync(next.Key, "ops", "1.1.0");
        b.Score("eu", Lead(2), [], Now);
        Assert.Equal(1, await b.FlushChallengerAsync());

        // Host A has not scored since it attached: its outcome carries the attachment's first champion, and is still recorded.
        Assert.True(a.RecordOutcome("eu", Lead(2).Id, BacktestOutcome.Won, Now.AddDays(3)));
        Assert.Equal(1, await a.FlushChallengerAsync());
        var lead = Assert.Single((await ledgerB.ReadAsync("eu"))!.Leads);
        Assert.Equal((Lead(2).Id, BacktestOutcome.Won), (lead.Lead, lead.Outcome));
    }

    [Fact]
    public async Task A_score_taken_after_an_outcome_still_buffered_on_the_same_host_does_not_replace_the_pair_of_the_decision()
    {
        var (registry, candidate) = await RegistryAsync();
        var (ledger, _) = await CreateLedgersAsync();
        using var a = new ActiveScoringModels(registry) { ChallengerLedger = ledger };
        Assert.Empty(await a.AttachChallengerAsync(candidate, "mia"));

        var scored = a.Score("eu", Lead(3), [], Now);
        Assert.True(a.RecordOutcome("eu", Lead(3).Id, BacktestOutcome.Won, Now.AddDays(1)));
        a.Score("eu", new Lead(Lead(3).Id) { Company = new CompanyProfile { Industry = "Retail", EmployeeCount = 1, Name = "Acme" } }, [], Now.AddDays(2));
        await a.FlushChallengerAsync();

        var lead = Assert.Single((await ledger.ReadAsync("eu"))!.Leads);
        Assert.Equal((BacktestOutcome.Won, Now), (lead.Outcome, lead.ScoredAt));
        Assert.Equal(scored.Total, lead.Champion.TotalHundredths / 100m);
    }

    [Fact]
    public async Task Outcomes_recorded_on_any_host_give_the_backtest_of_both_models_that_an_offline_backtest_of_the_same_leads_gives()
    {
        var (registry, candidate) = await RegistryAsync();
        var (ledgerA, ledgerB) = await CreateLedgersAsync();
        using var a = new ActiveScoringModels(registry) { ChallengerLedger = ledgerA };
        using var b = new ActiveScoringModels(registry) { ChallengerLedger = ledgerB };
        Assert.Empty(await a.AttachChallengerAsync(candidate, "mia"));
        await b.GetAsync("eu");
        await b.FlushChallengerAsync();

        var leads = Enumerable.Range(0, 60).Select(Lead).ToArray();
        var history = new List<HistoricalLead>();
        for (int i = 0; i < leads.Length; i++)
        {
            (i % 2 == 0 ? a : b).Score("eu", leads[i], [], Now);
            var outcome = OutcomeOf(i);
            history.Add(new HistoricalLead(leads[i], Now, outcome) { ClosedAt = outcome == BacktestOutcome.Open ? null : Now.AddDays(20) });
        }

        await a.FlushChallengerAsync();
        await b.FlushChallengerAsync();
        for (int i = 0; i < leads.Length; i++)
        {
            if (OutcomeOf(i) != BacktestOutcome.Open)
            {
                // The outcome reaches the host that did not score the lead.
                Assert.True((i % 2 == 0 ? b : a).RecordOutcome("eu", leads[i].Id, OutcomeOf(i), Now.AddDays(20)));
            }
        }

        // Scored again after its outcome reached the ledger: the ledger keeps the pair the lead had when it was decided.
        Assert.Equal(48, await b.FlushChallengerAsync() + await a.FlushChallengerAsync());
        a.Score("eu", new Lead(leads[0].Id) { Company = new CompanyProfile { Industry = "Retail", EmployeeCount = 1, Name = "Acme" } }, [], Now.AddDays(30));
        Assert.Equal(1, await a.FlushChallengerAsync());

        var offline = Backtester.Compare(Release("1.0.0", 15).Compile(), Release("2.0.0", 60).Compile(), BacktestHistory.Create(history));
        using var restarted = new ActiveScoringModels(registry) { ChallengerLedger = ledgerB };
        foreach (var host in new[] { a, b, restarted })
        {
            var live = (await host.GetChallengerBacktestAsync("eu"))!;
            Assert.Equal(offline.ToText(), live.ToText());
            Assert.Equal(("1.0.0", "2.0.0"), (live.Baseline.Model.Version, live.Candidate.Model.Version));
        }

        Assert.NotNull(offline.Baseline.RocAuc);
    }
}
