using System.Collections.Concurrent;
using System.Collections.Immutable;
using Alignment.Activities;
using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Orleans.Grains;
using Alignment.Orleans.Nurture;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Nurture;
using Alignment.Scoring;
using Alignment.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Alignment.Orleans.Tests;

/// <summary>
/// What only the Orleans nurture store does: the due index in 16 partition grains, an entry that is too early healed by its lead
/// grain, and schedulers on several hosts draining one tenant while a silo is lost. The <see cref="INurtureStore"/> contract itself
/// runs in <see cref="OrleansNurtureStoreConformanceTests"/>.
/// </summary>
[Collection(OrleansClusterDefinition.Name)]
public sealed class OrleansNurtureIndexTests(ClusterFixture cluster)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AnIndexEntryTooEarly_IsNeitherPeekedNorClaimed_AndTheLeadGrainGivesTheIndexItsRealTime()
    {
        string tenant = "ni-" + Guid.NewGuid().ToString("N");
        var store = new OrleansNurtureStore(cluster.Cluster.GrainFactory, tenant);
        Assert.True(await store.TryInsertAsync(OrleansNurtureTests.Record("late", T0.AddDays(1))));
        Assert.True(await store.TryInsertAsync(OrleansNurtureTests.Record("now", T0)));
        var index = cluster.Cluster.GrainFactory.GetGrain<INurtureDueGrain>(OrleansIndexes.NurtureDue(tenant, OrleansIndexes.PartitionOf("late")));

        // As a silo lost after the lead grain lowered its entry and before it raised it again would leave it.
        long stamp = (1L << 32) | 1; // sequence 1, version 1: the lead's state
        await index.LowerAsync("late", T0.AddMinutes(-5).UtcTicks, stamp);
        Assert.Contains(new DueEntry("late", T0.AddMinutes(-5).UtcTicks), await index.DueAsync(T0.UtcTicks, 10));

        // A set for an older state, arriving late, changes nothing: it could make the entry late.
        await index.SetAsync("late", long.MaxValue, stamp - 1);
        Assert.Contains(new DueEntry("late", T0.AddMinutes(-5).UtcTicks), await index.DueAsync(T0.UtcTicks, 10));

        // Lowers whose saves then failed: a newer state of "late" that was never saved, and a first enrolment of "ghost" (listed,
        // no enrolment). Their stamps are above anything saved; the lead grains still put the real times back when asked.
        await index.LowerAsync("late", T0.AddMinutes(-6).UtcTicks, stamp + 7);
        var ghostIndex = cluster.Cluster.GrainFactory.GetGrain<INurtureDueGrain>(OrleansIndexes.NurtureDue(tenant, OrleansIndexes.PartitionOf("ghost")));
        await ghostIndex.LowerAsync("ghost", T0.AddMinutes(-7).UtcTicks, stamp);

        Assert.Equal(["now"], (await store.PeekDueAsync(T0.AddHours(1), 10)).Select(i => i.LeadId.Value));
        Assert.Equal(["now"], (await store.ClaimDueAsync(T0.AddHours(1), 10, "w", T0.AddHours(2))).Select(r => r.LeadId.Value));
        Assert.DoesNotContain(await index.DueAsync(T0.AddHours(1).UtcTicks, 10), e => e.Lead == "late");
        Assert.DoesNotContain(await ghostIndex.DueAsync(T0.AddYears(5).UtcTicks, 100), e => e.Lead == "ghost");
        Assert.Null(await store.FindLatestAsync(new LeadId("ghost")));
        Assert.Contains(new DueEntry("late", T0.AddDays(1).UtcTicks), await index.DueAsync(T0.AddDays(1).UtcTicks, 10));
        Assert.Equal(1, (await store.FindLatestAsync(new LeadId("late")))!.Version);
        Assert.Equal(["now", "late"], (await store.ClaimDueAsync(T0.AddDays(1), 10, "w", T0.AddDays(2))).Select(r => r.LeadId.Value)); // "now" again: its lease ran out at T0 + 2 h
    }

    [Fact]
    public async Task EnrolmentsSpreadOverThePartitions_AreClaimedEarliestFirstAcrossThem_InBatchesThatNeverOvershoot()
    {
        var store = new OrleansNurtureStore(cluster.Cluster.GrainFactory, "np-" + Guid.NewGuid().ToString("N"));
        for (int i = 0; i < 100; i++)
        {
            Assert.True(await store.TryInsertAsync(OrleansNurtureTests.Record($"lead-{i:000}", T0.AddSeconds(100 - i))));
        }

        var order = new List<string>();
        for (int batch = 0; batch < 10; batch++)
        {
            var claimed = await store.ClaimDueAsync(T0.AddHours(1), 7, "w", T0.AddHours(2));
            Assert.InRange(claimed.Count, 0, 7);
            order.AddRange(claimed.Select(r => r.LeadId.Value));
        }

        var rest = await store.ClaimDueAsync(T0.AddHours(1), 100, "w", T0.AddHours(2));
        order.AddRange(rest.Select(r => r.LeadId.Value));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"lead-{99 - i:000}"), order);
        Assert.Empty(await store.ClaimDueAsync(T0.AddHours(1), 100, "w", T0.AddHours(2)));
    }
}

