using Alignment.Leads;
using Alignment.Models;
using Alignment.Models.Challengers;
using Alignment.Models.Registry;
using Alignment.Scoring;
using Alignment.Scoring.Governance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Hosting.Tests;

/// <summary>
/// The challenger-flush worker: with a challenger ledger registered, what scoring buffered beside a challenger reaches the ledger
/// every <see cref="AlignmentWorkerOptions.ChallengerFlushInterval"/> and once more when the host stops; the interval is validated at
/// start-up.
/// </summary>
public sealed class ChallengerFlushWorkerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static string ModelJson(string version, int points) => $$$"""
        { "id": "std", "version": "{{{version}}}",
          "thresholds": { "mql": {"score": 50, "minGrade": "F"}, "hot": {"score": 100, "minGrade": "F"} },
          "fit": [ {"id": "src", "points": {{{points}}}, "when": {"field": "lead.source", "equals": "webinar"}} ] }
        """;

    private static Microsoft.Extensions.Hosting.IHost Host(FakeTimeProvider time, IModelRegistry registry, IChallengerLedger ledger, TimeSpan interval) =>
        TestHost.Build(time, services =>
        {
            services.AddSingleton(registry);
            services.AddSingleton(ledger);
            services.AddAlignment()
                .AddScoringFromRegistry(_ => "eu")
                .AddAlignmentWorker(o =>
                {
                    o.Workers = AlignmentWorkers.ModelRefresh | AlignmentWorkers.ChallengerFlush;
                    o.ChallengerFlushInterval = interval;
                    o.ModelTenants.Add("eu");
                });
        });

    private static int Recorded(IChallengerLedger ledger) => ledger.ReadAsync("eu").AsTask().GetAwaiter().GetResult()?.Leads.Length ?? 0;

    [Fact]
    public async Task Buffered_pairs_reach_the_ledger_every_interval_and_at_shutdown()
    {
        var time = new FakeTimeProvider(Now);
        var registry = new InMemoryModelRegistry(time);
        var champion = await registry.PublishAsync(ScoringModelRelease.Load(ModelJson("1.0.0", 10)).ToModelRelease("eu"));
        await registry.ApproveAsync(champion.Key, new ModelApproval("mia", ApprovalSide.Marketing, Now, champion.ContentHash));
        await registry.ApproveAsync(champion.Key, new ModelApproval("sam", ApprovalSide.Sales, Now, champion.ContentHash));
        await registry.ActivateAsync(champion.Key, "ops", "launch");
        var candidate = await registry.PublishAsync(ScoringModelRelease.Load(ModelJson("2.0.0", 60)).ToModelRelease("eu"));
        var ledger = new InMemoryChallengerLedger();
        using var host = Host(time, registry, ledger, TimeSpan.FromSeconds(5));
        await host.StartAsync();
        var models = host.Services.GetRequiredService<ActiveScoringModels>();
        Assert.Same(ledger, models.ChallengerLedger);
        Assert.Empty(await models.AttachChallengerAsync(candidate.Key, "mia"));

        var scorer = host.Services.GetRequiredService<ILeadScorer>();
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(10m, scorer.Score(new Lead(new LeadId($"l{i}")) { Source = "webinar" }, [], Now).Total);
        }

        await TestHost.AdvanceUntilAsync(time, TimeSpan.FromSeconds(5), () => Recorded(ledger) == 10, 10, "10 leads in the ledger");
        scorer.Score(new Lead(new LeadId("last")) { Source = "webinar" }, [], Now);
        await host.StopAsync();
        Assert.Equal(11, Recorded(ledger));
        Assert.Equal(11, (await models.GetChallengerComparisonAsync("eu"))!.NewlyMql.Count);
    }

    [Fact]
    public async Task An_interval_out_of_range_stops_the_start_naming_the_option()
    {
        var time = new FakeTimeProvider(Now);
        using var host = Host(time, new InMemoryModelRegistry(time), new InMemoryChallengerLedger(), TimeSpan.Zero);
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(ex.Failures, f => f.StartsWith("AlignmentWorkerOptions.ChallengerFlushInterval:", StringComparison.Ordinal));
    }
}
