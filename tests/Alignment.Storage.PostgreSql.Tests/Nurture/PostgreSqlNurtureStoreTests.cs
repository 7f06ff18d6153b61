using System.Collections.Immutable;
using Alignment.Activities;
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
    public async Task Enrolments_RoundTrip_OneTrackAtATime_SuccessorReplacesAtomically()
    {
        var store = await NewStoreAsync();

        Assert.True(await store.TryInsertAsync(Record("a")));
        Assert.False(await store.TryInsertAsync(Record("a", 2)));
        var current = (await store.FindLatestAsync(new LeadId("a")))!;
        Assert.Equal(Record("a") with { Version = 1 }, current);

        var ended = current with { Status = NurtureEnrolmentStatus.Ended, NextDueAt = null, EndedAt = T0.AddDays(1), StatusReason = "exhausted" };
        Assert.False(await store.TryUpdateAsync(ended, current.Version + 1, Record("a", 2, T0.AddDays(2))));
        Assert.True(await store.TryUpdateAsync(ended, current.Version, Record("a", 2, T0.AddDays(2))));

        var latest = (await store.FindLatestAsync(new LeadId("a")))!;
        Assert.Equal(("a:2", 1, T0.AddDays(2)), (latest.EnrolmentId, latest.Version, latest.NextDueAt));
        var final = latest with { Status = NurtureEnrolmentStatus.Ended, NextDueAt = null };
        Assert.True(await store.TryUpdateAsync(final, 1));
        Assert.True(await store.TryInsertAsync(Record("a", 3)));
        Assert.Equal(3, (await store.FindLatestAsync(new LeadId("a")))!.Sequence);
    }

    [Fact]
    public async Task PeekDueAsync_EarliestFirst_ExcludesLeasedAndStopped()
    {
        var store = await NewStoreAsync();
        await store.TryInsertAsync(Record("late", due: T0.AddDays(2)));
        await store.TryInsertAsync(Record("b", due: T0.AddHours(2)));
        await store.TryInsertAsync(Record("a", due: T0.AddHours(1)));
        await store.TryInsertAsync(Record("stopped", due: T0));
        var stopped = (await store.FindLatestAsync(new LeadId("stopped")))!;
        await store.TryUpdateAsync(stopped with { Status = NurtureEnrolmentStatus.ContactStopped, NextDueAt = null }, stopped.Version);

        Assert.Equal(["a", "b"], (await store.PeekDueAsync(T0.AddDays(1), 10)).Select(d => d.LeadId.Value));
        await store.ClaimDueAsync(T0.AddDays(1), 1, "x", T0.AddDays(1).AddMinutes(5));
        Assert.Equal(["b"], (await store.PeekDueAsync(T0.AddDays(1), 10)).Select(d => d.LeadId.Value));
    }

    [Fact]
    public async Task ClaimDueAsync_EightInstancesAtOnce_NeverClaimTheSameEnrolment()
    {
        var schema = PostgreSqlFixture.NewSchema();
        var store = await NewStoreAsync(schema);
        for (var i = 0; i < 300; i++)
        {
            await store.TryInsertAsync(Record($"l{i:000}", due: T0.AddSeconds(i)));
        }

        var instances = Enumerable.Range(0, 8).Select(_ => new PostgreSqlNurtureStore(db.DataSource, schema)).ToList();
        var claims = await Task.WhenAll(instances.Select((s, i) => Task.Run(async () =>
        {
            var mine = new List<NurtureEnrolmentRecord>();
            IReadOnlyList<NurtureEnrolmentRecord> batch;
            do
            {
                batch = await s.ClaimDueAsync(T0.AddHours(1), 25, $"i{i}", T0.AddHours(2));
                mine.AddRange(batch);
            }
            while (batch.Count > 0);
            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(300, all.Count);
        Assert.Equal(300, all.Select(r => r.LeadId).Distinct().Count());
        Assert.All(all, r => Assert.Equal(2, r.Version));
    }

    [Fact]
    public async Task ClaimDueAsync_LeaseExpired_IsDueAgain_StaleHolderCannotWrite()
    {
        var store = await NewStoreAsync();
        await store.TryInsertAsync(Record("a"));
        var first = Assert.Single(await store.ClaimDueAsync(T0, 10, "dead", T0.AddMinutes(5)));

        Assert.Empty(await store.ClaimDueAsync(T0.AddMinutes(4), 10, "other", T0.AddMinutes(10)));
        var second = Assert.Single(await store.ClaimDueAsync(T0.AddMinutes(5), 10, "other", T0.AddMinutes(10)));

        Assert.Equal(("other", 3), (second.LeaseOwner, second.Version));
        Assert.False(await store.TryUpdateAsync(first with { LeaseOwner = null, LeaseUntil = null, NextStep = 1 }, first.Version));
        Assert.True(await store.TryUpdateAsync(second with { LeaseOwner = null, LeaseUntil = null, NextStep = 1, NextDueAt = T0.AddDays(7) }, second.Version));
    }

    [Fact]
    public async Task TryRecordSentAsync_SameStepTwice_RecordsOnce()
    {
        var store = await NewStoreAsync();
        var sent = new NurtureSentStep("a:1", new LeadId("a"), "t", 0, "recording", NurtureStepKind.Email, "rec-1", T0, "why");

        Assert.True(await store.TryRecordSentAsync(sent));
        Assert.False(await store.TryRecordSentAsync(sent with { SentAt = T0.AddMinutes(1) }));
        Assert.True(await store.WasSentAsync("a:1", 0));
        Assert.False(await store.WasSentAsync("a:1", 1));
        Assert.Equal([sent], await store.ListSentAsync(new LeadId("a")));
    }

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
        NurtureEngine Engine(string id) => new(policy, new PostgreSqlNurtureStore(db.DataSource, schema), recorder, new NeverQualifies(), new InMemoryNurtureContentLibrary(), outbox, leads, sink, time, new NurtureOptions { InstanceId = id, BatchSize = 20 });
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

    private sealed class NeverQualifies : ILeadScorer
    {
        public ScoreCard Score(Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset asOf) => new()
        {
            LeadId = lead.Id, AsOf = asOf, Total = 0, Fit = 0, Engagement = 0, Grade = Grade.D, State = QualificationState.NotQualified,
            Categories = [], Explanation = [], ModelId = "none", ModelVersion = "1", ModelHash = "0",
        };
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
