using Alignment.Conformance.Coordination;
using Alignment.Conformance.Scoring;
using Alignment.Coordination;
using Alignment.Decisions;
using Alignment.Diagnostics;
using Alignment.Leads;
using Alignment.Scoring;
using Alignment.Storage.PostgreSql.Coordination;
using Alignment.Storage.PostgreSql.Decisions;
using Alignment.Storage.PostgreSql.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests.Coordination;

/// <summary>The PostgreSQL lease store against the <see cref="ILeaseStore"/> contract (tests/Alignment.Conformance), each test in a new schema.</summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlLeaseStoreConformanceTests(PostgreSqlFixture db) : LeaseStoreConformance
{
    protected override async Task<ILeaseStore> CreateStoreAsync()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        return new PostgreSqlLeaseStore(db.DataSource, schema);
    }
}

/// <summary>The PostgreSQL score-watch store against the <see cref="IScoreWatchStore"/> contract (tests/Alignment.Conformance), each test in a new schema.</summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlScoreWatchStoreConformanceTests(PostgreSqlFixture db) : ScoreWatchStoreConformance
{
    protected override async Task<IScoreWatchStore> CreateStoreAsync()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        return new PostgreSqlScoreWatchStore(db.DataSource, schema);
    }

    protected override async Task<(IScoreWatchStore Store, IDecisionOutbox Outbox)> CreateRecordingStoreAsync()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        return (new PostgreSqlScoreWatchStore(db.DataSource, schema, recordDecisions: true), new PostgreSqlDecisionOutbox(db.DataSource, schema));
    }
}

/// <summary>What only the PostgreSQL coordination stores do: the health probe, and leases measured by the database's clock.</summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlCoordinationTests(PostgreSqlFixture db)
{
    [Fact]
    public async Task The_health_probe_reports_the_schema_version_and_an_unreachable_server()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var probe = new PostgreSqlStoreHealthProbe(db.DataSource, schema);

        var before = await probe.ProbeAsync();
        Assert.False(before.IsHealthy);
        Assert.Contains($"at version 0, expected {PostgreSqlAlignmentSchema.ExpectedVersion}", before.Description);

        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        var after = await probe.ProbeAsync();
        Assert.True(after.IsHealthy, after.Description);
        Assert.Equal($"postgresql:{schema}", probe.Name);

        // Nothing listens on port 1: reported, not thrown, and without the connection string's password.
        await using var nowhere = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Username=u;Password=secret-pw;Timeout=2");
        var down = await new PostgreSqlStoreHealthProbe(nowhere, schema).ProbeAsync();
        Assert.False(down.IsHealthy);
        Assert.Contains("did not answer", down.Description);
        Assert.DoesNotContain("secret-pw", down.Description);
    }

    [Fact]
    public async Task A_lease_expires_by_the_database_clock_and_its_expiry_is_reported_in_utc()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        var store = new PostgreSqlLeaseStore(db.DataSource, schema);

        var grant = (await store.TryAcquireAsync("sla", "a", TimeSpan.FromMinutes(10)))!.Value;
        await using var cmd = db.DataSource.CreateCommand($"SELECT expires_at - clock_timestamp() FROM {schema}.worker_lease WHERE name = 'sla'");
        var left = (TimeSpan)(await cmd.ExecuteScalarAsync())!;

        Assert.InRange(left, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.Equal(TimeSpan.Zero, grant.ExpiresAt.Offset);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_new_term_never_starts_before_the_previous_one_ran_out()
    {
        // A holds 20 ms leases; B asks again and again as each runs out. The start of B's term (its expiry less the duration, the
        // database's clock) must not come before A's expiry, not even by a microsecond (a CI run saw the check and the new term's
        // start read the clock at two moments).
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        var store = new PostgreSqlLeaseStore(db.DataSource, schema);
        var shortLease = TimeSpan.FromMilliseconds(20);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (int round = 0; round < 150 && DateTime.UtcNow < deadline; round++)
        {
            var (first, second) = round % 2 == 0 ? ("a", "b") : ("b", "a");
            var held = await store.TryAcquireAsync("race", first, shortLease);
            if (held is null)
            {
                continue;
            }

            LeaseGrant? next;
            do
            {
                next = await store.TryAcquireAsync("race", second, shortLease);
            }
            while (next is null && DateTime.UtcNow < deadline);

            if (next is { } taken)
            {
                Assert.True(
                    taken.ExpiresAt - shortLease >= held.Value.ExpiresAt,
                    $"round {round}: {second}'s term started {(held.Value.ExpiresAt - (taken.ExpiresAt - shortLease)).TotalMicroseconds:0} µs before {first}'s ran out");
                await store.ReleaseAsync("race", second);
            }
        }
    }

    [Fact]
    public async Task UsePostgreSqlDecisionOutbox_makes_the_watch_store_record_in_its_schema()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var services = new ServiceCollection();
        services.AddAlignment().UsePostgreSqlScoreWatchStore(db.ConnectionString, schema).UsePostgreSqlDecisionOutbox(db.ConnectionString, schema);
        await using (var sp = services.BuildServiceProvider())
        {
            Assert.True(sp.GetRequiredService<IScoreWatchStore>().RecordsDecisions);
        }

        var plain = new ServiceCollection();
        plain.AddAlignment().UsePostgreSqlScoreWatchStore(db.ConnectionString, schema);
        await using var withoutOutbox = plain.BuildServiceProvider();
        Assert.False(withoutOutbox.GetRequiredService<IScoreWatchStore>().RecordsDecisions);
    }

    [Fact]
    public async Task A_watch_store_keeps_its_rows_in_wake_order_through_the_index()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        var store = new PostgreSqlScoreWatchStore(db.DataSource, schema);
        var t0 = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < 200; i++)
        {
            await store.SetAsync(new LeadId($"L{i:D3}"), QualificationState.MarketingQualified, t0.AddMinutes((i * 37) % 200));
        }

        var due = await store.GetDueAsync(t0.AddMinutes(50), 1000);
        Assert.Equal(51, due.Count);
        Assert.True(due.Zip(due.Skip(1)).All(p => p.First.WakeAt <= p.Second.WakeAt));
        Assert.Equal(t0, await store.GetNextWakeAsync());
    }
}
