using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Orleans.Grains;
using Alignment.Policies.Handoff;
using Orleans;
using Orleans.Runtime;

namespace Alignment.Orleans.Tests;

/// <summary>
/// A routing cell saves what each change changed (a delta in a ring beside its state) and, every so often, its whole state: a save
/// costs what it changes, not what the cell holds, and an activation rebuilt from the snapshot and the ring holds what the lost one held.
/// </summary>
[Collection(OrleansClusterDefinition.Name)]
public sealed class OrleansCellJournalTests(ClusterFixture cluster)
{
    [Fact]
    public async Task ACellWithManyOpenHandoffs_SavesEachDecisionAsASmallDelta()
    {
        string tenant = "journal-size-" + Guid.NewGuid().ToString("N");
        var policy = RoutingScenario.Territories(pools: 1, repsPerPool: 5, cap: 1_000);
        using var router = new HandoffRouter(policy, new HandoffRouterServices { Store = new OrleansRoutingStateStore(cluster.Cluster.GrainFactory, tenant), Decisions = new InMemoryDecisionSink() });
        for (int i = 0; i < 400; i++)
        {
            await router.RouteAsync(RoutingScenario.Request($"lead-{i}", "C0"));
        }

        var rows = SharedGrainStorage.RowsOf(tenant);
        int snapshot = rows.Single(r => r.State == "cell").Bytes;
        var deltas = rows.Where(r => r.State.StartsWith("cell-log-", StringComparison.Ordinal)).ToArray();

        // 400 saves: every slot of the ring was written (but the one whose turn is always a snapshot, every 64th save), and the
        // snapshot holds the open handoffs.
        Assert.Equal(RoutingCellGrain.JournalSlots - 1, deltas.Length);
        Assert.True(snapshot > 300 * 30, $"the snapshot has {snapshot} bytes for about 380 open handoffs");
        int largest = deltas.Max(d => d.Bytes);
        Assert.True(largest * 20 < snapshot, $"a delta has {largest} bytes, against {snapshot} for the whole state: a save writes more than what it changed");
    }

    [Fact]
    public async Task ACellActivatedAgain_FromItsSnapshotAndDeltas_HoldsWhatItHeld()
    {
        string tenant = "journal-replay-" + Guid.NewGuid().ToString("N");
        var policy = RoutingScenario.Territories(pools: 2, repsPerPool: 3, cap: 60);
        var store = new OrleansRoutingStateStore(cluster.Cluster.GrainFactory, tenant);
        using var router = new HandoffRouter(policy, new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink() });
        // 300 leads over two cells (about 150 saves each: two snapshots and a ring part full), some accepted and some rejected,
        // which removes their holders and frees their capacity, and some queued once the caps are reached.
        for (int i = 0; i < 300; i++)
        {
            var handoff = await router.RouteWithDetailsAsync(RoutingScenario.Request($"lead-{i}", $"C{i % 2}"));
            if (handoff.Rep is { } rep && i % 5 == 1)
            {
                await router.AcceptAsync(handoff.LeadId, rep);
            }
            else if (handoff.Rep is { } other && i % 7 == 3)
            {
                await router.RejectAsync(handoff.LeadId, RejectionReason.NotAFit, by: other);
            }
        }

        var before = await ReadAsync(policy, store);
        int reads = SharedGrainStorage.ReadsOf(tenant);
        await cluster.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var after = await ReadAsync(policy, store);

        // The cells were activated again (each read its snapshot and its ring) and hold the same counters and open handoffs.
        Assert.True(SharedGrainStorage.ReadsOf(tenant) >= reads + 2 * (RoutingCellGrain.JournalSlots + 1), "the cells were not activated again");
        Assert.Equal(before, after);

        // And go on from there: versions and counters continue, caps still hold, counters equal the open handoffs.
        for (int i = 300; i < 400; i++)
        {
            await router.RouteAsync(RoutingScenario.Request($"lead-{i}", $"C{i % 2}"));
        }

        int open = 0;
        foreach (var rep in policy.GetWholeFootprint().Reps)
        {
            var load = await store.GetRepLoadAsync(rep);
            Assert.InRange(load.Open, 0, 60);
            Assert.Equal(load.Open, (await store.ListOpenAsync(rep)).Count);
            open += load.Open;
        }

        int holding = 0;
        for (int i = 0; i < 400; i++)
        {
            holding += (await store.FindAsync(new LeadId($"lead-{i}")))!.HoldsCapacity ? 1 : 0;
        }

        Assert.Equal(holding, open);
        Assert.True(open > 250, $"only {open} open handoffs: the test no longer fills the cells");
    }

    private static async Task<string> ReadAsync(CompiledRoutingPolicy policy, OrleansRoutingStateStore store)
    {
        var lines = new List<string>();
        foreach (var rep in policy.GetWholeFootprint().Reps)
        {
            var load = await store.GetRepLoadAsync(rep);
            var open = (await store.ListOpenAsync(rep)).Select(h => $"{h.LeadId}@{h.Epoch}:{h.Status}").Order(StringComparer.Ordinal);
            lines.Add($"{rep}: open {load.Open}, day {load.DayKey}:{load.DayCount}, total {load.AssignedTotal}; {string.Join(' ', open)}");
        }

        var awaiting = (await store.ListAwaitingFirstTouchAsync()).Select(h => h.LeadId.Value).Order(StringComparer.Ordinal);
        lines.Add("awaiting: " + string.Join(' ', awaiting));
        return string.Join('\n', lines);
    }
}
