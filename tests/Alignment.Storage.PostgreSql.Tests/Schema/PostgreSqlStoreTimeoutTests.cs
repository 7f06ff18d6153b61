using System.Diagnostics;
using System.Reflection;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Policies.Nurture.Campaigns;
using Alignment.Scoring;
using Alignment.Storage.PostgreSql.Lifecycle;
using Alignment.Storage.PostgreSql.Nurture;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Alignment.Storage.PostgreSql.Tests.Schema;

/// <summary>
/// <see cref="PostgreSqlStoreOptions"/>: a transaction stalled while holding the routing lock or a lead's row makes a store call
/// fail within the configured timeout (and the store works again once it ends), the settings never outlive the store's
/// transaction on a pooled connection, options are validated, and the DI registrations share one data source.
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlStoreTimeoutTests(PostgreSqlFixture db, ITestOutputHelper output)
{
    private const int Bound = 60_000;
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Bounds a store call that would otherwise wait for the blocker forever (what happens without the timeouts).</summary>
    private static CancellationToken Guard() => new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token;

    private static CompiledRoutingPolicy Policy() =>
        RoutingPolicyCompiler.Compile(
            new RoutingPolicyDefinition
            {
                Id = "pg",
                FallbackQueue = "unassigned",
                Rules = [new RoutingRuleDefinition { Id = "rr", Strategy = RoutingStrategies.RoundRobin, Pool = new() { Teams = ["ae"] }, SlaMinutes = 15 }],
            },
            new RosterDefinition { Reps = [new RepDefinition { Id = "rep-00", Team = "ae" }, new RepDefinition { Id = "rep-01", Team = "ae" }] });

    private static HandoffRequest Request(string id)
    {
        var lead = new Lead(new LeadId(id)) { Company = new CompanyProfile { Country = "GB" } };
        var card = new ScoreCard
        {
            LeadId = lead.Id, AsOf = Start, Total = 70, Fit = 35, Engagement = 35, Grade = Grade.B, State = QualificationState.MarketingQualified,
            Categories = [], Explanation = [], ModelId = "m", ModelVersion = "1", ModelHash = "0",
        };
        return new HandoffRequest(lead, card, null);
    }

    [Fact(Timeout = Bound)]
    public async Task RouteAsync_WhileAStalledTransactionHoldsTheRoutingLock_FailsWithinTheLockTimeoutAndWorksAfterwards()
    {
        var options = new PostgreSqlStoreOptions { LockTimeout = TimeSpan.FromMilliseconds(500) };
        var store = new PostgreSqlRoutingStateStore(db.DataSource, PostgreSqlFixture.NewSchema(), options);
        await store.MigrateAsync();
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Start) });

        TimeSpan elapsed;
        await using (var blocker = await BlockAsync($"SELECT pg_advisory_xact_lock({store.LockKey})"))
        {
            var watch = Stopwatch.StartNew();
            var ex = await Assert.ThrowsAsync<PostgresException>(async () => await router.RouteAsync(Request("lead-1"), Guard()));
            elapsed = watch.Elapsed;
            Assert.Equal(PostgresErrorCodes.LockNotAvailable, ex.SqlState);
            Assert.Contains("lock timeout", ex.MessageText, StringComparison.Ordinal);
        }

        output.WriteLine($"routing call failed after {elapsed.TotalMilliseconds:F0} ms (lock timeout 500 ms)");
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(3));
        Assert.Null(await store.FindAsync(new LeadId("lead-1")));
        Assert.IsType<HandoffDecision.Assigned>(await router.RouteAsync(Request("lead-1"), Guard()));
    }

    [Fact(Timeout = Bound)]
    public async Task TrySaveAsync_WhileAStalledTransactionHoldsTheLeadsRow_FailsWithinTheLockTimeoutAndWorksAfterwards()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var store = new PostgreSqlLifecycleStore(db.DataSource, schema, new PostgreSqlStoreOptions { LockTimeout = TimeSpan.FromMilliseconds(500) });
        await store.MigrateAsync();
        var mql = LeadLifecycle.Start(new LeadId("a")).Transition(LifecycleStage.MarketingQualified, Start, LifecycleActor.System, "score");
        Assert.True(await store.TrySaveAsync(mql, 0));
        var sal = mql.Transition(LifecycleStage.SalesAccepted, Start.AddHours(1), LifecycleActor.Sales, "accepted");

        TimeSpan elapsed;
        await using (var blocker = await BlockAsync($"SELECT 1 FROM {schema}.lead_lifecycle WHERE lead_id = 'a' FOR UPDATE"))
        {
            var watch = Stopwatch.StartNew();
            var ex = await Assert.ThrowsAsync<PostgresException>(async () => await store.TrySaveAsync(sal, 1, Guard()));
            elapsed = watch.Elapsed;
            Assert.Equal(PostgresErrorCodes.LockNotAvailable, ex.SqlState);
        }

        output.WriteLine($"lifecycle save failed after {elapsed.TotalMilliseconds:F0} ms (lock timeout 500 ms)");
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(3));
        Assert.True(await store.TrySaveAsync(sal, 1, Guard()));
    }

    [Fact(Timeout = Bound)]
    public async Task TryUpdateMemberAsync_OutsideAnExplicitTransaction_IsBoundedByTheStatementTimeout()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var options = new PostgreSqlStoreOptions { StatementTimeout = TimeSpan.FromMilliseconds(500), LockTimeout = TimeSpan.FromSeconds(20) };
        var store = new PostgreSqlCampaignStore(db.DataSource, schema, options);
        await store.MigrateAsync();
        var member = new CampaignMember("w", new Lead(new LeadId("a")));
        Assert.True(await store.TryAddMemberAsync(member));

        TimeSpan elapsed;
        await using (var blocker = await BlockAsync($"SELECT 1 FROM {schema}.campaign_member WHERE lead_id = 'a' FOR UPDATE"))
        {
            var watch = Stopwatch.StartNew();
            var ex = await Assert.ThrowsAsync<PostgresException>(async () => await store.TryUpdateMemberAsync(member with { Version = 2 }, 1, null, Guard()));
            elapsed = watch.Elapsed;
            Assert.Equal(PostgresErrorCodes.QueryCanceled, ex.SqlState);
        }

        output.WriteLine($"campaign update failed after {elapsed.TotalMilliseconds:F0} ms (statement timeout 500 ms)");
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(3));
        Assert.True(await store.TryUpdateMemberAsync(member with { Version = 2 }, 1, null, Guard()));
    }

    [Fact(Timeout = Bound)]
    public async Task Timeouts_HoldInsideTheStoresTransactionAndNeverOutliveItOnAPooledConnection()
    {
        // One physical connection, not reset when returned to the pool (as hosts that tune Npgsql may configure it): what the
        // store set must have ended with its transaction.
        await using var single = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(db.ConnectionString) { MaxPoolSize = 1, NoResetOnClose = true }.ConnectionString);
        var options = new PostgreSqlStoreOptions { StatementTimeout = TimeSpan.FromSeconds(7), LockTimeout = TimeSpan.FromMilliseconds(1500) };
        var store = new PostgreSqlRoutingStateStore(single, PostgreSqlFixture.NewSchema(), options);
        await store.MigrateAsync();
        string? inside = null;
        store.BeforeCommit = async (conn, ct) => inside = await SettingsAsync(conn, ct);
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Start) });

        await router.RouteAsync(Request("lead-1"), Guard());

        Assert.Equal("7s/1500ms", inside);
        await using var pooled = await single.OpenConnectionAsync();
        Assert.Equal("0/0", await SettingsAsync(pooled, CancellationToken.None));
    }

    [Fact]
    public void Options_OutOfRange_AreRejectedNamingEachOption()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PostgreSqlLifecycleStore(db.DataSource, "alignment", new PostgreSqlStoreOptions { StatementTimeout = TimeSpan.Zero, LockTimeout = TimeSpan.FromSeconds(-1) }));
        Assert.Equal("options", ex.ParamName);
        Assert.Contains("PostgreSqlStoreOptions.StatementTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PostgreSqlStoreOptions.LockTimeout", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new PostgreSqlRoutingStateStore(db.DataSource, "alignment", new PostgreSqlStoreOptions { LockTimeout = TimeSpan.FromDays(25) }));
        Assert.Throws<ArgumentException>(() => new PostgreSqlCampaignStore(db.DataSource, "alignment", new PostgreSqlStoreOptions { LockTimeout = TimeSpan.FromTicks(1) }));
        Assert.Throws<ArgumentException>(() => new PostgreSqlNurtureStore(db.DataSource, "alignment", new PostgreSqlStoreOptions { StatementTimeout = TimeSpan.FromTicks(-1) }));

        var services = new ServiceCollection();
        services.AddAlignment().ConfigurePostgreSqlStores(o => o.LockTimeout = TimeSpan.Zero).UsePostgreSqlLifecycleStore(db.ConnectionString);
        using var provider = services.BuildServiceProvider();
        var startup = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("PostgreSqlStoreOptions.LockTimeout", startup.Message, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<PostgreSqlLifecycleStore>());
    }

    [Fact(Timeout = Bound)]
    public async Task UsePostgreSql_AllStoresShareOneDataSourceAndTheConfiguredTimeouts()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var services = new ServiceCollection();
        services.AddAlignment()
            .UsePostgreSqlRoutingState(db.ConnectionString, schema)
            .UsePostgreSqlLifecycleStore(db.ConnectionString + ";Application Name=ignored", schema)
            .UsePostgreSqlNurtureStore(db.ConnectionString, schema)
            .UsePostgreSqlCampaignStore(db.ConnectionString, schema)
            .ConfigurePostgreSqlStores(o => o.LockTimeout = TimeSpan.FromSeconds(2));
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var source = Assert.Single(provider.GetServices<NpgsqlDataSource>());
        Assert.All(
            new object[] { provider.GetRequiredService<PostgreSqlRoutingStateStore>(), provider.GetRequiredService<PostgreSqlLifecycleStore>(), provider.GetRequiredService<PostgreSqlNurtureStore>(), provider.GetRequiredService<PostgreSqlCampaignStore>() },
            store => Assert.Same(source, DataSourceOf(store)));

        var routing = provider.GetRequiredService<PostgreSqlRoutingStateStore>();
        await routing.MigrateAsync();
        string? inside = null;
        routing.BeforeCommit = async (conn, ct) => inside = await SettingsAsync(conn, ct);
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = routing, Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Start) });
        await router.RouteAsync(Request("lead-1"), Guard());
        Assert.Equal("30s/2s", inside);
    }

    [Fact]
    public async Task UsePostgreSql_DataSourceTheHostRegistered_IsTheOneTheStoresUse()
    {
        await using var hosts = NpgsqlDataSource.Create(db.ConnectionString);
        var services = new ServiceCollection();
        services.AddSingleton(hosts);
        services.AddAlignment().UsePostgreSqlRoutingState("Host=elsewhere.invalid").UsePostgreSqlNurtureStore("Host=elsewhere.invalid");
        await using var provider = services.BuildServiceProvider();

        Assert.Same(hosts, provider.GetRequiredService<NpgsqlDataSource>());
        Assert.Same(hosts, DataSourceOf(provider.GetRequiredService<PostgreSqlRoutingStateStore>()));
        Assert.Same(hosts, DataSourceOf(provider.GetRequiredService<PostgreSqlNurtureStore>()));
    }

    private static object? DataSourceOf(object store) =>
        store.GetType().GetField("_dataSource", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(store);

    private static async Task<string> SettingsAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT current_setting('statement_timeout') || '/' || current_setting('lock_timeout')", conn);
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Opens a transaction on its own connection and runs <paramref name="sql"/> in it; disposing rolls it back and frees the lock.</summary>
    private async Task<NpgsqlConnection> BlockAsync(string sql)
    {
        var conn = await db.DataSource.OpenConnectionAsync();
        var tx = await conn.BeginTransactionAsync();
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync();
        return conn;
    }
}
