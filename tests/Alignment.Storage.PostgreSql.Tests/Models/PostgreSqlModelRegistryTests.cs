using Alignment.Conformance.Models;
using Alignment.Models;
using Alignment.Models.Registry;
using Alignment.Storage.PostgreSql.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Storage.PostgreSql.Tests.Models;

/// <summary>The PostgreSQL model registry against the <see cref="IModelRegistry"/> contract (tests/Alignment.Conformance), each test in a new schema.</summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlModelRegistryConformanceTests(PostgreSqlFixture db) : ModelRegistryConformance
{
    protected override async Task<IModelRegistry> CreateRegistryAsync(TimeProvider time)
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        return new PostgreSqlModelRegistry(db.DataSource, schema, timeProvider: time);
    }
}

/// <summary>
/// What only the PostgreSQL registry does: two registries on one schema (two hosts) share the record and never share a sequence,
/// and the DI registration (the upgrade of a version-4 schema is in PostgreSqlAlignmentSchemaTests).
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlModelRegistryTests(PostgreSqlFixture db)
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 4, 9, 30, 0, TimeSpan.FromHours(2));

    private static ModelRelease Release(string tenant, string version) =>
        new(new ReleaseKey(tenant, ModelKind.Scoring, "fit", version), $$"""{ "id": "fit", "version": "{{version}}" }""", new string(version[0], 64));

    private static async Task ApproveAsync(IModelRegistry registry, ModelRelease release)
    {
        await registry.ApproveAsync(release.Key, new ModelApproval("mia", ApprovalSide.Marketing, T0, release.ContentHash));
        await registry.ApproveAsync(release.Key, new ModelApproval("sam", ApprovalSide.Sales, T0, release.ContentHash));
    }

    [Fact(Timeout = 60_000)]
    public async Task Two_hosts_activating_at_once_share_one_gap_free_history_and_each_raises_only_its_own_activations()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        var hosts = new[] { new PostgreSqlModelRegistry(db.DataSource, schema), new PostgreSqlModelRegistry(db.DataSource, schema) };
        var v1 = await hosts[0].PublishAsync(Release("eu", "1.0.0"));
        var v2 = await hosts[1].PublishAsync(Release("eu", "2.0.0"));
        await ApproveAsync(hosts[1], v1);
        await ApproveAsync(hosts[0], v2);
        int[] raised = new int[2];
        hosts[0].Activated += (_, _) => Interlocked.Increment(ref raised[0]);
        hosts[1].Activated += (_, _) => Interlocked.Increment(ref raised[1]);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (int i = 0; i < 10; i++)
            {
                await hosts[t % 2].ActivateAsync((t / 2 + i) % 2 == 0 ? v1.Key : v2.Key, $"task{t}", $"round {i}");
            }
        })));

        var history = await hosts[0].GetHistoryAsync("eu", ModelKind.Scoring);
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(h => h.Sequence));
        Assert.Equal(history.Count, raised[0] + raised[1]);
        Assert.Equal(history[^1].Key, (await hosts[1].GetActiveAsync("eu", ModelKind.Scoring))!.Key);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_activation_and_a_rollback_whose_commit_reply_was_lost_are_recorded_and_raised_once()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var registry = new PostgreSqlModelRegistry(db.DataSource, schema, new PostgreSqlStoreOptions { MaxRetries = 3, RetryDelay = TimeSpan.FromMilliseconds(5) });
        await registry.MigrateAsync();
        var v1 = await registry.PublishAsync(Release("eu", "1.0.0"));
        var v2 = await registry.PublishAsync(Release("eu", "2.0.0"));
        await ApproveAsync(registry, v1);
        await ApproveAsync(registry, v2);
        await registry.ActivateAsync(v1.Key, "ops", "launch");
        var events = new List<ModelActivation>();
        registry.Activated += (_, a) => events.Add(a);

        var retries = Schema.PostgreSqlLostCommitReplyTests.LoseNextCommitReply(registry.Retry);
        var activation = await registry.ActivateAsync(v2.Key, "ops", "upgrade");
        Assert.Equal(1, retries.Value);
        retries = Schema.PostgreSqlLostCommitReplyTests.LoseNextCommitReply(registry.Retry);
        var back = await registry.RollbackAsync("eu", ModelKind.Scoring, "lee", "collapse");
        Assert.Equal(1, retries.Value);

        var history = await registry.GetHistoryAsync("eu", ModelKind.Scoring);
        Assert.Equal(["1 1.0.0 False", "2 2.0.0 False", "3 1.0.0 True"], history.Select(h => $"{h.Sequence} {h.Key.Version} {h.IsRollback}"));
        Assert.Equal([(2L, "upgrade"), (3L, "collapse")], events.Select(e => (e.Sequence, e.Reason)));
        Assert.Equal((2L, 3L), (activation.Sequence, back.Sequence));
    }

    [Fact]
    public async Task UsePostgreSqlModelRegistry_registers_it_as_the_IModelRegistry_with_the_hosts_clock()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var time = new FakeTimeProvider(T0);
        var services = new ServiceCollection();
        services.AddSingleton<IModelRegistry, InMemoryModelRegistry>();
        services.AddSingleton<TimeProvider>(time);
        services.AddAlignment().UsePostgreSqlModelRegistry(db.ConnectionString, schema);
        await using var sp = services.BuildServiceProvider();

        var registry = Assert.IsType<PostgreSqlModelRegistry>(sp.GetRequiredService<IModelRegistry>());
        Assert.Same(registry, sp.GetRequiredService<IModelRegistry>());
        await registry.MigrateAsync();
        var release = await registry.PublishAsync(Release("us", "2.0.0"));
        await ApproveAsync(registry, release);
        Assert.Equal(T0, (await registry.ActivateAsync(release.Key, "ops", "launch")).At);
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddAlignment().UsePostgreSqlModelRegistry(db.ConnectionString, "Bad-Schema"));
    }
}
