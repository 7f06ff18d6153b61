using Alignment.Hosting.Workers;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Models.Registry;
using Alignment.Scoring;
using Alignment.Scoring.Governance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Hosting.Tests;

/// <summary>
/// A host scoring from the model registry (<c>AddScoringFromRegistry</c>) with the model-refresh worker: the listed tenants' models
/// are loaded before the host starts, an activation or rollback made by another process takes effect without a restart, tenants
/// keep their own models, and a release that does not load is logged once while the tenant keeps its model.
/// </summary>
public sealed class ModelRefreshWorkerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static string ModelJson(string version, int points) => $$$"""
        { "id": "std", "version": "{{{version}}}",
          "thresholds": { "mql": {"score": 50, "minGrade": "C"}, "hot": {"score": 100, "minGrade": "B"} },
          "fit": [ {"id": "src", "points": {{{points}}}, "when": {"field": "lead.source", "equals": "webinar"}} ] }
        """;

    private static async Task<ModelRelease> PublishAndActivateAsync(IModelRegistry registry, string tenant, string version, int points)
    {
        var release = await registry.PublishAsync(ScoringModelRelease.Load(ModelJson(version, points)).ToModelRelease(tenant));
        await registry.ApproveAsync(release.Key, new ModelApproval("mia", ApprovalSide.Marketing, Now, release.ContentHash));
        await registry.ApproveAsync(release.Key, new ModelApproval("sam", ApprovalSide.Sales, Now, release.ContentHash));
        await registry.ActivateAsync(release.Key, "ops", "test");
        return release;
    }

    /// <summary>The registry as another process changes it: this host is not told (no <see cref="IModelRegistry.Activated"/>).</summary>
    private sealed class OtherProcessRegistry(IModelRegistry inner) : IModelRegistry
    {
        public event EventHandler<ModelActivation>? Activated { add { } remove { } }

        public ValueTask<ModelRelease> PublishAsync(ModelRelease release, CancellationToken cancellationToken = default) => inner.PublishAsync(release, cancellationToken);

        public ValueTask<ModelRelease> ApproveAsync(ReleaseKey key, ModelApproval approval, CancellationToken cancellationToken = default) => inner.ApproveAsync(key, approval, cancellationToken);

        public ValueTask<ModelActivation> ActivateAsync(ReleaseKey key, string activatedBy, string reason, CancellationToken cancellationToken = default) => inner.ActivateAsync(key, activatedBy, reason, cancellationToken);

        public ValueTask<ModelActivation> RollbackAsync(string tenant, ModelKind kind, string rolledBackBy, string reason, CancellationToken cancellationToken = default) => inner.RollbackAsync(tenant, kind, rolledBackBy, reason, cancellationToken);

        public ValueTask<ModelActivation?> GetActiveAsync(string tenant, ModelKind kind, CancellationToken cancellationToken = default) => inner.GetActiveAsync(tenant, kind, cancellationToken);

        public ValueTask<ModelRelease?> FindAsync(ReleaseKey key, CancellationToken cancellationToken = default) => inner.FindAsync(key, cancellationToken);

        public ValueTask<IReadOnlyList<ModelActivation>> GetHistoryAsync(string tenant, ModelKind kind, CancellationToken cancellationToken = default) => inner.GetHistoryAsync(tenant, kind, cancellationToken);
    }

    private static Lead Lead(string id, string tenant) => new(new LeadId(id)) { Source = "webinar", Campaign = tenant };

    private static IHost Host(FakeTimeProvider time, IModelRegistry registry, CapturingLoggerProvider logs, params string[] tenants) =>
        TestHost.Build(time, services =>
        {
            services.AddSingleton(registry);
            services.AddAlignment()
                .AddScoringFromRegistry(lead => lead.Campaign!)
                .AddAlignmentWorker(o =>
                {
                    o.Workers = AlignmentWorkers.ModelRefresh;
                    o.ModelRefreshInterval = TimeSpan.FromSeconds(5);
                    foreach (string tenant in tenants)
                    {
                        o.ModelTenants.Add(tenant);
                    }
                });
        }, logs);

    [Fact]
    public async Task Listed_tenants_score_from_the_first_lead_and_another_process_s_activation_and_rollback_take_effect_without_a_restart()
    {
        var time = new FakeTimeProvider(Now);
        var shared = new InMemoryModelRegistry(time);
        await PublishAndActivateAsync(shared, "eu", "1.0.0", 10);
        await PublishAndActivateAsync(shared, "us", "7.0.0", 70);
        await PublishAndActivateAsync(shared, "latam", "4.0.0", 40);
        var logs = new CapturingLoggerProvider();
        using var host = Host(time, new OtherProcessRegistry(shared), logs, "eu", "us", "apac");
        await host.StartAsync();
        var scorer = host.Services.GetRequiredService<ILeadScorer>();

        // Loaded before the host started: no GetAsync needed, and each tenant its own model.
        Assert.Equal(("1.0.0", 10m), Card(scorer.Score(Lead("a", "eu"), [], Now)));
        Assert.Equal(("7.0.0", 70m), Card(scorer.Score(Lead("b", "us"), [], Now)));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("apac", StringComparison.Ordinal));

        // A tenant not listed (after a restart, nobody loaded it) is read from the registry on its first lead, and followed from then on.
        Assert.Equal(("4.0.0", 40m), Card(scorer.Score(Lead("l", "latam"), [], Now)));
        await PublishAndActivateAsync(shared, "latam", "4.1.0", 41);
        await TestHost.AdvanceUntilAsync(time, TimeSpan.FromSeconds(5), () => scorer.Score(Lead("l", "latam"), [], Now).ModelVersion == "4.1.0", 10, "latam on 4.1.0");

        // Another process activates 2.0.0 for eu: the host takes it up at its next refresh; us is untouched.
        await PublishAndActivateAsync(shared, "eu", "2.0.0", 20);
        await TestHost.AdvanceUntilAsync(time, TimeSpan.FromSeconds(5), () => scorer.Score(Lead("a", "eu"), [], Now).ModelVersion == "2.0.0", 10, "eu on 2.0.0");
        Assert.Equal(("2.0.0", 20m), Card(scorer.Score(Lead("a", "eu"), [], Now)));
        Assert.Equal(("7.0.0", 70m), Card(scorer.Score(Lead("b", "us"), [], Now)));

        // And rolls back.
        await shared.RollbackAsync("eu", ModelKind.Scoring, "ops", "MQL volume collapsed");
        await TestHost.AdvanceUntilAsync(time, TimeSpan.FromSeconds(5), () => scorer.Score(Lead("a", "eu"), [], Now).ModelVersion == "1.0.0", 10, "eu back on 1.0.0");

        // A tenant activated later is followed once listed, without a restart of the host.
        await PublishAndActivateAsync(shared, "apac", "3.0.0", 30);
        await TestHost.AdvanceUntilAsync(time, TimeSpan.FromSeconds(5), () => host.Services.GetRequiredService<ActiveScoringModels>().TryGet("apac", out _), 10, "apac loaded");
        Assert.Equal(("3.0.0", 30m), Card(scorer.Score(Lead("c", "apac"), [], Now)));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_release_that_does_not_load_is_logged_once_and_the_tenant_keeps_its_model()
    {
        var time = new FakeTimeProvider(Now);
        var shared = new InMemoryModelRegistry(time);
        await PublishAndActivateAsync(shared, "eu", "1.0.0", 10);
        var logs = new CapturingLoggerProvider();
        using var host = Host(time, new OtherProcessRegistry(shared), logs, "eu");
        await host.StartAsync();
        var scorer = host.Services.GetRequiredService<ILeadScorer>();

        // Approved, but it needs a plugin rule this host does not have: it does not compile here.
        string broken = ModelJson("2.0.0", 20).Replace("\"fit\":", "\"plugins\": [ {\"id\": \"intent\", \"rule\": \"intentData\"} ], \"fit\":", StringComparison.Ordinal);
        var release = await shared.PublishAsync(ScoringModelRelease.Load(broken).ToModelRelease("eu"));
        await shared.ApproveAsync(release.Key, new ModelApproval("mia", ApprovalSide.Marketing, Now, release.ContentHash));
        await shared.ApproveAsync(release.Key, new ModelApproval("sam", ApprovalSide.Sales, Now, release.ContentHash));
        await shared.ActivateAsync(release.Key, "ops", "broken on purpose");
        await TestHost.AdvanceUntilAsync(time, TimeSpan.FromSeconds(5), () => logs.Entries.Any(e => e.Level == LogLevel.Error), 10, "rejection logged");
        for (int i = 0; i < 4; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(20);
        }

        Assert.Equal(("1.0.0", 10m), Card(scorer.Score(Lead("a", "eu"), [], Now)));
        var error = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains("eu", error.Message, StringComparison.Ordinal);
        Assert.Contains("intentData", error.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }

    private static (string Version, decimal Total) Card(ScoreCard card) => (card.ModelVersion, card.Total);
}
