using System.Collections.Immutable;
using Alignment.Activities;
using Alignment.Conformance.Nurture;
using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Nurture;
using Alignment.Scoring;
using Alignment.Segmentation;
using Alignment.Storage.PostgreSql.Nurture;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Storage.PostgreSql.Tests.Nurture;

/// <summary>
/// What only the PostgreSQL nurture store does: two scheduler instances sharing one schema, migrations and DI. The
/// <see cref="INurtureStore"/> contract itself runs in <see cref="PostgreSqlNurtureStoreConformanceTests"/>.
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlNurtureStoreTests(PostgreSqlFixture db)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private async Task<PostgreSqlNurtureStore> NewStoreAsync(string? schema = null)
    {
        var store = new PostgreSqlNurtureStore(db.DataSource, schema ?? PostgreSqlFixture.NewSchema());
        await store.MigrateAsync();
        await store.MigrateAsync();
        return store;
    }

    private static NurtureEnrolmentRecord Record(string lead, int sequence = 1, DateTimeOffset? due = null) => new()
    {
        LeadId = new LeadId(lead),
        Sequence = sequence,
        TrackId = "t",
        Reason = NurtureEntryReason.WebinarNoShow,
        Segment = new SegmentId("smb"),
        Campaign = "w1",
        EnrolledAt = T0,
        PolicyVersion = "1.0.0",
        NextDueAt = due ?? T0,
    };

    [Fact]
    public async Task TwoSchedulerInstances_RunningAtOnce_SendEveryStepExactlyOnce()
    {
        var schema = PostgreSqlFixture.NewSchema();
        await NewStoreAsync(schema);
        var time = new FakeTimeProvider(T0);
        var policy = NurturePolicy.Load("""
            { "id": "pg", "version": "1", "tracks": [ { "id": "t", "cadenceDays": 7, "onExhausted": "t",
              "steps": [ { "id": "call", "kind": "repCallTask" }, { "id": "call-2", "kind": "repCallTask" } ] } ] }
            """);
        var lifecycles = new InMemoryLifecycleStore();
        var sink = new InMemoryDecisionSink();
        var recorder = new LifecycleRecorder(lifecycles, sink, time);
        var leads = new InMemoryLeadSnapshotSource();
        var outbox = new InMemoryNurtureOutbox();
        NurtureEngine Engine(string id) => new(
            policy,
            new NurtureEngineServices
            {
                Store = new PostgreSqlNurtureStore(db.DataSource, schema), Lifecycle = recorder, Scorer = new NeverQualifies(),
                Content = new InMemoryNurtureContentLibrary(), StepHandler = outbox, Leads = leads, Decisions = sink, TimeProvider = time,
            },
            new NurtureOptions { InstanceId = id, BatchSize = 20 });
        var a = Engine("a");
        var b = Engine("b");
        for (var i = 0; i < 200; i++)
        {
            var lead = new Lead(new LeadId($"l{i:000}"));
            leads.Put(new LeadSnapshot(lead, ImmutableArray<LeadActivity>.Empty));
            await (i % 2 == 0 ? a : b).EnrolAsync(lead, NurtureEntryReason.NeverEngaged);
        }

        async Task<int> Drain(NurtureEngine engine)
        {
            var sent = 0;
            NurtureRunResult run;
            do
            {
                run = await engine.RunDueAsync();
                sent += run.StepsSent;
            }
            while (run.Claimed > 0);
            return sent;
        }

        var counts = await Task.WhenAll(Task.Run(() => Drain(a)), Task.Run(() => Drain(b)), Task.Run(() => Drain(a)));

        Assert.Equal(200, counts.Sum());
        Assert.Equal(200, outbox.Deliveries);
        Assert.Equal(200, outbox.Executions.Select(e => e.IdempotencyKey).Distinct().Count());
        Assert.Empty(await a.GetDueAsync(10));
        time.Advance(TimeSpan.FromDays(7));
        Assert.Equal(200, (await a.GetDueAsync(500)).Count);
    }

    [Fact]
    public async Task UsePostgreSqlNurtureStore_ReplacesTheInMemoryDefault_BeforeOrAfterIt()
    {
        foreach (bool defaultFirst in new[] { true, false })
        {
            string schema = PostgreSqlFixture.NewSchema();
            var services = new ServiceCollection();
            var alignment = services.AddAlignment();
            if (defaultFirst)
            {
                services.TryAddSingleton<INurtureStore, InMemoryNurtureStore>(); // what AddNurture registers
            }

            alignment.UsePostgreSqlNurtureStore(db.ConnectionString, schema);
            services.TryAddSingleton<INurtureStore, InMemoryNurtureStore>();
            await using var provider = services.BuildServiceProvider();
            var store = Assert.IsType<PostgreSqlNurtureStore>(provider.GetRequiredService<INurtureStore>());
            await store.MigrateAsync();
            Assert.True(await store.TryInsertAsync(Record("di")));
            Assert.NotNull(await store.FindLatestAsync(new LeadId("di")));
            await provider.GetRequiredService<Npgsql.NpgsqlDataSource>().DisposeAsync();
        }

        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddAlignment().UsePostgreSqlNurtureStore(" "));
    }
}

/// <summary>The PostgreSQL nurture store against the <see cref="INurtureStore"/> contract (tests/Alignment.Conformance), each test in a new schema.</summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlNurtureStoreConformanceTests(PostgreSqlFixture db) : NurtureStoreConformance
{
    protected override async Task<INurtureStore> CreateStoreAsync()
    {
        var store = new PostgreSqlNurtureStore(db.DataSource, PostgreSqlFixture.NewSchema());
        await store.MigrateAsync();
        return store;
    }
}
