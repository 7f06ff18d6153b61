using System.Collections.Concurrent;
using System.Diagnostics;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Xunit.Abstractions;

namespace Alignment.Orleans.Tests;

/// <summary>
/// Many routers on one tenant at once, each with its own store over the cluster: caps are never exceeded, every lead gets exactly
/// one outcome (even when two routers route it at the same moment), and a rep's counter equals the open handoffs it holds.
/// </summary>
[Collection(OrleansClusterDefinition.Name)]
public sealed class OrleansRoutingConcurrencyTests(ClusterFixture cluster, ITestOutputHelper output)
{
    private const int Cap = 6;

    [Fact]
    public async Task EightRouters_CapsHold_AndEveryLeadHasOneOutcome()
    {
        var policy = RoutingScenario.Territories(pools: 10, repsPerPool: 5, cap: Cap);
        string tenant = "conc-" + Guid.NewGuid().ToString("N");
        var (routers, stores, sinks) = Routers(policy, tenant, 8);
        const int leads = 1_200;
        var outcomes = new ConcurrentDictionary<string, ConcurrentBag<string>>();
        await Parallel.ForEachAsync(Enumerable.Range(0, leads * 2), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            // Each lead is routed twice, by two different routers, at about the same time.
            int lead = i / 2;
            var router = routers[(i + (i % 2) * 3) % routers.Length];
            var handoff = await router.RouteWithDetailsAsync(RoutingScenario.Request($"lead-{lead}", $"C{lead % 10}"), ct);
            outcomes.GetOrAdd(handoff.LeadId.Value, _ => []).Add($"{handoff.Epoch}:{handoff.Rep}:{(handoff.Decision as HandoffDecision.Queued)?.Queue}");
        });

        await AssertConsistentAsync(policy, stores[0], leads, outcomes, cap: Cap);

        // Each decision is published once, by the router whose decision the store saved: two routers racing on a lead do not
        // both publish it.
        var routed = sinks.SelectMany(s => s.Decisions).OfType<AlignmentDecision.Routed>().GroupBy(r => r.Decision.LeadId.Value).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(leads, routed.Count);
        Assert.All(routed, r => Assert.True(r.Value == 1, $"{r.Key} was published {r.Value} times"));
        foreach (var router in routers)
        {
            router.Dispose();
        }
    }

    [Fact]
    public async Task ASiloLost_MidwayThrough10000Leads_NoLeadLostOrAssignedTwice()
    {
        await using var spare = await ClusterFixture.StartAsync();
        // Caps of 250: every one of the 10,000 leads is assigned, so a decision made twice would show in a counter.
        var policy = RoutingScenario.Territories(pools: 10, repsPerPool: 5, cap: 250);
        string tenant = "kill-" + Guid.NewGuid().ToString("N");
        var (routers, stores, _) = Routers(policy, tenant, 8, spare.Cluster);
        const int leads = 10_000;
        var outcomes = new ConcurrentDictionary<string, ConcurrentBag<string>>();
        int done = 0;
        int retried = 0;
        var killed = new TaskCompletionSource();
        var watch = Stopwatch.StartNew();
        var work = Parallel.ForEachAsync(Enumerable.Range(0, leads), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (lead, ct) =>
        {
            var router = routers[lead % routers.Length];
            // Retried: a call that was in flight on the lost silo (routing again is idempotent: the lead's open handoff comes back).
            var handoff = await Retrying.CallAsync(
                c => router.RouteWithDetailsAsync(RoutingScenario.Request($"lead-{lead}", $"C{lead % 10}"), c).AsTask(),
                attempts: 20,
                timeout: TimeSpan.FromSeconds(20),
                pause: TimeSpan.FromMilliseconds(100),
                () => Interlocked.Increment(ref retried),
                ct);
            outcomes.GetOrAdd(handoff.LeadId.Value, _ => []).Add($"{handoff.Epoch}:{handoff.Rep}:{(handoff.Decision as HandoffDecision.Queued)?.Queue}");

            if (Interlocked.Increment(ref done) == leads / 3)
            {
                killed.TrySetResult();
            }
        });

        await killed.Task.WaitAsync(TimeSpan.FromMinutes(2));
        var victim = spare.Cluster.SecondarySilos[0];
        await spare.Cluster.KillSiloAsync(victim);
        output.WriteLine($"killed {victim.SiloAddress} after {done} leads, {watch.Elapsed.TotalSeconds:F1} s");
        await work.WaitAsync(TimeSpan.FromMinutes(4));
        output.WriteLine($"{leads} leads in {watch.Elapsed.TotalSeconds:F1} s, {retried} calls retried");
        await AssertConsistentAsync(policy, stores[0], leads, outcomes, cap: 250);
        foreach (var router in routers)
        {
            router.Dispose();
        }
    }

    private (HandoffRouter[] Routers, OrleansRoutingStateStore[] Stores, InMemoryDecisionSink[] Sinks) Routers(CompiledRoutingPolicy policy, string tenant, int count, global::Orleans.TestingHost.TestCluster? on = null)
    {
        var grains = (on ?? cluster.Cluster).GrainFactory;
        var stores = Enumerable.Range(0, count).Select(_ => new OrleansRoutingStateStore(grains, tenant)).ToArray();
        var sinks = stores.Select(_ => new InMemoryDecisionSink()).ToArray();
        var routers = stores.Select((s, i) => new HandoffRouter(policy, new HandoffRouterServices { Store = s, Decisions = sinks[i] })).ToArray();
        return (routers, stores, sinks);
    }

    private Task AssertConsistentAsync(CompiledRoutingPolicy policy, OrleansRoutingStateStore store, int leads, ConcurrentDictionary<string, ConcurrentBag<string>> outcomes, int cap) =>
        RoutingConsistency.AssertAsync(policy, store, leads, outcomes, cap, output);
}
