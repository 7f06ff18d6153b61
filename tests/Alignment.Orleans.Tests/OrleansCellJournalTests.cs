using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Orleans.Grains;
using Alignment.Policies.Handoff;
using Orleans;
using Orleans.Runtime;

namespace Alignment.Orleans.Tests;

/// <summary>
/// A routing cell saves what each change changed (a delta in a ring beside its state) and, every 64th save, its whole state: a
/// save between snapshots writes what it changes, not what the cell holds; an activation rebuilt from the snapshot and the ring
/// holds exactly what the lost one held; and a failed write, made or not, loses no decision and decides none twice.
/// </summary>
[Collection(OrleansClusterDefinition.Name)]
public sealed class OrleansCellJournalTests(ClusterFixture cluster)
{
    private const int Slots = GrainJournal<CellState, CellDelta>.Slots;

    [Fact]
    public async Task ACellWithManyOpenHandoffs_SavesEachDecisionAsASmallDelta()
    {
        string tenant = "journal-size-" + Guid.NewGuid().ToString("N");
        var policy = RoutingScenario.Territories(pools: 1, repsPerPool: 5, cap: 1_000);
        using var router = Router(policy, new OrleansRoutingStateStore(cluster.Cluster.GrainFactory, tenant));
        for (int i = 0; i < 400; i++)
        {
            await router.RouteAsync(RoutingScenario.Request($"lead-{i}", "C0"));
        }

        var rows = SharedGrainStorage.RowsOf(tenant);
        int snapshot = rows.Single(r => r.State == "cell").Bytes;
        var deltas = rows.Where(r => r.State.StartsWith(RoutingCellGrain.JournalPrefix, StringComparison.Ordinal)).ToArray();

        // 400 saves: every slot of the ring was written but one (each 64th save is a snapshot, so the ring holds 63 deltas),
        // and the snapshot holds the open handoffs.
        Assert.Equal(Slots - 1, deltas.Length);
        Assert.True(snapshot > 300 * 30, $"the snapshot has {snapshot} bytes for about 380 open handoffs");
        int largest = deltas.Max(d => d.Bytes);
        Assert.True(largest * 20 < snapshot, $"a delta has {largest} bytes, against {snapshot} for the whole state: a save writes more than what it changed");
    }

