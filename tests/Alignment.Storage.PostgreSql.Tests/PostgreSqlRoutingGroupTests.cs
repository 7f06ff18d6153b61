using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Scoring;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests;

/// <summary>
/// Routing decisions made together (<see cref="PostgreSqlStoreOptions.MaxDecisionsPerTransaction"/>): decisions for one footprint
/// that queue behind a running one are decided in one transaction, with the outcome of making them one at a time in arrival order.
/// Each test holds the GB pool's lock from another session, so the first decision waits inside its transaction while the others
/// queue behind it; releasing the lock lets the first finish alone and the queued ones go as one group.
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed partial class PostgreSqlRoutingGroupTests(PostgreSqlFixture db)
{
    private const int Cap = 5;
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    /// <summary>GB: a0-a2, round robin, capped at 5, then the GB queue. Everything else: d0 and d1, round robin, uncapped.</summary>
    private static CompiledRoutingPolicy Policy() =>
        RoutingPolicyCompiler.Compile(
            new RoutingPolicyDefinition
            {
                Id = "groups",
                FallbackQueue = "unassigned",
                Rules =
                [
                    new RoutingRuleDefinition { Id = "gb", Strategy = RoutingStrategies.RoundRobin, Match = new() { Countries = ["GB"] }, Pool = new() { Reps = ["a0", "a1", "a2"] }, Queue = "gb-queue" },
                    new RoutingRuleDefinition { Id = "rest", Strategy = RoutingStrategies.RoundRobin, Pool = new() { Reps = ["d0", "d1"] } },
                ],
            },
            new RosterDefinition
            {
                Reps =
                [
                    .. new[] { "a0", "a1", "a2" }.Select(id => new RepDefinition { Id = id, Team = "ae", MaxOpenLeads = Cap }),
                    .. new[] { "d0", "d1" }.Select(id => new RepDefinition { Id = id, Team = "ae" }),
                ],
            });

    private static HandoffRequest Request(string id, string country = "GB")
    {
        var lead = new Lead(new LeadId(id)) { Company = new CompanyProfile { Country = country } };
        var card = new ScoreCard
        {
            LeadId = lead.Id, AsOf = Start, Total = 70, Fit = 35, Engagement = 35, Grade = Grade.B, State = QualificationState.MarketingQualified,
            Categories = [], Explanation = [], ModelId = "m", ModelVersion = "1", ModelHash = "0",
        };
        return new HandoffRequest(lead, card, null);
    }

    /// <summary>
    /// A store on a new schema, with the new handoffs of each group transaction it commits; by default with a lock timeout far
    /// above the default 5 s, since the first decision waits for the held pool while the test queues others.
    /// </summary>
    private async Task<(PostgreSqlRoutingStateStore Store, ConcurrentQueue<int> Groups)> NewStoreAsync(PostgreSqlStoreOptions? options = null, bool recordDecisions = false, string? schema = null)
    {
        var store = new PostgreSqlRoutingStateStore(db.DataSource, schema ?? PostgreSqlFixture.NewSchema(), options ?? new PostgreSqlStoreOptions { LockTimeout = TimeSpan.FromMinutes(1) }, recordDecisions);
        await store.MigrateAsync();
        var groups = new ConcurrentQueue<int>();
        store.OnGroupCommitted = groups.Enqueue;
        return (store, groups);
    }

    private static HandoffRouter RouterOver(IRoutingStateStore store) =>
        new(Policy(), new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Start) });

    /// <summary>Holds a pool's lock from its own session until disposed.</summary>
    private async Task<HeldLock> HoldPoolAsync(PostgreSqlRoutingStateStore store, string poolKey)
    {
        var conn = await db.DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("SELECT pg_advisory_lock($1)", conn);
        cmd.Parameters.AddWithValue(store.PoolLockKey(poolKey));
        await cmd.ExecuteNonQueryAsync();
        return new HeldLock(conn);
    }

    /// <summary>A session-level lock, released before its connection goes back to the pool (which resets it only on next use).</summary>
    private sealed class HeldLock(NpgsqlConnection conn) : IAsyncDisposable
    {
        private bool _released;

        /// <summary>Releases every lock the session holds and returns the connection; again, does nothing.</summary>
        public async ValueTask DisposeAsync()
        {
            if (_released)
            {
                return;
            }

            _released = true;
            await using (var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", conn))
            {
                await unlock.ExecuteNonQueryAsync();
            }

            await conn.DisposeAsync();
        }
    }

    /// <summary>Waits until a session waits for the held pool's lock: the first decision's transaction is blocked on it.</summary>
    private Task WaitForAPoolWaiterAsync(PostgreSqlRoutingStateStore store) => WaitForPoolWaitersAsync(store, 1);

    /// <summary>
    /// Waits until <paramref name="count"/> sessions wait for one of the GB footprint's locks: the held pool's, or the lock of one
    /// of its reps, which a transaction waiting for the pool holds (they are taken in key order, so some may come first).
    /// </summary>
    private Task WaitForPoolWaitersAsync(PostgreSqlRoutingStateStore store, long count) =>
        WaitForLockWaitersAsync([store.PoolLockKey("groups/gb"), .. new[] { "a0", "a1", "a2" }.Select(r => store.RepLockKey(new RepId(r)))], count);

    /// <summary>The same leads routed one at a time, in the same order, through the in-memory store: the outcome to match.</summary>
    private static async Task<List<HandoffDecision>> OneAtATimeAsync(IEnumerable<HandoffRequest> requests)
    {
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = new InMemoryRoutingStateStore(), Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Start) });
        var made = new List<HandoffDecision>();
        foreach (var request in requests)
        {
            made.Add(await router.RouteAsync(request));
        }

        return made;
    }

    [Fact]
    public async Task DecisionsQueuedBehindARunningOne_AreMadeInOneTransaction_AsIfOneAtATimeInArrivalOrder()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var (store, groups) = await NewStoreAsync(recordDecisions: true, schema: schema);
        var sink = new InMemoryDecisionSink();
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = store, Decisions = sink, TimeProvider = new FakeTimeProvider(Start) });
        var requests = Enumerable.Range(0, 20).Select(i => Request($"gb-{i:00}")).ToList();

        Task<HandoffDecision> first;
        var queued = new List<Task<HandoffDecision>>();
        await using (await HoldPoolAsync(store, "groups/gb"))
        {
            first = router.RouteAsync(requests[0]).AsTask();
            await WaitForAPoolWaiterAsync(store);
            foreach (var request in requests.Skip(1))
            {
                queued.Add(router.RouteAsync(request).AsTask()); // queued in call order: the router reaches the store synchronously
            }

            Assert.DoesNotContain(queued, t => t.IsCompleted);
        }

        var made = new List<HandoffDecision> { await first };
        made.AddRange(await Task.WhenAll(queued));

        Assert.Equal([19], groups.ToArray()); // the first alone, the 19 queued behind it in one transaction
        Assert.Equal(await OneAtATimeAsync(requests), made); // 15 seats a0, a1, a2 in turn, then the GB queue
        Assert.Equal(15, made.OfType<HandoffDecision.Assigned>().Count());

        // Saved as made: one handoff per lead, the counters agree with the rows, one outbox entry per decision.
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(
            $"""
            SELECT (SELECT count(DISTINCT lead_id) FROM {schema}.handoff_assignment),
                   (SELECT string_agg(rep_id || '=' || open_count, ',' ORDER BY rep_id) FROM {schema}.handoff_rep_load),
                   (SELECT count(*) FROM {schema}.decision_outbox)
            """, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((20L, "a0=5,a1=5,a2=5", 20L), (reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)));
    }

    [Fact]
    public async Task AGroupOfARejectedAnOpenAndNewLeads_IsDecidedAsOneAtATime()
    {
        var (store, groups) = await NewStoreAsync();
        using var router = RouterOver(store);
        var inMemory = new InMemoryRoutingStateStore();
        using var reference = new HandoffRouter(Policy(), new HandoffRouterServices { Store = inMemory, Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Start) });
        foreach (var r in new[] { router, reference })
        {
            // gb-a is routed and rejected (closed: routed again at epoch 2, its rep's seat freed), gb-b is routed and stays open.
            await r.RouteAsync(Request("gb-a"));
            await r.RouteAsync(Request("gb-b"));
            await r.RejectAsync(new LeadId("gb-a"), RejectionReason.Timing, "later");
        }

        string[] order = ["gb-x", "gb-a", "gb-b", "gb-c", "gb-d"];
        var calls = new List<Task<HandoffDecision>>();
        await using (await HoldPoolAsync(store, "groups/gb"))
        {
            calls.Add(router.RouteAsync(Request(order[0])).AsTask());
            await WaitForAPoolWaiterAsync(store);
            calls.AddRange(order.Skip(1).Select(id => router.RouteAsync(Request(id)).AsTask()));
        }

        var made = await Task.WhenAll(calls);
        var expected = new List<HandoffDecision>();
        foreach (string id in order)
        {
            expected.Add(await reference.RouteAsync(Request(id)));
        }

        Assert.Equal(expected, made);
        Assert.Equal([3], groups.ToArray()); // gb-a again, gb-c and gb-d; gb-b answered with its open handoff
        Assert.Equal(2, (await store.FindAsync(new LeadId("gb-a")))!.Epoch);
        Assert.Single(await store.ListHistoryAsync(new LeadId("gb-a"))); // the rejected handoff, kept
        foreach (string rep in new[] { "a0", "a1", "a2" })
        {
            Assert.Equal(await inMemory.GetRepLoadAsync(new RepId(rep)), await store.GetRepLoadAsync(new RepId(rep)));
        }
    }

    [Fact]
    public async Task AGroupWhoseDecisionThrows_IsMadeAgainAlone_AndOnlyThatCallerFails()
    {
        var (store, groups) = await NewStoreAsync();
        var thrown = new StrongBox<int>();
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = new ThrowingFor(store, "gb-05", thrown), Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Start) });
        var requests = Enumerable.Range(0, 10).Select(i => Request($"gb-{i:00}")).ToList();

        var calls = new List<Task<HandoffDecision>>();
        await using (await HoldPoolAsync(store, "groups/gb"))
        {
            calls.Add(router.RouteAsync(requests[0]).AsTask());
            await WaitForAPoolWaiterAsync(store);
            calls.AddRange(requests.Skip(1).Select(r => router.RouteAsync(r).AsTask()));
        }

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => calls[5]);
        Assert.Equal("decide failed for gb-05", failed.Message);
        Assert.Equal(1, thrown.Value); // its caller got what it threw, without its decision being made again
        Assert.Empty(groups); // the group was rolled back, and its other decisions made alone
        // Made again alone, all at once: each lead routed once, the seats the same as one at a time (three each), in any order.
        var made = calls.Where((_, i) => i != 5).Select(t => t.Result).ToList();
        Assert.Equal(9, made.Select(d => d.LeadId).Distinct().Count());
        Assert.Equal(
            (await OneAtATimeAsync(requests.Where((_, i) => i != 5))).OfType<HandoffDecision.Assigned>().Select(d => d.Rep.Value).Order(StringComparer.Ordinal),
            made.OfType<HandoffDecision.Assigned>().Select(d => d.Rep.Value).Order(StringComparer.Ordinal));
        Assert.Null(await store.FindAsync(new LeadId("gb-05")));
    }

    [Fact]
    public async Task AGroupThatRunsOutOfTime_FailsItsCallersAndThoseQueuedBeforeIt_WithTheTimeout_WithoutDecidingThemAgain()
    {
        var (store, _) = await NewStoreAsync(new PostgreSqlStoreOptions { LockTimeout = TimeSpan.FromSeconds(3), MaxDecisionsPerTransaction = 2 });
        using var router = RouterOver(store);

        Task<HandoffDecision> first;
        var queued = new List<Task<HandoffDecision>>();
        await using (await HoldPoolAsync(store, "groups/gb"))
        {
            first = router.RouteAsync(Request("gb-0")).AsTask();
            await WaitForAPoolWaiterAsync(store);
            queued.AddRange(Enumerable.Range(1, 4).Select(i => router.RouteAsync(Request($"gb-{i}")).AsTask()));
            await Task.WhenAny(queued); // the group of gb-1 and gb-2 ran out of time while the pool was held

            // gb-3 and gb-4 were queued before that group began, so each had waited as long: answered with it, not after another
            // wait of 3 s (a group of their own).
            await Task.WhenAll(queued.Append(first).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(TimeSpan.FromSeconds(2.5));
        }

        Assert.Equal("55P03", Assert.IsType<PostgresException>(first.Exception!.InnerException).SqlState); // alone, its own
        foreach (var failure in queued.Select(t => Assert.IsType<PostgresException>(t.Exception!.InnerException)))
        {
            Assert.Equal("55P03", failure.SqlState);
            Assert.Contains("ran out of time", failure.Detail, StringComparison.Ordinal); // the group's, not a lock wait of its own
        }

        for (int i = 0; i < 5; i++)
        {
            Assert.Null(await store.FindAsync(new LeadId($"gb-{i}")));
        }
    }

    [Fact]
    public async Task AQueuedLeadThatAnotherTransactionHolds_IsDecidedAlone_AndDoesNotHoldUpTheGroup()
    {
        var (store, groups) = await NewStoreAsync();
        using var router = RouterOver(store);

        // gb-2's lock is held from another session, as an update of that lead waiting for a stalled rep would hold it.
        var leadHolder = await db.DataSource.OpenConnectionAsync();
        await using var heldLead = new HeldLock(leadHolder); // released below, or at the end whatever fails
        var (high, low) = store.LeadLockKeys(new LeadId("gb-2"));
        await using (var hold = new NpgsqlCommand("SELECT pg_advisory_lock($1, $2)", leadHolder))
        {
            hold.Parameters.AddWithValue(high);
            hold.Parameters.AddWithValue(low);
            await hold.ExecuteNonQueryAsync();
        }

        Task<HandoffDecision> first, held;
        var others = new List<Task<HandoffDecision>>();
        await using (await HoldPoolAsync(store, "groups/gb"))
        {
            first = router.RouteAsync(Request("gb-0")).AsTask();
            await WaitForAPoolWaiterAsync(store);
            others.Add(router.RouteAsync(Request("gb-1")).AsTask());
            held = router.RouteAsync(Request("gb-2")).AsTask();
            others.Add(router.RouteAsync(Request("gb-3")).AsTask());
        }

        await first;
        await Task.WhenAll(others).WaitAsync(TimeSpan.FromSeconds(20)); // decided while gb-2 is still held
        Assert.Equal([2], groups.ToArray());
        Assert.False(held.IsCompleted);

        await heldLead.DisposeAsync();

        Assert.IsType<HandoffDecision.Assigned>(await held.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(4, (await Task.WhenAll(others.Append(first).Append(held))).Select(d => d.LeadId).Distinct().Count());
    }

    [Fact]
    public async Task AQueuedCallerThatCancels_IsTakenOutOfTheQueue_AndItsLeadIsNotRouted()
    {
        var (store, groups) = await NewStoreAsync();
        using var router = RouterOver(store);
        using var cancel = new CancellationTokenSource();

        Task<HandoffDecision> first, cancelled, after;
        await using (await HoldPoolAsync(store, "groups/gb"))
        {
            first = router.RouteAsync(Request("gb-0")).AsTask();
            await WaitForAPoolWaiterAsync(store);
            cancelled = router.RouteAsync(Request("gb-1"), cancel.Token).AsTask();
            after = router.RouteAsync(Request("gb-2")).AsTask();
            var other = router.RouteAsync(Request("gb-3")).AsTask();
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled); // at once, while the pool is still held
            Assert.False(first.IsCompleted);
            _ = other;
        }

        Assert.Equal("a0", Assert.IsType<HandoffDecision.Assigned>(await first).Rep.Value);
        Assert.Equal("a1", Assert.IsType<HandoffDecision.Assigned>(await after).Rep.Value); // the cancelled lead took no turn
        Assert.Null(await store.FindAsync(new LeadId("gb-1")));
        Assert.Equal([2], groups.ToArray());
    }

    [Fact]
    public async Task OneDecisionPerTransaction_NeverGroups()
    {
        var (store, groups) = await NewStoreAsync(new PostgreSqlStoreOptions { MaxDecisionsPerTransaction = 1, LockTimeout = TimeSpan.FromMinutes(1) });
        using var router = RouterOver(store);

        var calls = new List<Task<HandoffDecision>>();
        await using (await HoldPoolAsync(store, "groups/gb"))
        {
            calls.Add(router.RouteAsync(Request("gb-0")).AsTask());
            await WaitForAPoolWaiterAsync(store);
            calls.AddRange(Enumerable.Range(1, 5).Select(i => router.RouteAsync(Request($"gb-{i}")).AsTask()));
            await WaitForPoolWaitersAsync(store, 6); // each decision is its own transaction, waiting for the pool (queued: one)
        }

        var made = await Task.WhenAll(calls);
        Assert.Empty(groups);
        Assert.Equal(6, made.Select(d => d.LeadId).Distinct().Count());
        Assert.Equal(["a0", "a0", "a1", "a1", "a2", "a2"], made.OfType<HandoffDecision.Assigned>().Select(d => d.Rep.Value).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void MaxDecisionsPerTransaction_OutOfRange_IsRefusedNamingTheOption(int value)
    {
        var e = Assert.Throws<ArgumentException>(() => new PostgreSqlRoutingStateStore(db.DataSource, "alignment", new PostgreSqlStoreOptions { MaxDecisionsPerTransaction = value }));
        Assert.Contains("PostgreSqlStoreOptions.MaxDecisionsPerTransaction", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueuedDecisions_RunInTheirCallersExecutionContext()
    {
        var (store, groups) = await NewStoreAsync();
        var caller = new AsyncLocal<string?>();
        var seen = new ConcurrentDictionary<string, string?>();
        var observing = new Wrapping(store, (id, decide) => (current, state) =>
        {
            seen[id.Value] = caller.Value;
            return decide(current, state);
        });
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = observing, Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Start) });

        var calls = new List<Task<HandoffDecision>>();
        await using (await HoldPoolAsync(store, "groups/gb"))
        {
            calls.Add(RouteAs("gb-0"));
            await WaitForAPoolWaiterAsync(store);
            calls.AddRange(Enumerable.Range(1, 4).Select(i => RouteAs($"gb-{i}")));
        }

        await Task.WhenAll(calls);
        Assert.Equal([4], groups.ToArray());
        Assert.All(Enumerable.Range(0, 5), i => Assert.Equal("caller of gb-" + i, seen[$"gb-{i}"]));

        Task<HandoffDecision> RouteAs(string id)
        {
            caller.Value = "caller of " + id; // what this call's flow carries: the router reaches the store before its first await
            return router.RouteAsync(Request(id)).AsTask();
        }
    }

    /// <summary>Passes every call to the store, and makes the decision of one lead throw.</summary>
    private sealed class ThrowingFor(IRoutingStateStore inner, string leadId, StrongBox<int> calls) : Wrapping(inner, (id, decide) =>
        id.Value == leadId ? (_, _) => { Interlocked.Increment(ref calls.Value); throw new InvalidOperationException("decide failed for " + leadId); } : decide);

    /// <summary>Passes every call to the store, with each decision wrapped.</summary>
    private class Wrapping(IRoutingStateStore inner, Func<LeadId, Func<HandoffAssignment?, RoutingState, HandoffAssignment>, Func<HandoffAssignment?, RoutingState, HandoffAssignment>> wrap) : IRoutingStateStore
    {
        public bool RecordsDecisions => inner.RecordsDecisions;

        public ValueTask<HandoffAssignment?> FindAsync(LeadId id, CancellationToken cancellationToken = default) => inner.FindAsync(id, cancellationToken);

        public ValueTask<HandoffAssignment> DecideAsync(CompiledRoutingPolicy policy, LeadId id, int? expectedEpoch, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default) =>
            inner.DecideAsync(policy, id, expectedEpoch, Wrap(id, decide), cancellationToken);

        public ValueTask<HandoffAssignment> DecideWithinAsync(CompiledRoutingPolicy policy, LeadId id, int? expectedEpoch, RoutingFootprint footprint, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default) =>
            inner.DecideWithinAsync(policy, id, expectedEpoch, footprint, Wrap(id, decide), cancellationToken);

        public ValueTask<HandoffAssignment?> UpdateAsync(LeadId id, int expectedEpoch, Func<HandoffAssignment, HandoffAssignment> update, Func<HandoffAssignment, HandoffAssignment, AlignmentDecision?>? decision = null, CancellationToken cancellationToken = default) =>
            inner.UpdateAsync(id, expectedEpoch, update, decision, cancellationToken);

        public ValueTask<IReadOnlyList<HandoffAssignment>> ListAwaitingFirstTouchAsync(CancellationToken cancellationToken = default) => inner.ListAwaitingFirstTouchAsync(cancellationToken);

        public ValueTask<IReadOnlyList<HandoffAssignment>> ListOpenAsync(RepId rep, CancellationToken cancellationToken = default) => inner.ListOpenAsync(rep, cancellationToken);

        public ValueTask<RepLoad> GetRepLoadAsync(RepId rep, CancellationToken cancellationToken = default) => inner.GetRepLoadAsync(rep, cancellationToken);

        private Func<HandoffAssignment?, RoutingState, HandoffAssignment> Wrap(LeadId id, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide) => wrap(id, decide);
    }
}
