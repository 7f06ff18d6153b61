using System.Collections.Concurrent;
using System.Diagnostics;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Alignment.Orleans.Tests;

/// <summary>The clock of the SLA tests' silos and routers: real time plus an offset the test moves forward.</summary>
internal sealed class JumpClock : TimeProvider
{
    public static readonly JumpClock Instance = new();

    private long _offsetTicks;

    public void Jump(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
}

/// <summary>Silos with grain state and reminders in the Redis server named by <c>AlignmentRedis</c>, reminders every 5 s, on <see cref="JumpClock"/>.</summary>
internal sealed class SlaSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        var redis = ConfigurationOptions.Parse(siloBuilder.Configuration["AlignmentRedis"] ?? throw new InvalidOperationException("AlignmentRedis is not set."));
        siloBuilder
            .AddAlignmentOrleans(o =>
            {
                o.SlaReminderPeriod = TimeSpan.FromSeconds(5);
                o.SlaRetryInterval = TimeSpan.FromSeconds(3);
                o.Clock = JumpClock.Instance;
            })
            .AddRedisGrainStorage(AlignmentOrleans.StorageName, o => o.ConfigurationOptions = redis)
            .UseRedisReminderService(o => o.ConfigurationOptions = redis)
            .Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(5));
    }
}

/// <summary>
/// Service-level clocks on Orleans: each cell keeps its handoffs' due times with a grain timer and an Orleans reminder, and hands
/// the overdue leads to the routers subscribed to the tenant. Silos are lost; every breach is still handled exactly once, on a
/// surviving silo.
/// </summary>
public sealed class OrleansSlaTimerTests(ITestOutputHelper output)
{
    /// <summary>
    /// 10 territories of 5 reps, a ten-minute SLA (long enough that no clock runs out in real time while a loaded machine routes)
    /// and no reassignment unless asked: a breach escalates the handoff, once.
    /// </summary>
    private static CompiledRoutingPolicy Policy(int maxReassignments = 0)
    {
        var rules = Enumerable.Range(0, 10).Select(p =>
            $"{{ \"id\": \"t{p}\", \"match\": {{ \"company.country\": [\"C{p}\"] }}, \"strategy\": \"roundRobin\", \"pool\": {{ \"reps\": [{string.Join(", ", Enumerable.Range(0, 5).Select(r => $"\"p{p}-r{r}\""))}] }}, \"queue\": \"q{p}\", \"slaMinutes\": 10, \"escalation\": {{ \"maxReassignments\": {maxReassignments} }} }}");
        var reps = Enumerable.Range(0, 10).SelectMany(p => Enumerable.Range(0, 5).Select(r => $"{{ \"id\": \"p{p}-r{r}\", \"team\": \"ae\" }}"));
        return CompiledRoutingPolicy.Load(
            $"{{ \"id\": \"sla-territories\", \"fallbackQueue\": \"unassigned\", \"rules\": [ {string.Join(", ", rules)} ] }}",
            $"{{ \"reps\": [ {string.Join(", ", reps)} ] }}");
    }

    [Fact]
    public async Task TwoSilosLost_EveryOverdueHandoffIsBreachedExactlyOnce_OnTheSurvivor_AndNoTouchedOne()
    {
        await using var redis = await PrivateRedis.CreateAsync(fsyncEveryWrite: true);
        await using var cluster = await DeployAsync(redis);

        const int leads = 3_000;
        var policy = Policy();
        var clock = JumpClock.Instance;
        string tenant = "sla-" + Guid.NewGuid().ToString("N");
        var stores = Enumerable.Range(0, 8).Select(_ => new OrleansRoutingStateStore(cluster.GrainFactory, tenant)).ToArray();
        var sinks = stores.Select(_ => new InMemoryDecisionSink()).ToArray();
        var routers = stores.Select((s, i) => new HandoffRouter(policy, new HandoffRouterServices { Store = s, Decisions = sinks[i], TimeProvider = clock })).ToArray();
        var subscriptions = new List<IAsyncDisposable>();
        foreach (var (store, router) in stores.Zip(routers))
        {
            subscriptions.Add(await store.SubscribeAsync(router, decisions: null, TimeSpan.FromSeconds(1)));
        }

        // Every tenth lead is touched at once: its clock stops, and it must never be breached.
        var touched = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        int done = 0;
        int retried = 0;
        var third = new TaskCompletionSource();
        var watch = Stopwatch.StartNew();
        var work = Parallel.ForEachAsync(Enumerable.Range(0, leads), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (lead, ct) =>
        {
            var router = routers[lead % routers.Length];
            await Retrying.CallAsync(
                async c =>
                {
                    var handoff = await router.RouteWithDetailsAsync(RoutingScenario.Request($"lead-{lead}", $"C{lead % 10}"), c);
                    if (lead % 10 == 0)
                    {
                        await router.RecordFirstTouchAsync(handoff.LeadId, handoff.Rep, c);
                        touched.TryAdd(handoff.LeadId.Value, 0);
                    }

                    return handoff;
                },
                attempts: 20,
                timeout: TimeSpan.FromSeconds(20),
                pause: TimeSpan.FromMilliseconds(100),
                () => Interlocked.Increment(ref retried),
                ct);

            if (Interlocked.Increment(ref done) == leads / 3)
            {
                third.TrySetResult();
            }
        });

        // One silo lost in the middle of the leads, another once they are all routed and before any clock runs out: the cells
        // that lived on it are called by nothing but their reminders.
        await third.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await cluster.KillSiloAsync(cluster.SecondarySilos[0]);
        await work.WaitAsync(TimeSpan.FromMinutes(4));
        output.WriteLine($"{leads} leads routed in {watch.Elapsed.TotalSeconds:F1} s, {retried} calls retried");
        await cluster.KillSiloAsync(cluster.SecondarySilos[^1]);
        Assert.Empty(Breaches(sinks));

        // Every clock runs out at once: the grain timers set for ten minutes from now are not what finds them.
        clock.Jump(TimeSpan.FromMinutes(11));
        var jumped = Stopwatch.StartNew();
        int expected = leads - touched.Count;
        while (Breaches(sinks).Count < expected && jumped.Elapsed < TimeSpan.FromSeconds(45))
        {
            await Task.Delay(250);
        }

        output.WriteLine($"{Breaches(sinks).Count} of {expected} breaches handled {jumped.Elapsed.TotalSeconds:F1} s after the clocks ran out");

        // Long enough for any repeat: two retry intervals and a reminder period.
        await Task.Delay(TimeSpan.FromSeconds(8));
        var breaches = Breaches(sinks);
        var byLead = breaches.GroupBy(b => b.Lead.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var check = stores[0];
        for (int i = 0; i < leads; i++)
        {
            string id = $"lead-{i}";
            var current = await check.FindAsync(new LeadId(id));
            Assert.True(current is not null, $"{id} has no handoff: lost");
            Assert.Equal(1, current.Epoch);
            if (touched.ContainsKey(id))
            {
                Assert.False(byLead.ContainsKey(id), $"{id} was touched before its due time and was breached");
                Assert.Equal(HandoffStatus.Touched, current.Status);
            }
            else
            {
                Assert.True(byLead.TryGetValue(id, out int count), $"{id} is overdue and was never breached");
                Assert.True(count == 1, $"{id} was breached {count} times");
                Assert.True(current.Escalated, $"{id} was breached and is not marked escalated");
            }
        }

        Assert.DoesNotContain(await check.ListAwaitingFirstTouchAsync(), a => !a.Escalated);
        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }

        foreach (var router in routers)
        {
            router.Dispose();
        }
    }

    [Fact]
    public async Task RecordedDecisions_AreAllPublished_FromTheCellsOfALostSilo_AfterTheRoutersThatMadeThemAreGone()
    {
        await using var redis = await PrivateRedis.CreateAsync(fsyncEveryWrite: true);
        await using var cluster = await DeployAsync(redis);

        const int leads = 1_200;
        var policy = Policy();
        var clock = JumpClock.Instance;
        string tenant = "outbox-" + Guid.NewGuid().ToString("N");
        var routed = new ConcurrentDictionary<string, HandoffAssignment>(StringComparer.Ordinal);

        // The routing hosts record their decisions and publish none themselves; nobody is subscribed while they route, and they
        // are gone (disposed, as after a crash) before anyone publishes. Every twelfth lead matches no territory: its decision
        // touches no cell and is recorded in the tenant's no-cell outbox.
        var ownSinks = new List<InMemoryDecisionSink>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 4), async (r, ct) =>
        {
            var sink = new InMemoryDecisionSink();
            lock (ownSinks)
            {
                ownSinks.Add(sink);
            }

            using var router = new HandoffRouter(policy, new HandoffRouterServices { Store = new OrleansRoutingStateStore(cluster.GrainFactory, tenant, recordDecisions: true), Decisions = sink, TimeProvider = clock });
            for (int lead = r; lead < leads; lead += 4)
            {
                string country = lead % 12 == 0 ? "ZZ" : $"C{lead % 10}";
                var handoff = await router.RouteWithDetailsAsync(RoutingScenario.Request($"lead-{lead}", country), ct);
                routed[handoff.LeadId.Value] = handoff;
            }
        });
        Assert.Empty(ownSinks.SelectMany(s => s.Decisions));
        await cluster.KillSiloAsync(cluster.SecondarySilos[0]);

        // Two publishing hosts subscribe; the cells (those of the lost silo brought back by their reminders) hand them their outboxes.
        var store = new OrleansRoutingStateStore(cluster.GrainFactory, tenant, recordDecisions: true);
        var published = new[] { new InMemoryDecisionSink(), new InMemoryDecisionSink() };
        var publishers = new List<IAsyncDisposable>();
        foreach (var sink in published)
        {
            publishers.Add(await store.SubscribeAsync(router: null, sink, TimeSpan.FromSeconds(1)));
        }

        var watch = Stopwatch.StartNew();
        while (Keys(published).Count(k => k.StartsWith("routed:", StringComparison.Ordinal)) < leads && watch.Elapsed < TimeSpan.FromSeconds(45))
        {
            await Task.Delay(250);
        }

        output.WriteLine($"{Keys(published).Count} routing decisions published {watch.Elapsed.TotalSeconds:F1} s after the publishers subscribed");
        foreach (var (lead, handoff) in routed)
        {
            var decisions = published.SelectMany(s => s.Decisions).OfType<AlignmentDecision.Routed>().Where(d => d.Decision.LeadId.Value == lead).ToArray();
            Assert.True(decisions.Length > 0, $"the routing decision of {lead} was never published");
            Assert.All(decisions, d => Assert.Equal((handoff.Decision, handoff.DecidedAt), (d.Decision, d.DecidedAt)));
            Assert.All(decisions, d => Assert.Equal(DecisionKeys.For(d, handoff.Epoch), d.IdempotencyKey));
        }

        // The clocks run out with a router subscribed to handle the breaches: each is recorded once, and published.
        var breacher = new HandoffRouter(policy, new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink(), TimeProvider = clock });
        publishers.Add(await store.SubscribeAsync(breacher, decisions: null, TimeSpan.FromSeconds(1)));
        int assigned = routed.Values.Count(h => h.Rep is not null);
        clock.Jump(TimeSpan.FromMinutes(11));
        watch.Restart();
        while (Keys(published).Count(k => k.StartsWith("sla-breached:", StringComparison.Ordinal)) < assigned && watch.Elapsed < TimeSpan.FromSeconds(45))
        {
            await Task.Delay(250);
        }

        var breaches = published.SelectMany(s => s.Decisions).OfType<AlignmentDecision.SlaBreached>().ToArray();
        output.WriteLine($"{breaches.Length} breach deliveries ({breaches.Select(b => b.IdempotencyKey).Distinct().Count()} distinct) {watch.Elapsed.TotalSeconds:F1} s after the clocks ran out");
        foreach (var handoff in routed.Values.Where(h => h.Rep is not null))
        {
            Assert.Contains($"sla-breached:{handoff.LeadId.Value}:1", Keys(published));
        }

        Assert.All(breaches, b => Assert.Equal(routed[b.Lead.Value].Rep, b.Rep));
        foreach (var publisher in publishers)
        {
            await publisher.DisposeAsync();
        }

        breacher.Dispose();
    }

    [Fact]
    public async Task A_reassignment_interrupted_after_the_breach_was_marked_is_handed_out_again_and_made()
    {
        await using var redis = await PrivateRedis.CreateAsync(fsyncEveryWrite: false);
        await using var cluster = await DeployAsync(redis);
        var policy = Policy(maxReassignments: 1);
        var clock = JumpClock.Instance;
        string tenant = "reroute-" + Guid.NewGuid().ToString("N");
        var store = new OrleansRoutingStateStore(cluster.GrainFactory, tenant);
        var sink = new InMemoryDecisionSink();
        using var router = new HandoffRouter(policy, new HandoffRouterServices { Store = store, Decisions = sink, TimeProvider = clock });
        var first = new Dictionary<string, HandoffAssignment>(StringComparer.Ordinal);
        for (int lead = 0; lead < 40; lead++)
        {
            var handoff = await router.RouteWithDetailsAsync(RoutingScenario.Request($"lead-{lead}", $"C{lead % 10}"));
            first[handoff.LeadId.Value] = handoff;
        }

        // The breach handler's every first move fails, after the breach was marked (a host that crashed in between).
        var failing = new FailFirstMoveStore(store);
        using var handler = new HandoffRouter(policy, new HandoffRouterServices { Store = failing, Decisions = sink, TimeProvider = clock });
        await using var subscription = await store.SubscribeAsync(handler, decisions: null, TimeSpan.FromSeconds(1));
        clock.Jump(TimeSpan.FromMinutes(11));
        var watch = Stopwatch.StartNew();
        async Task<int> MovedAsync()
        {
            int moved = 0;
            foreach (var lead in first.Keys)
            {
                moved += (await store.FindAsync(new LeadId(lead)))!.Epoch == 2 ? 1 : 0;
            }

            return moved;
        }

        while (await MovedAsync() < first.Count && watch.Elapsed < TimeSpan.FromSeconds(45))
        {
            await Task.Delay(500);
        }

        output.WriteLine($"{await MovedAsync()} of {first.Count} moved {watch.Elapsed.TotalSeconds:F1} s after the clocks ran out; {failing.Failed} first moves failed");
        Assert.Equal(first.Count, failing.Failed);
        foreach (var (lead, before) in first)
        {
            var now = (await store.FindAsync(new LeadId(lead)))!;
            Assert.True(now.Epoch == 2, $"{lead} was marked and never moved (epoch {now.Epoch}, escalated {now.Escalated})");
            Assert.NotEqual(before.Rep, now.Rep);
            Assert.Single(sink.Decisions.OfType<AlignmentDecision.SlaBreached>(), b => b.Lead.Value == lead);
        }
    }

    [Fact]
    public async Task An_escalated_handoff_whose_rule_no_longer_moves_it_is_handed_out_a_few_times_then_left()
    {
        await using var redis = await PrivateRedis.CreateAsync(fsyncEveryWrite: false);
        await using var cluster = await DeployAsync(redis);
        var clock = JumpClock.Instance;
        string tenant = "stuck-" + Guid.NewGuid().ToString("N");
        var store = new OrleansRoutingStateStore(cluster.GrainFactory, tenant);
        using (var router = new HandoffRouter(Policy(maxReassignments: 1), new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink(), TimeProvider = clock }))
        {
            await router.RouteWithDetailsAsync(RoutingScenario.Request("lead-0", "C0"));
        }

        // A new release no longer reassigns: the breach is marked, and nothing moves the lead.
        var counting = new CountingStore(store);
        using var handler = new HandoffRouter(Policy(maxReassignments: 0), new HandoffRouterServices { Store = counting, Decisions = new InMemoryDecisionSink(), TimeProvider = clock });
        await using var subscription = await store.SubscribeAsync(handler, decisions: null, TimeSpan.FromSeconds(1));
        clock.Jump(TimeSpan.FromMinutes(11));

        // Retries every 3 s: the first hand-out and 5 more while escalated, then none.
        await Task.Delay(TimeSpan.FromSeconds(24));
        int handedOut = counting.Finds;
        await Task.Delay(TimeSpan.FromSeconds(7));
        output.WriteLine($"handed out {handedOut} times, then {counting.Finds - handedOut} more");
        Assert.InRange(handedOut, 2, 1 + RoutingCellGrainMaxEscalatedHandOuts);
        Assert.Equal(handedOut, counting.Finds);
        Assert.True((await store.FindAsync(new LeadId("lead-0")))!.Escalated);
    }

    private const int RoutingCellGrainMaxEscalatedHandOuts = Alignment.Orleans.Grains.RoutingCellGrain.MaxEscalatedHandOuts;

    /// <summary>A store that passes every call to another, for the test stores below to change one call each.</summary>
    private class DelegatingStore(IRoutingStateStore inner) : IRoutingStateStore
    {
        public virtual ValueTask<HandoffAssignment?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default) => inner.FindAsync(leadId, cancellationToken);

        public ValueTask<HandoffAssignment> DecideAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default) =>
            inner.DecideAsync(policy, leadId, expectedEpoch, decide, cancellationToken);

        public virtual ValueTask<HandoffAssignment> DecideWithinAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, RoutingFootprint footprint, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default) =>
            inner.DecideWithinAsync(policy, leadId, expectedEpoch, footprint, decide, cancellationToken);

        public ValueTask<HandoffAssignment?> UpdateAsync(LeadId leadId, int expectedEpoch, Func<HandoffAssignment, HandoffAssignment> update, Func<HandoffAssignment, HandoffAssignment, AlignmentDecision?>? decision = null, CancellationToken cancellationToken = default) =>
            inner.UpdateAsync(leadId, expectedEpoch, update, decision, cancellationToken);

        public ValueTask<IReadOnlyList<HandoffAssignment>> ListAwaitingFirstTouchAsync(CancellationToken cancellationToken = default) => inner.ListAwaitingFirstTouchAsync(cancellationToken);

        public ValueTask<IReadOnlyList<HandoffAssignment>> ListOpenAsync(RepId rep, CancellationToken cancellationToken = default) => inner.ListOpenAsync(rep, cancellationToken);

        public ValueTask<RepLoad> GetRepLoadAsync(RepId rep, CancellationToken cancellationToken = default) => inner.GetRepLoadAsync(rep, cancellationToken);
    }

    /// <summary>A store that counts the reads of handoffs the breach handler makes (one per lead handed out).</summary>
    private sealed class CountingStore(IRoutingStateStore inner) : DelegatingStore(inner)
    {
        private int _finds;

        public int Finds => Volatile.Read(ref _finds);

        public override ValueTask<HandoffAssignment?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _finds);
            return base.FindAsync(leadId, cancellationToken);
        }
    }

    /// <summary>A store whose first reroute of each lead (a decision at an expected epoch) fails, as a host that crashes after the mark.</summary>
    private sealed class FailFirstMoveStore(IRoutingStateStore inner) : DelegatingStore(inner)
    {
        private readonly ConcurrentDictionary<string, byte> _failed = new(StringComparer.Ordinal);

        public int Failed => _failed.Count;

        public override ValueTask<HandoffAssignment> DecideWithinAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, RoutingFootprint footprint, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default) =>
            expectedEpoch is not null && _failed.TryAdd(leadId.Value, 0)
                ? throw new InvalidOperationException("the host failed between the mark and the move")
                : base.DecideWithinAsync(policy, leadId, expectedEpoch, footprint, decide, cancellationToken);
    }

    private static HashSet<string> Keys(InMemoryDecisionSink[] sinks) =>
        [.. sinks.SelectMany(s => s.Decisions).Select(d => d.IdempotencyKey ?? "(none)")];

    /// <summary>3 silos in this process, their grain state and reminders in <paramref name="redis"/>.</summary>
    internal static async Task<TestCluster> DeployAsync(PrivateRedis redis)
    {
        var builder = new TestClusterBuilder(3);
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["AlignmentRedis"] = redis.Configuration }));
        builder.AddSiloBuilderConfigurator<SlaSiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static List<AlignmentDecision.SlaBreached> Breaches(InMemoryDecisionSink[] sinks) =>
        [.. sinks.SelectMany(s => s.Decisions).OfType<AlignmentDecision.SlaBreached>()];
}
