using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Microsoft.Extensions.Time.Testing;
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
        var (first, queued) = await BehindTheSchemaLockAsync(store, router, requests[0], [.. requests.Skip(1)]);

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
    public async Task APoolAnotherSessionHolds_HoldsUpOnlyTheDecisionsOfThatPool_TheOthersOfTheGroupAreMade()
    {
        var (store, groups) = await NewStoreAsync();
        using var router = RouterOver(store);

        // All twelve queue behind a first transaction waiting for the schema's lock; the GB pool is held when they are taken.
        var gb = new List<Task<HandoffDecision>>();
        var others = new List<Task<HandoffDecision>>();
        var holder = await db.DataSource.OpenConnectionAsync();
        await using (await HoldPoolAsync(store, "groups/gb"))
        {
            await using (var schema = new HeldLock(holder))
            {
                await using (var hold = new NpgsqlCommand("SELECT pg_advisory_lock($1)", holder))
                {
                    hold.Parameters.AddWithValue(store.LockKey);
                    await hold.ExecuteNonQueryAsync();
                }

                gb.Add(router.RouteAsync(Request("gb-0")).AsTask());
                await WaitForLockWaitersAsync([store.LockKey], 1);
                for (int i = 0; i < 4; i++)
                {
                    others.Add(router.RouteAsync(Request($"de-{i}", "DE")).AsTask());
                    others.Add(router.RouteAsync(Request($"fr-{i}", "FR")).AsTask());
                    if (i > 0)
                    {
                        gb.Add(router.RouteAsync(Request($"gb-{i}")).AsTask());
                    }
                }
            }

            // gb-0 is left out of its transaction (its pool is held) and waits for the pool in the GB footprint's queue; the next
            // transaction sends gb-1..3 on behind it and makes the eight others together while the GB pool is still held.
            var decided = await Task.WhenAll(others).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(["d0", "d0", "d0", "d0", "d1", "d1", "d1", "d1"], decided.Cast<HandoffDecision.Assigned>().Select(d => d.Rep.Value).Order(StringComparer.Ordinal));
            Assert.DoesNotContain(gb, t => t.IsCompleted);
            Assert.Equal([8], groups.ToArray());
        }

        var made = await Task.WhenAll(gb).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(["a0", "a1", "a2", "a0"], made.Cast<HandoffDecision.Assigned>().Select(d => d.Rep.Value)); // in arrival order
        Assert.Equal([8, 3], groups.ToArray()); // gb-0 alone, then gb-1..3 together
    }

    [Fact]
    public async Task ADecisionOfAGroupThatChangesARepOutsideItsFootprint_FailsItsCaller_AsAlone_EvenWhenAnotherDecisionOfTheGroupMayChangeIt()
    {
        var (store, _) = await NewStoreAsync();
        // de-1's decision also frees a seat of a0: a0 is in the GB footprint (of gb-1, made before it in the same group, which
        // changed a0's counters too), not in de-1's.
        var straying = new Wrapping(store, (id, decide) => (current, state) =>
        {
            var made = decide(current, state);
            if (id.Value == "de-1")
            {
                state.TrySetRepLoad(new RepId("a0"), new RepLoad(3, 0, 0, 3)); // as if read, then a seat freed: a change
                state.TryRelease(new RepId("a0"));
            }

            return made;
        });
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = straying, Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Start) });

        var (first, queued) = await BehindTheSchemaLockAsync(store, router, Request("fr-0", "FR"), Request("gb-1"), Request("de-1", "DE"));
        await first;
        Task<HandoffDecision> gb = queued[0], de = queued[1];
        Assert.Equal("a0", ((HandoffDecision.Assigned)await gb).Rep.Value);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => de);
        Assert.Contains("rep a0", e.Message, StringComparison.Ordinal);
        Assert.Null(await store.FindAsync(new LeadId("de-1")));
        Assert.Equal(1, (await store.GetRepLoadAsync(new RepId("a0"))).Open);
    }

    [Fact]
    public async Task ADecisionOfAGroupThatFailsTransiently_IsMadeAgain_AsAloneWithItsRetries()
    {
        var (store, _) = await NewStoreAsync();
        int calls = 0;
        // de-1's decision meets a serialization failure the first time (a plugin's own database call, say), then succeeds.
        var flaky = new Wrapping(store, (id, decide) => (current, state) =>
            id.Value == "de-1" && Interlocked.Increment(ref calls) == 1
                ? throw new PostgresException("could not serialize access", "ERROR", "ERROR", PostgresErrorCodes.SerializationFailure)
                : decide(current, state));
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = flaky, Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Start) });

        var (first, queued) = await BehindTheSchemaLockAsync(store, router, Request("fr-0", "FR"), Request("gb-1"), Request("de-1", "DE"));
        await first;
        Task<HandoffDecision> gb = queued[0], de = queued[1];
        Assert.Equal("a0", ((HandoffDecision.Assigned)await gb).Rep.Value);
        Assert.IsType<HandoffDecision.Assigned>(await de);
        Assert.Equal(2, calls);
    }

    /// <summary>
    /// Holds the schema's lock exclusively from another session, routes <paramref name="first"/> (whose transaction then waits for
    /// the lock) and, once it waits, the others (which queue behind it, none of them answered yet), then releases the lock.
    /// </summary>
    private async Task<(Task<HandoffDecision> First, List<Task<HandoffDecision>> Queued)> BehindTheSchemaLockAsync(
        PostgreSqlRoutingStateStore store, HandoffRouter router, HandoffRequest first, params HandoffRequest[] others)
    {
        var holder = await db.DataSource.OpenConnectionAsync();
        await using var held = new HeldLock(holder);
        await using (var hold = new NpgsqlCommand("SELECT pg_advisory_lock($1)", holder))
        {
            hold.Parameters.AddWithValue(store.LockKey);
            await hold.ExecuteNonQueryAsync();
        }

        var firstCall = router.RouteAsync(first).AsTask();
        await WaitForLockWaitersAsync([store.LockKey], 1);
        var queued = others.Select(r => router.RouteAsync(r).AsTask()).ToList();
        Assert.DoesNotContain(queued, t => t.IsCompleted);
        return (firstCall, queued);
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