/// <summary>The nurture engine on several hosts over the Orleans store, on 3 silos with grain state in Redis, while a silo is lost.</summary>
public sealed class OrleansNurtureTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    internal static NurtureEnrolmentRecord Record(string lead, DateTimeOffset due) => new()
    {
        LeadId = new LeadId(lead),
        Sequence = 1,
        TrackId = "t",
        Reason = NurtureEntryReason.NeverEngaged,
        EnrolledAt = T0,
        PolicyVersion = "1.0.0",
        NextDueAt = due,
    };

    [Fact]
    public async Task ThreeHostsDraining_OneSiloLost_EveryFirstStepSentOnce_AndNoEnrolmentLost()
    {
        await using var redis = await PrivateRedis.CreateAsync(fsyncEveryWrite: true);
        await using var cluster = await OrleansSlaTimerTests.DeployAsync(redis);
        const int Leads = 600;
        string tenant = "nurture-" + Guid.NewGuid().ToString("N");
        var time = new FakeTimeProvider(T0);
        var policy = NurturePolicy.Load("""
            { "id": "orleans", "version": "1", "tracks": [ { "id": "t", "cadenceDays": 7, "onExhausted": "t",
              "steps": [ { "id": "call", "kind": "repCallTask" }, { "id": "call-2", "kind": "repCallTask" } ] } ] }
            """);
        var sink = new InMemoryDecisionSink();
        var recorder = new LifecycleRecorder(new InMemoryLifecycleStore(), sink, time);
        var leads = new InMemoryLeadSnapshotSource();
        var handler = new InMemoryNurtureOutbox();
        var options = new NurtureOptions { BatchSize = 20 };
        var grants = new ConcurrentQueue<(string Lead, int Version, bool AfterExpiry)>();
        bool afterExpiry = false;
        NurtureEngine Engine(string id) => new(
            policy,
            new NurtureEngineServices
            {
                Store = new ClaimRecordingStore(new OrleansNurtureStore(cluster.GrainFactory, tenant), r => grants.Enqueue((r.LeadId.Value, r.Version, Volatile.Read(ref afterExpiry)))),
                Lifecycle = recorder, Scorer = new NeverQualifies(),
                Content = new InMemoryNurtureContentLibrary(), StepHandler = handler, Leads = leads, Decisions = sink, TimeProvider = time,
            },
            new NurtureOptions { InstanceId = id, BatchSize = options.BatchSize });
        var hosts = new[] { Engine("host-a"), Engine("host-b"), Engine("host-c") };
        for (var i = 0; i < Leads; i++)
        {
            var lead = new Lead(new LeadId($"l{i:000}"));
            leads.Put(new LeadSnapshot(lead, ImmutableArray<LeadActivity>.Empty));
            await hosts[i % 3].EnrolAsync(lead, NurtureEntryReason.NeverEngaged);
        }

        int failedRuns = 0;
        async Task Drain(NurtureEngine engine)
        {
            // A run that fails while the silo is lost is run again; what it claimed is due again when its lease expires.
            for (int runs = 0; runs < 10_000; runs++)
            {
                try
                {
                    if ((await engine.RunDueAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30))).Claimed == 0)
                    {
                        return;
                    }
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failedRuns);
                    await Task.Delay(200);
                }
            }
        }

        var drains = hosts.Select(h => Task.Run(() => Drain(h))).ToArray();
        using (var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            while (handler.Deliveries < Leads / 3 && !stop.IsCancellationRequested)
            {
                await Task.Delay(20);
            }
        }

        int beforeKill = handler.Deliveries;
        await cluster.KillSiloAsync(cluster.SecondarySilos[0]);
        await Task.WhenAll(drains).WaitAsync(TimeSpan.FromMinutes(4));
        int afterFirstPass = handler.Executions.Select(e => e.IdempotencyKey).Distinct().Count();

        // Until the leases expire, no enrolment was granted twice: each lead's first step was claimed by one host.
        var twice = grants.Where(g => !g.AfterExpiry).GroupBy(g => g.Lead).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(twice);

        // The leases of runs that failed expire; one host picks up what they held.
        Volatile.Write(ref afterExpiry, true);
        time.Advance(options.LeaseDuration + TimeSpan.FromSeconds(1));
        await Drain(hosts[0]).WaitAsync(TimeSpan.FromMinutes(2));
        output.WriteLine($"{beforeKill} steps delivered before the silo was lost, {afterFirstPass} after the first pass, {failedRuns} runs failed and were run again; {handler.Deliveries} deliveries in all");

        var store = new OrleansNurtureStore(cluster.GrainFactory, tenant);
        Assert.True(beforeKill < Leads, "the silo was lost after the drain had finished");
        Assert.Equal(Leads, handler.Executions.Select(e => e.IdempotencyKey).Distinct().Count());
        var latest = new List<NurtureEnrolmentRecord>();
        await foreach (var r in store.ListLatestAsync())
        {
            latest.Add(r);
        }

        Assert.Equal(Leads, latest.Count);
        // A step sent after the leases expired moves the next one a week from then.
        Assert.All(latest, r => Assert.Equal((1, (string?)null, true), (r.NextStep, r.LeaseOwner, r.NextDueAt >= T0.AddDays(7) && r.NextDueAt <= time.GetUtcNow().AddDays(7))));
        foreach (var r in latest)
        {
            Assert.Single(await store.ListSentAsync(r.LeadId));
        }

        Assert.Empty(await hosts[1].GetDueAsync(10));
        time.Advance(TimeSpan.FromDays(7));
        Assert.Equal(Leads, (await hosts[2].GetDueAsync(Leads + 10)).Count);
    }

    /// <summary>A nurture store that reports every enrolment it grants in a claim, for the test to find one granted twice.</summary>
    private sealed class ClaimRecordingStore(INurtureStore inner, Action<NurtureEnrolmentRecord> granted) : INurtureStore
    {
        public ValueTask<NurtureEnrolmentRecord?> FindLatestAsync(LeadId leadId, CancellationToken cancellationToken = default) => inner.FindLatestAsync(leadId, cancellationToken);

        public ValueTask<bool> TryInsertAsync(NurtureEnrolmentRecord record, CancellationToken cancellationToken = default) => inner.TryInsertAsync(record, cancellationToken);

        public ValueTask<bool> TryUpdateAsync(NurtureEnrolmentRecord record, int expectedVersion, NurtureEnrolmentRecord? successor = null, AlignmentDecision? decision = null, CancellationToken cancellationToken = default) =>
            inner.TryUpdateAsync(record, expectedVersion, successor, decision, cancellationToken);

        public ValueTask<IReadOnlyList<NurtureDueItem>> PeekDueAsync(DateTimeOffset asOf, int maxCount, CancellationToken cancellationToken = default) => inner.PeekDueAsync(asOf, maxCount, cancellationToken);

        public async ValueTask<IReadOnlyList<NurtureEnrolmentRecord>> ClaimDueAsync(DateTimeOffset asOf, int maxCount, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
        {
            var claimed = await inner.ClaimDueAsync(asOf, maxCount, owner, leaseUntil, cancellationToken);
            foreach (var r in claimed)
            {
                granted(r);
            }

            return claimed;
        }

        public ValueTask<bool> TryRecordSentAsync(NurtureSentStep sent, CancellationToken cancellationToken = default) => inner.TryRecordSentAsync(sent, cancellationToken);

        public ValueTask<bool> WasSentAsync(string enrolmentId, int stepIndex, CancellationToken cancellationToken = default) => inner.WasSentAsync(enrolmentId, stepIndex, cancellationToken);

        public ValueTask<IReadOnlyList<NurtureSentStep>> ListSentAsync(LeadId leadId, CancellationToken cancellationToken = default) => inner.ListSentAsync(leadId, cancellationToken);

        public IAsyncEnumerable<NurtureEnrolmentRecord> ListLatestAsync(CancellationToken cancellationToken = default) => inner.ListLatestAsync(cancellationToken);
    }

    /// <summary>Every lead stays not qualified, so the engine never hands one back to sales.</summary>
    private sealed class NeverQualifies : ILeadScorer
    {
        public ScoreCard Score(Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset asOf) => new()
        {
            LeadId = lead.Id, AsOf = asOf, Total = 0, Fit = 0, Engagement = 0, Grade = Grade.D, State = QualificationState.NotQualified,
            Categories = [], Explanation = [], ModelId = "none", ModelVersion = "1", ModelHash = "0",
        };
    }
}
