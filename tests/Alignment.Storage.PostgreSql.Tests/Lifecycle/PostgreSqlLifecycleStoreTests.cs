using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Storage.PostgreSql.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests.Lifecycle;

/// <summary>
/// The PostgreSQL lifecycle store against a real server, and the same contract checks against the in-memory store, so both
/// answer every case alike.
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlLifecycleStoreTests(PostgreSqlFixture db)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(1));

    public static TheoryData<string> Stores => new() { "postgresql", "memory" };

    private async Task<ILifecycleStore> NewStoreAsync(string kind)
    {
        if (kind == "memory")
        {
            return new InMemoryLifecycleStore();
        }

        var store = new PostgreSqlLifecycleStore(db.DataSource, PostgreSqlFixture.NewSchema());
        await store.MigrateAsync();
        await store.MigrateAsync(); // idempotent
        return store;
    }

    private static LeadLifecycle ToMql(string lead) =>
        LeadLifecycle.Start(new LeadId(lead)).Transition(LifecycleStage.MarketingQualified, T0, LifecycleActor.System, "score 72 >= 60", "model@1.2.0");

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TrySave_Then_Find_RoundTripsTheWholeHistoryExactly(string kind)
    {
        var store = await NewStoreAsync(kind);
        var mql = ToMql("a");
        // Sub-microsecond ticks and a non-UTC offset must survive: the history is replayed from them.
        var sal = mql.Transition(LifecycleStage.SalesAccepted, T0.AddTicks(1_234_567), LifecycleActor.Sales, "accepted: fits ICP");

        Assert.Null(await store.FindAsync(new LeadId("a")));
        Assert.True(await store.TrySaveAsync(mql, 0));
        Assert.True(await store.TrySaveAsync(sal, 1));

        var found = (await store.FindAsync(new LeadId("a")))!;
        Assert.Equal(LifecycleStage.SalesAccepted, found.Stage);
        Assert.Equal(2, found.Version);
        Assert.Equal(sal.History.ToArray(), found.History.ToArray());
        Assert.Equal(T0.Offset, found.History[0].At.Offset);
        Assert.Equal(T0.AddTicks(1_234_567).UtcTicks, found.History[1].At.UtcTicks);
        Assert.Equal("model@1.2.0", found.History[0].ModelVersion);
        Assert.Null(found.History[1].ModelVersion);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TrySave_WithStaleVersion_ReturnsFalse_AndKeepsTheStoredLifecycle(string kind)
    {
        var store = await NewStoreAsync(kind);
        var mql = ToMql("b");
        Assert.True(await store.TrySaveAsync(mql, 0));

        // Two hosts read version 1 and both move the lead: the second one loses.
        var accepted = mql.Transition(LifecycleStage.SalesAccepted, T0.AddHours(1), LifecycleActor.Sales, "accepted");
        var recycled = mql.Transition(LifecycleStage.Recycled, T0.AddHours(1), LifecycleActor.Marketing, "not ready");
        Assert.True(await store.TrySaveAsync(accepted, 1));
        Assert.False(await store.TrySaveAsync(recycled, 1));
        Assert.False(await store.TrySaveAsync(ToMql("b"), 0)); // a writer that thinks the lead is new
        Assert.False(await store.TrySaveAsync(ToMql("never-saved"), 3));

        var found = (await store.FindAsync(new LeadId("b")))!;
        Assert.Equal(LifecycleStage.SalesAccepted, found.Stage);
        Assert.Null(await store.FindAsync(new LeadId("never-saved")));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TrySave_LifecycleWithoutTransitions_CanBeUpdatedFromVersionZero(string kind)
    {
        var store = await NewStoreAsync(kind);
        var started = LeadLifecycle.Start(new LeadId("c"));
        Assert.True(await store.TrySaveAsync(started, 0));
        var found = (await store.FindAsync(new LeadId("c")))!;
        Assert.Equal((LifecycleStage.Inquiry, 0), (found.Stage, found.Version));

        Assert.True(await store.TrySaveAsync(ToMql("c"), 0));
        Assert.Equal(LifecycleStage.MarketingQualified, (await store.FindAsync(new LeadId("c")))!.Stage);
        Assert.False(await store.TrySaveAsync(ToMql("c"), 0));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TrySave_ConcurrentWriters_ExactlyOneWinsEachVersion(string kind)
    {
        var store = await NewStoreAsync(kind);
        var id = new LeadId("d");

        // Eight hosts see a new lead at once: one adds it.
        var first = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
            await store.TrySaveAsync(LeadLifecycle.Start(id).Transition(LifecycleStage.MarketingQualified, T0, LifecycleActor.System, "host " + i), 0)));
        Assert.Single(first, saved => saved);

        // Then they race to move it on from version 1: one wins again, and its reason is what is stored.
        var read = (await store.FindAsync(id))!;
        var moves = Enumerable.Range(0, 8).Select(i => read.Transition(LifecycleStage.SalesAccepted, T0.AddMinutes(i), LifecycleActor.Sales, "rep " + i)).ToArray();
        var second = await Task.WhenAll(moves.Select(async m => await store.TrySaveAsync(m, 1)));
        Assert.Single(second, saved => saved);
        var winner = moves[Array.IndexOf(second, true)];
        Assert.Equal(winner.History.ToArray(), (await store.FindAsync(id))!.History.ToArray());
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task ListAsync_ReturnsEveryLeadOnce(string kind)
    {
        var store = await NewStoreAsync(kind);
        for (int i = 0; i < 25; i++)
        {
            var l = ToMql("lead-" + i);
            if (i % 3 == 0)
            {
                l = l.Transition(LifecycleStage.Recycled, T0.AddDays(1), LifecycleActor.Sales, "no budget");
            }

            Assert.True(await store.TrySaveAsync(l, 0));
        }

        Assert.True(await store.TrySaveAsync(LeadLifecycle.Start(new LeadId("fresh")), 0));
        var all = new List<LeadLifecycle>();
        await foreach (var l in store.ListAsync())
        {
            all.Add(l);
        }

        Assert.Equal(26, all.Select(l => l.LeadId).Distinct().Count());
        Assert.Equal(9, all.Count(l => l.Stage == LifecycleStage.Recycled));
        Assert.Equal(0, all.Single(l => l.LeadId == new LeadId("fresh")).Version);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Calls_HonourCancellation(string kind)
    {
        var store = await NewStoreAsync(kind);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.TrySaveAsync(ToMql("e"), 0, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.FindAsync(new LeadId("e"), cancelled.Token));
        Assert.Null(await store.FindAsync(new LeadId("e")));
    }

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

            // Every store's tables exist afterwards (the test would otherwise pass whenever no exception is thrown).
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
                    "campaign", "campaign_member", "handoff_assignment", "handoff_assignment_history", "handoff_pool", "handoff_rep_load",
                    "lead_lifecycle", "lead_lifecycle_transition", "nurture_enrolment", "nurture_enrolment_history", "nurture_sent_step",
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