    [Fact]
    public async Task ACellActivatedAgain_FromItsSnapshotAndDeltas_HoldsExactlyWhatItHeld()
    {
        string tenant = "journal-replay-" + Guid.NewGuid().ToString("N");
        var policy = RoutingScenario.Territories(pools: 2, repsPerPool: 3, cap: 25);
        var store = new OrleansRoutingStateStore(cluster.Cluster.GrainFactory, tenant, recordDecisions: true);
        var sink = new InMemoryDecisionSink();
        using var router = Router(policy, store);

        // Recorded decisions published (acknowledged, dropped from the outboxes) for the first leads, then left in the outboxes;
        // some handoffs accepted and some rejected (their holders removed, capacity freed), the rest queued once the caps are
        // reached (3 reps x 25 per cell, 150 leads per cell, of which about 50 accepted or rejected).
        var subscription = await store.SubscribeAsync(router: null, sink);
        for (int i = 0; i < 300; i++)
        {
            if (i == 150)
            {
                await WaitUntilAsync(() => sink.Decisions.Length >= 150, "the first decisions were not published");
                await subscription.DisposeAsync();
            }

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

        var cells = Cells(policy, tenant);
        for (int c = 0; c < cells.Length; c++)
        {
            if ((await cells[c].DescribeAsync()) is { } now && now.Sequence == now.SnapshotSequence)
            {
                // Its last save happened to be a snapshot (how many saves the acknowledgements took varies): one more, a delta to replay.
                await router.RouteAsync(RoutingScenario.Request($"lead-{300 + c}", $"C{c}"));
            }
        }

        var before = await Task.WhenAll(cells.Select(c => c.DescribeAsync()));
        Assert.All(before, b => Assert.Contains("open 25", b.State, StringComparison.Ordinal));
        Assert.All(before, b => Assert.Matches("outbox [0-9]+: [0-9]", b.State));
        int reads = SharedGrainStorage.ReadsOf(tenant);

        await cluster.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var after = await Task.WhenAll(cells.Select(c => c.DescribeAsync()));

        // Each cell was activated again, replayed the deltas saved after its last snapshot, and holds the same state: every
        // counter and version, rotation, holder, applied commit and outboxed decision.
        Assert.True(SharedGrainStorage.ReadsOf(tenant) >= reads + cells.Length * (Slots + 1), "the cells were not activated again");
        for (int c = 0; c < cells.Length; c++)
        {
            Assert.True(before[c].Sequence > before[c].SnapshotSequence, $"cell {c}: nothing was saved after its last snapshot, so nothing is replayed");
            Assert.Equal(before[c].Sequence - before[c].SnapshotSequence, after[c].Replayed);
            Assert.Equal(before[c].Sequence, after[c].Sequence);
            AssertSameState(before[c], after[c]);
        }

        // And they go on from there: versions and counters continue, caps hold, counters equal the open handoffs.
        for (int i = 300; i < 400; i++)
        {
            await router.RouteAsync(RoutingScenario.Request($"lead-{i}", $"C{i % 2}"));
        }

        await AssertCountersMatchHandoffsAsync(policy, store, leads: 400, cap: 25);
    }

    [Theory]
    [InlineData("cell-log-", false)]
    [InlineData("cell-log-", true)]
    [InlineData("cell", false)]
    [InlineData("cell", true)]
    public async Task AFailedWrite_MadeOrNot_LosesNoDecisionAndMakesNoneTwice(string slot, bool afterStoring)
    {
        string tenant = "journal-fault-" + Guid.NewGuid().ToString("N");
        var policy = RoutingScenario.Territories(pools: 1, repsPerPool: 5, cap: 1_000);
        var store = new OrleansRoutingStateStore(cluster.Cluster.GrainFactory, tenant);
        using var router = Router(policy, store);
        int failures = 0;
        var injected = new List<string>();
        for (int i = 0; i < 300; i++)
        {
            if (i % 100 == 40 || (i == 285 && slot != "cell"))
            {
                // The snapshot's write (the next 64th save's), or a delta's ("cell-log-N") two saves on, or just after the next
                // snapshot when that one comes first. The last one comes after the last snapshot of the run, so that no snapshot
                // written after it covers a gap it would leave.
                string state = "cell";
                if (slot != "cell")
                {
                    var now = await Cells(policy, tenant)[0].DescribeAsync();
                    long target = now.Sequence + 2 - now.SnapshotSequence >= Slots ? now.SnapshotSequence + Slots + 2 : now.Sequence + 2;
                    state = slot + (target % Slots);
                }

                SharedGrainStorage.FailNextWrite(tenant, state, afterStoring);
                injected.Add(state);
            }

            // A failed commit is routed again (routing is idempotent): the lead grain finishes or gives up its pending change
            // after asking the cell, whose next activation starts from what was saved.
            await Retrying.CallAsync(
                async ct => await router.RouteWithDetailsAsync(RoutingScenario.Request($"lead-{i}", "C0"), ct),
                attempts: 20,
                TimeSpan.FromSeconds(30),
                TimeSpan.FromMilliseconds(50),
                () => failures++,
                CancellationToken.None);
        }

        Assert.All(injected, state => Assert.False(SharedGrainStorage.FaultPending(tenant, state), $"the fault injected in {state} never met its write"));
        Assert.True(failures >= injected.Count, $"{failures} routing calls failed for {injected.Count} failed writes");

        var before = await Cells(policy, tenant)[0].DescribeAsync();
        await cluster.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var after = await Cells(policy, tenant)[0].DescribeAsync();
        AssertSameState(before, after);
        await AssertCountersMatchHandoffsAsync(policy, store, leads: 300, cap: 1_000);
    }

    /// <summary>
    /// The same state, but for applied commits forgotten since the last save: a lead grain's confirmation is not saved at once
    /// (<see cref="IRoutingCellGrain.ForgetAsync"/>), so one may come back after a restart, answered true only for its own commit.
    /// </summary>
    private static void AssertSameState(CellDescription before, CellDescription after)
    {
        static (string Others, HashSet<string> Applied) Split(string state)
        {
            var lines = state.Split('\n');
            return (string.Join('\n', lines.Where(l => !l.StartsWith("applied ", StringComparison.Ordinal))), [.. lines.Where(l => l.StartsWith("applied ", StringComparison.Ordinal))]);
        }

        var (restBefore, appliedBefore) = Split(before.State);
        var (restAfter, appliedAfter) = Split(after.State);
        Assert.Equal(restBefore, restAfter);
        Assert.Subset(appliedAfter, appliedBefore);
    }

    private static HandoffRouter Router(CompiledRoutingPolicy policy, OrleansRoutingStateStore store) =>
        new(policy, new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink() });

    private IRoutingCellGrain[] Cells(CompiledRoutingPolicy policy, string tenant)
    {
        var cells = policy.GetCells();
        return [.. Enumerable.Range(0, cells.Count).Select(c => cluster.Cluster.GrainFactory.GetGrain<IRoutingCellGrain>(AlignmentOrleans.Key(tenant, cells.GetKey(c))))];
    }

    /// <summary>Every lead has one handoff at epoch 1 (none lost, none decided twice); each rep's counter equals the handoffs holding its capacity, within the cap.</summary>
    private static async Task AssertCountersMatchHandoffsAsync(CompiledRoutingPolicy policy, OrleansRoutingStateStore store, int leads, int cap)
    {
        var held = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < leads; i++)
        {
            var current = await store.FindAsync(new LeadId($"lead-{i}"));
            Assert.True(current is not null, $"lead-{i} has no handoff: lost");
            Assert.Equal(1, current.Epoch);
            Assert.Empty(await store.ListHistoryAsync(current.LeadId));
            if (current.HoldsCapacity)
            {
                held[current.Rep!.Value.Value] = held.GetValueOrDefault(current.Rep!.Value.Value) + 1;
            }
        }

        foreach (var rep in policy.GetWholeFootprint().Reps)
        {
            var load = await store.GetRepLoadAsync(rep);
            Assert.InRange(load.Open, 0, cap);
            Assert.Equal(held.GetValueOrDefault(rep.Value), load.Open);
            Assert.Equal(load.Open, (await store.ListOpenAsync(rep)).Count);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, failure);
            await Task.Delay(20);
        }
    }
}
