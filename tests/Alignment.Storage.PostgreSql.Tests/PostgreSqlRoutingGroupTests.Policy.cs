using Alignment.Handoff;
using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests;

/// <summary>
/// Decisions of one policy in different pools made together (the policy's queue), and a pool another session holds holding up
/// only the decisions that need it.
/// </summary>
public sealed partial class PostgreSqlRoutingGroupTests
{
    [Fact]
    public async Task DecisionsOfDifferentPools_QueuedBehindARunningOne_AreMadeInOneTransaction_AsIfOneAtATimeInArrivalOrder()
    {
        var (store, groups) = await NewStoreAsync();
        using var router = RouterOver(store);
        var requests = Enumerable.Range(0, 12).Select(i => Request($"lead-{i:00}", i % 3 == 0 ? "DE" : i % 3 == 1 ? "GB" : "FR")).ToList();

        // The schema's lock held exclusively from another session (as a host of a release before pool locks would hold it): the
        // first decision's transaction waits for it to be shared, and the others queue behind that transaction, whatever their pool.
        Task<HandoffDecision> first;
        var queued = new List<Task<HandoffDecision>>();
        var holder = await db.DataSource.OpenConnectionAsync();
        await using (var held = new HeldLock(holder))
        {
            await using (var hold = new NpgsqlCommand("SELECT pg_advisory_lock($1)", holder))
            {
                hold.Parameters.AddWithValue(store.LockKey);
                await hold.ExecuteNonQueryAsync();
            }

            first = router.RouteAsync(requests[0]).AsTask();
            await WaitForLockWaitersAsync([store.LockKey], 1);
            queued.AddRange(requests.Skip(1).Select(r => router.RouteAsync(r).AsTask()));
            Assert.DoesNotContain(queued, t => t.IsCompleted);
        }

        var made = new List<HandoffDecision> { await first };
        made.AddRange(await Task.WhenAll(queued));

        Assert.Equal([11], groups.ToArray()); // the first alone, the 11 queued behind it (GB, DE and FR leads) in one transaction
        Assert.Equal(await OneAtATimeAsync(requests), made);
        foreach (string rep in new[] { "a0", "a1", "a2", "d0", "d1" })
        {
            Assert.Equal(made.OfType<HandoffDecision.Assigned>().Count(d => d.Rep.Value == rep), (await store.GetRepLoadAsync(new RepId(rep))).Open);
        }
    }

    [Fact]
    public async Task APoolAnotherSessionHolds_HoldsUpOnlyTheDecisionsOfThatPool()
    {
        var (store, _) = await NewStoreAsync();
        using var router = RouterOver(store);

        var gb = new List<Task<HandoffDecision>>();
        var others = new List<Task<HandoffDecision>>();
        await using (await HoldPoolAsync(store, "groups/gb"))
        {
            for (int i = 0; i < 4; i++)
            {
                gb.Add(router.RouteAsync(Request($"gb-{i}")).AsTask());
                others.Add(router.RouteAsync(Request($"de-{i}", "DE")).AsTask());
                others.Add(router.RouteAsync(Request($"fr-{i}", "FR")).AsTask());
            }

            // Decided while the GB pool is held, though they arrived among GB leads and were queued with them.
            var decided = await Task.WhenAll(others).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(["d0", "d0", "d0", "d0", "d1", "d1", "d1", "d1"], decided.Cast<HandoffDecision.Assigned>().Select(d => d.Rep.Value).Order(StringComparer.Ordinal));
            Assert.DoesNotContain(gb, t => t.IsCompleted);
        }

        var made = await Task.WhenAll(gb).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(["a0", "a1", "a2", "a0"], made.Cast<HandoffDecision.Assigned>().Select(d => d.Rep.Value)); // in arrival order
    }

    /// <summary>Waits until <paramref name="count"/> sessions wait for one of some one-key advisory locks.</summary>
    private async Task WaitForLockWaitersAsync(long[] keys, long count)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(
            """
            SELECT count(*) FROM pg_locks l JOIN unnest($1::bigint[], $2::bigint[]) AS k(hi, lo) ON l.classid::bigint = k.hi AND l.objid::bigint = k.lo
            WHERE l.locktype = 'advisory' AND NOT l.granted AND l.objsubid = 1
            """, conn);
        cmd.Parameters.AddWithValue(keys.Select(k => (long)(uint)(k >> 32)).ToArray());
        cmd.Parameters.AddWithValue(keys.Select(k => (long)(uint)k).ToArray());
        var until = DateTime.UtcNow.AddSeconds(10);
        while ((long)(await cmd.ExecuteScalarAsync())! < count)
        {
            Assert.True(DateTime.UtcNow < until, $"fewer than {count} transactions waited for the held lock");
            await Task.Delay(20);
        }
    }
}
