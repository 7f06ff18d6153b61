using Alignment.Conformance.Lifecycle;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Storage.PostgreSql.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests.Lifecycle;

/// <summary>
/// What only the PostgreSQL lifecycle store does (history checked on read, SQL-queryable transitions, migrations, DI); the
/// <see cref="ILifecycleStore"/> contract itself runs in <see cref="PostgreSqlLifecycleStoreConformanceTests"/>.
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlLifecycleStoreTests(PostgreSqlFixture db)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(1));

    private static LeadLifecycle ToMql(string lead) =>
        LeadLifecycle.Start(new LeadId(lead)).Transition(LifecycleStage.MarketingQualified, T0, LifecycleActor.System, "score 72 >= 60", "model@1.2.0");

    [Fact]
    public async Task FindAsync_HistoryEditedIntoAnImpossibleMove_IsReportedWithTheLeadAndTransition()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var store = new PostgreSqlLifecycleStore(db.DataSource, schema);
        await store.MigrateAsync();
        var sal = ToMql("f").Transition(LifecycleStage.SalesAccepted, T0.AddHours(1), LifecycleActor.Sales, "accepted");
        Assert.True(await store.TrySaveAsync(sal, 0));

        // Someone edits the second transition to jump from MQL straight to Won, which the lifecycle does not allow.
        await using (var cmd = db.DataSource.CreateCommand($"UPDATE {schema}.lead_lifecycle_transition SET to_stage = {(int)LifecycleStage.Won} WHERE lead_id = 'f' AND seq = 1"))
        {
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.FindAsync(new LeadId("f")));
        Assert.Contains("lead f", ex.Message, StringComparison.Ordinal);
        Assert.Contains("transition 1", ex.Message, StringComparison.Ordinal);

        // A stage column that disagrees with the history is reported too.
        await using (var cmd = db.DataSource.CreateCommand($"UPDATE {schema}.lead_lifecycle_transition SET to_stage = {(int)LifecycleStage.SalesAccepted} WHERE lead_id = 'f' AND seq = 1; UPDATE {schema}.lead_lifecycle SET stage = {(int)LifecycleStage.Lost} WHERE lead_id = 'f'"))
        {
            await cmd.ExecuteNonQueryAsync();
        }

        ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.FindAsync(new LeadId("f")));
        Assert.Contains("Lost", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transitions_AreQueryableWithSql()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var store = new PostgreSqlLifecycleStore(db.DataSource, schema);
        await store.MigrateAsync();
        Assert.True(await store.TrySaveAsync(ToMql("g"), 0));
        Assert.True(await store.TrySaveAsync(ToMql("h"), 0));

        await using var cmd = db.DataSource.CreateCommand($"SELECT count(*) FROM {schema}.lead_lifecycle_transition WHERE to_stage = {(int)LifecycleStage.MarketingQualified} AND at = '2026-03-02T09:00:00Z'");
        Assert.Equal(2L, await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task MigrateAsync_EveryStoreIntoOneNewSchemaAtOnce_Succeeds()
    {
        // CREATE SCHEMA IF NOT EXISTS is not safe concurrently; the stores' migrations share one lock per schema.
        for (int round = 0; round < 5; round++)
        {
            string schema = PostgreSqlFixture.NewSchema();
            await Task.WhenAll(
                Task.Run(() => new PostgreSqlLifecycleStore(db.DataSource, schema).MigrateAsync()),
                Task.Run(() => new PostgreSqlRoutingStateStore(db.DataSource, schema).MigrateAsync()),
                Task.Run(() => new Alignment.Storage.PostgreSql.Nurture.PostgreSqlNurtureStore(db.DataSource, schema).MigrateAsync()),
                Task.Run(() => new Alignment.Storage.PostgreSql.Nurture.PostgreSqlCampaignStore(db.DataSource, schema).MigrateAsync()));

            // Every store's tables (and the schema version) exist afterwards (the test would otherwise pass whenever no exception is thrown).
            await using var cmd = db.DataSource.CreateCommand($"SELECT table_name FROM information_schema.tables WHERE table_schema = '{schema}' ORDER BY table_name");
            var tables = new List<string>();
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            Assert.Equal(
                [
                    "alignment_schema_version", "campaign", "campaign_member", "challenger_attachment", "challenger_lead", "content_deal", "content_history", "content_item", "content_suggestion", "content_usage", "decision_outbox", "handoff_assignment", "handoff_assignment_history", "handoff_pool", "handoff_rep_load",
                    "ingest_receipt", "lead_document", "lead_lifecycle", "lead_lifecycle_transition", "model_activation", "model_release", "model_release_approval", "nurture_enrolment", "nurture_enrolment_history", "nurture_sent_step",
                    "score_watch", "webhook_delivery", "webhook_subscription", "worker_lease",
                ],
                tables);
        }
    }

    [Fact]
    public void Constructor_RejectsSchemaThatIsNotAPlainIdentifier()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PostgreSqlLifecycleStore(db.DataSource, "public; drop table x"));
        Assert.Equal("schema", ex.ParamName);
        Assert.Throws<ArgumentNullException>(() => new PostgreSqlLifecycleStore(null!));
    }

    [Fact]
    public async Task UsePostgreSqlLifecycleStore_ReplacesTheInMemoryStore()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var services = new ServiceCollection();
        services.AddAlignment().UsePostgreSqlLifecycleStore(db.ConnectionString, schema);
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<ILifecycleStore>();
        Assert.IsType<PostgreSqlLifecycleStore>(store);
        await provider.GetRequiredService<PostgreSqlLifecycleStore>().MigrateAsync();
        Assert.True(await store.TrySaveAsync(ToMql("i"), 0));
        Assert.Equal(LifecycleStage.MarketingQualified, (await store.FindAsync(new LeadId("i")))!.Stage);
        await provider.GetRequiredService<NpgsqlDataSource>().DisposeAsync();

        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddAlignment().UsePostgreSqlLifecycleStore(db.ConnectionString, "Bad-Schema"));
    }
}

/// <summary>The PostgreSQL lifecycle store against the <see cref="ILifecycleStore"/> contract (tests/Alignment.Conformance), each test in a new schema.</summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlLifecycleStoreConformanceTests(PostgreSqlFixture db) : LifecycleStoreConformance
{
    protected override async Task<ILifecycleStore> CreateStoreAsync()
    {
        var store = new PostgreSqlLifecycleStore(db.DataSource, PostgreSqlFixture.NewSchema());
        await store.MigrateAsync();
        await store.MigrateAsync(); // idempotent
        return store;
    }
}
