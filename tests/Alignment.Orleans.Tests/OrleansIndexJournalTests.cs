using Alignment.Orleans.Grains;
using Alignment.Orleans.Nurture;
using Orleans;
using Orleans.Runtime;

namespace Alignment.Orleans.Tests;

/// <summary>
/// The list partitions (leads with a lifecycle, campaign members) and the nurture due index save what each change changed, not
/// every id they hold, and an activation rebuilt from the snapshot and the ring holds what the lost one held.
/// </summary>
[Collection(OrleansClusterDefinition.Name)]
public sealed class OrleansIndexJournalTests(ClusterFixture cluster)
{
    [Fact]
    public async Task AnIdPartition_SavesEachAddedIdAsASmallDelta_AndListsEveryIdWhenActivatedAgain()
    {
        string tenant = "index-journal-" + Guid.NewGuid().ToString("N");
        var partition = cluster.Cluster.GrainFactory.GetGrain<IIdIndexGrain>(AlignmentOrleans.Key(tenant, "lifecycles/0"));
        var ids = Enumerable.Range(0, 300).Select(i => $"lead-{i:000}").ToArray();
        foreach (string id in ids)
        {
            await partition.AddAsync(id);
        }

        await partition.AddAsync(ids[7]); // already listed: nothing saved
        var rows = SharedGrainStorage.RowsOf(tenant);
        int snapshot = rows.Single(r => r.State == "id-index").Bytes;
        var deltas = rows.Where(r => r.State.StartsWith(IdIndexGrain.JournalPrefix, StringComparison.Ordinal)).ToArray();
        Assert.Equal(GrainJournal<IdIndexState, IdIndexDelta>.Slots - 1, deltas.Length);
        Assert.True(deltas.Max(d => d.Bytes) * 20 < snapshot, $"a delta has {deltas.Max(d => d.Bytes)} bytes against {snapshot} for the partition: an add writes every id");

        int reads = SharedGrainStorage.ReadsOf(tenant);
        await cluster.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var listed = await partition.ListAsync();
        Assert.True(SharedGrainStorage.ReadsOf(tenant) > reads, "the partition was not activated again");
        Assert.Equal(ids, listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ANurtureDuePartition_SavesWhatChanged_AndHoldsItsEntriesWhenActivatedAgain()
    {
        string tenant = "due-journal-" + Guid.NewGuid().ToString("N");
        var partition = cluster.Cluster.GrainFactory.GetGrain<INurtureDueGrain>(AlignmentOrleans.Key(tenant, "nurture-due/0"));
        var t0 = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero).UtcTicks;
        for (int i = 0; i < 300; i++)
        {
            // Lowered (saved at once), then raised for a third of them (saved lazily, within 2 s, or when the partition is collected).
            await partition.LowerAsync($"lead-{i:000}", t0 + i * TimeSpan.TicksPerMinute, stamp: 1);
            if (i % 3 == 0)
            {
                await partition.SetAsync($"lead-{i:000}", t0 + (1_000 + i) * TimeSpan.TicksPerMinute, stamp: 2);
            }
        }

        // The last changes are raises with no lower after them: saved only by the timer or when the partition is collected.
        for (int i = 1; i < 300; i += 3)
        {
            await partition.SetAsync($"lead-{i:000}", t0 + (2_000 + i) * TimeSpan.TicksPerMinute, stamp: 3);
        }

        var before = await partition.DueAsync(long.MaxValue - 1, 1_000);
        Assert.Equal(300, before.Length);
        var rows = SharedGrainStorage.RowsOf(tenant);
        int snapshot = rows.Single(r => r.State == "nurture-due").Bytes;
        var deltas = rows.Where(r => r.State.StartsWith(NurtureDueGrain.JournalPrefix, StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(deltas);
        Assert.True(deltas.Max(d => d.Bytes) * 10 < snapshot, $"a delta has {deltas.Max(d => d.Bytes)} bytes against {snapshot} for the partition: a lower writes every entry");

        int reads = SharedGrainStorage.ReadsOf(tenant);
        await cluster.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var after = await partition.DueAsync(long.MaxValue - 1, 1_000);
        Assert.True(SharedGrainStorage.ReadsOf(tenant) > reads, "the partition was not activated again");
        Assert.Equal(before, after);

        // The stamps came back too: a set older than the stamp the partition holds is refused (answered with the newer stamp).
        Assert.Equal(2, await partition.SetAsync("lead-000", t0, stamp: 1));
        Assert.Equal(3, await partition.SetAsync("lead-001", t0, stamp: 2));
    }
}
