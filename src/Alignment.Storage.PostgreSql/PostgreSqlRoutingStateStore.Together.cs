using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Storage.PostgreSql.Decisions;
using Npgsql;
using NpgsqlTypes;

namespace Alignment.Storage.PostgreSql;

// <summary>
// Decisions made together: while a decision is being made, the decisions that arrive for the same policy and footprint wait in
// that footprint's queue, and the next transaction takes up to <see cref="PostgreSqlStoreOptions.MaxDecisionsPerTransaction"/>
// of them at once. It tries their leads' locks (without waiting) and then locks the footprint's pools and reps, as a single decision does, reads
// every lead's handoff and the footprint's state once, decides the leads one after another on that state, and writes and
// commits them together. A busy pool thus takes its locks once per group instead of once per lead. The outcome is the one the
// same decisions made one at a time in that order would have: each sees the counters and rotations the ones before it left.
// </summary>
// <remarks>
// When the group's transaction runs out of time (a lock or statement timeout), each decision in it, and each decision queued
// before it began (which has waited at least as long), fails with a copy of that timeout, as it would have alone. Any other
// failure fails no caller: nothing of the transaction was saved (or, when only the commit's reply was lost, all of it was), and
// every decision of the group is then made alone, all at once, with its caller's retries and cancellation, as if it had never
// been queued, so a retry finds what a lost commit saved and returns it. A decision whose lead's lock another transaction holds
// (an update of that lead, or a decision of it from elsewhere), or whose lead holds the capacity of a rep outside the
// footprint, is made alone after the group. A caller's cancellation takes its decision out of the queue while it waits; once a
// group transaction has taken it, the decision is made and the caller gets it.
// </remarks>
public sealed partial class PostgreSqlRoutingStateStore
{
    private readonly ConditionalWeakTable<CompiledRoutingPolicy, ConcurrentDictionary<string, DecisionQueue>> _queues = [];

    /// <summary>
    /// Test seam: told, after each transaction of two or more queued decisions committed and before its callers are answered,
    /// how many new handoffs it saved (not counting leads answered with their current handoff); an exception from it is ignored.
    /// </summary>
    internal Action<int>? OnGroupCommitted { get; set; }

    private ValueTask<HandoffAssignment> DecideQueuedAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, RoutingFootprint footprint, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken)
    {
        var queue = _queues.GetValue(policy, static _ => new ConcurrentDictionary<string, DecisionQueue>(StringComparer.Ordinal))
            .GetOrAdd(FootprintKey(footprint), static _ => new DecisionQueue());
        var pending = new PendingDecision(leadId, expectedEpoch, decide, cancellationToken);
        bool leads;
        lock (queue)
        {
            pending.QueuedAt = Stopwatch.GetTimestamp();
            queue.Waiting.Add(pending);
            leads = !queue.Running;
            queue.Running = true;
        }

        // The caller that found the queue idle decides (its own decision first); the others wait for a transaction to take theirs.
        return leads ? LeadAsync(queue, policy, footprint, pending) : pending.WaitAsync();
    }

    private async ValueTask<HandoffAssignment> LeadAsync(DecisionQueue queue, CompiledRoutingPolicy policy, RoutingFootprint footprint, PendingDecision own)
    {
        // The caller waits for its own decision only, not for the rest of its group's work (a lead of it decided alone after it).
        _ = DrainAsync(queue, policy, footprint, own); // never throws
        return await own.Done.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Takes groups from the queue and decides them until the queue is empty, or, for a caller's own drain, until its decision is
    /// made (its own decision is the first of the queue, so that is after one group): the rest is then drained on the thread
    /// pool, so no caller waits for decisions queued after its own. Never throws, and always leaves the queue either idle and
    /// empty or with a drain running, so a queue can never be left with decisions and nobody to take them.
    /// </summary>
    private async Task DrainAsync(DecisionQueue queue, CompiledRoutingPolicy policy, RoutingFootprint footprint, PendingDecision? own)
    {
        while (true)
        {
            List<PendingDecision> group;
            lock (queue)
            {
                group = queue.Take(_maxDecisionsPerTransaction);
                if (group.Count == 0)
                {
                    queue.Running = false;
                    return;
                }
            }

            try
            {
                await DecideGroupAsync(queue, policy, footprint, group).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // DecideGroupAsync answers every decision itself; this only keeps the queue moving if that ever changes.
                foreach (var pending in group)
                {
                    pending.Done.TrySetException(e);
                }
            }

            if (own is not null)
            {
                lock (queue)
                {
                    if (queue.Waiting.Count == 0)
                    {
                        queue.Running = false;
                        return;
                    }
                }

                // The rest runs without this caller's execution context (not part of its trace; each decision runs in its own).
                ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.Store.DrainAsync(s.Queue, s.Policy, s.Footprint, null), (Store: this, Queue: queue, Policy: policy, Footprint: footprint), preferLocal: false);
                return;
            }
        }
    }

    /// <summary>
    /// Decides a group and answers every decision in it, with its handoff or its failure; never throws. When the group's
    /// transaction fails on a time limit (a lock or statement timeout, the connection string's timeouts), every decision in it,
    /// and every decision queued before the transaction began, fails with a copy of that exception, as each alone would have
    /// (so a stalled pool fails its callers after about one or two time limits, however many queue); on any other failure each
    /// is made again alone, all at once, each with its caller's retries and cancellation token.
    /// </summary>
    private async Task DecideGroupAsync(DecisionQueue queue, CompiledRoutingPolicy policy, RoutingFootprint footprint, List<PendingDecision> group)
    {
        List<PendingDecision> alone = group;
        if (group.Count > 1)
        {
            long began = Stopwatch.GetTimestamp();
            try
            {
                alone = await DecideTogetherAsync(policy, footprint, group).ConfigureAwait(false);
            }
            catch (Exception e) when (StoreRetry.IsTimeout(e))
            {
                List<PendingDecision> waited;
                lock (queue)
                {
                    waited = queue.TakeQueuedBefore(began);
                }

                foreach (var pending in group.Concat(waited))
                {
                    pending.Done.TrySetException(ForCaller(e, group.Count));
                }

                return;
            }
            catch (Exception)
            {
                // Nothing was saved, or all of it was and the reply was lost: each decision alone finds out which, and fails alone.
                alone = group;
            }
        }

        if (alone.Count == 1)
        {
            await AnswerAloneAsync(policy, footprint, alone[0]).ConfigureAwait(false);
        }
        else if (alone.Count > 1)
        {
            await Task.WhenAll(alone.ConvertAll(pending => AnswerAloneAsync(policy, footprint, pending))).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A copy of a group's time-limit failure for one caller: the same type and SQLSTATE, without the group's batch (whose
    /// parameters name the other callers' leads) and with its own stack trace.
    /// </summary>
    private static Exception ForCaller(Exception timeout, int groupSize) => timeout switch
    {
        PostgresException pg => new PostgresException(pg.MessageText, pg.Severity, pg.InvariantSeverity, pg.SqlState,
            detail: $"The routing store's transaction for {groupSize} decisions of one footprint (the pools and reps they can touch) ran out of time; this decision was among them or queued behind them, and was not made.",
            where: pg.Where),
        NpgsqlException npgsql => new NpgsqlException(npgsql.Message, npgsql.InnerException),
        _ => timeout,
    };

    /// <summary>Makes one queued decision as an unqueued call would, in its caller's context, and answers it; never throws.</summary>
    private async Task AnswerAloneAsync(CompiledRoutingPolicy policy, RoutingFootprint footprint, PendingDecision pending)
    {
        try
        {
            pending.Done.TrySetResult(await pending.InCallersContext(() => DecideAloneAsync(policy, pending.LeadId, pending.ExpectedEpoch, footprint, pending.Decide, pending.CancellationToken)).ConfigureAwait(false));
        }
        catch (OperationCanceledException e) when (pending.CancellationToken.IsCancellationRequested)
        {
            pending.Done.TrySetCanceled(e.CancellationToken);
        }
        catch (Exception e)
        {
            pending.Done.TrySetException(e);
        }
    }

    /// <summary>
    /// One transaction for several leads: locks, reads, decides each in turn, writes, commits, and then completes the decisions it
    /// made. Answers the decisions it left to be made alone (their lead holds the capacity of a rep the footprint does not name).
    /// Throws, having completed none, when anything fails.
    /// </summary>
    private async Task<List<PendingDecision>> DecideTogetherAsync(CompiledRoutingPolicy policy, RoutingFootprint footprint, List<PendingDecision> group)
    {
        // Several callers share this transaction, so none of their tokens cancels it; the store's timeouts bound it.
        var none = CancellationToken.None;
        await using var conn = await _dataSource.OpenConnectionAsync(none).ConfigureAwait(false);
        var state = new RoutingState(policy);
        var readReps = RepsOf(footprint);
        var found = new Dictionary<string, HandoffAssignment>(group.Count, StringComparer.Ordinal);
        var busy = new HashSet<(int High, int Low)>();
        await using (var read = new NpgsqlBatch(conn))
        {
            _timeouts.AddBegin(read);
            read.BatchCommands.Add(SharedSchemaLock());
            int beforeLeadLocks = read.BatchCommands.Count - 1; // every command before it has a result set, except BEGIN
            AddLeadTryLocks(read, group);
            AddFootprintLocks(read, footprint, null);
            var find = new NpgsqlBatchCommand($"SELECT {Columns} FROM {_schema}.handoff_assignment WHERE lead_id = ANY($1)");
            find.Parameters.Add(new NpgsqlParameter { Value = group.ConvertAll(p => p.LeadId.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            read.BatchCommands.Add(find);
            AddStateReads(read, footprint);
            await using var reader = await read.ExecuteReaderAsync(none).ConfigureAwait(false);
            await SkipResultsAsync(reader, beforeLeadLocks, none).ConfigureAwait(false);
            while (await reader.ReadAsync(none).ConfigureAwait(false))
            {
                if (!reader.GetBoolean(2))
                {
                    busy.Add((reader.GetInt32(0), reader.GetInt32(1)));
                }
            }

            await SkipResultsAsync(reader, 2, none).ConfigureAwait(false); // the footprint's locks, then the handoffs
            while (await reader.ReadAsync(none).ConfigureAwait(false))
            {
                var handoff = ReadAssignment(reader);
                found[handoff.LeadId.Value] = handoff;
            }

            await reader.NextResultAsync(none).ConfigureAwait(false);
            await ReadStateAsync(reader, state, none).ConfigureAwait(false);
        }

        var outcomes = new (HandoffAssignment? Handoff, Exception? Failure)[group.Count];
        int decided = 0;
        var alone = new List<PendingDecision>();
        await using var write = new NpgsqlBatch(conn);
        for (int i = 0; i < group.Count; i++)
        {
            var pending = group[i];
            var leadId = pending.LeadId;
            if (busy.Count > 0 && busy.Contains(LeadLockKeys(leadId)))
            {
                alone.Add(pending); // another transaction holds the lead (an update, or a decision from elsewhere): decided alone, after it
                continue;
            }

            var current = found.GetValueOrDefault(leadId.Value);
            if (current is not null && (pending.ExpectedEpoch is null ? !current.IsClosed : current.Epoch != pending.ExpectedEpoch))
            {
                outcomes[i].Handoff = current;
                continue;
            }

            if (current is null && pending.ExpectedEpoch is not null)
            {
                outcomes[i].Failure = new InvalidOperationException($"Lead {leadId} has no handoff at epoch {pending.ExpectedEpoch} to replace.");
                continue;
            }

            if (current?.HoldsCapacity == true)
            {
                if (!readReps.Contains(current.Rep!.Value.Value))
                {
                    alone.Add(pending); // its rep's counters are not in this transaction: decided alone, after it
                    continue;
                }

                state.TryRelease(current.Rep.Value);
            }

            HandoffAssignment next;
            try
            {
                next = pending.InCallersContext(() => pending.Decide(current, state));
                AddDecisionWrites(write, leadId, current, next);
            }
            catch (Exception e)
            {
                // The caller's own failure (its decision, or a plugin in it, even one that timed out doing I/O of its own): the group
                // is rolled back and each decision made again alone, so that only this caller fails.
                throw new DecisionFailedException(e);
            }

            outcomes[i].Handoff = next;
            decided++;
        }

        AddStateWrites(write, state, footprint, readReps);
        write.BatchCommands.Add(StoreTimeouts.Commit());
        await write.ExecuteNonQueryAsync(none).ConfigureAwait(false);
        try
        {
            OnGroupCommitted?.Invoke(decided);
        }
        catch (Exception)
        {
            // a test hook's failure changes nothing that was committed
        }

        for (int i = 0; i < group.Count; i++)
        {
            if (outcomes[i].Handoff is { } handoff)
            {
                group[i].Done.TrySetResult(handoff);
            }
            else if (outcomes[i].Failure is { } failure)
            {
                group[i].Done.TrySetException(failure);
            }
        }

        return alone;
    }

    /// <summary>
    /// Checks a decision (a handoff of that lead at the next epoch, else <see cref="InvalidOperationException"/>) and adds its
    /// writes: the replaced handoff into the history, the new one, and its <see cref="AlignmentDecision.Routed"/> into the outbox
    /// when the store records decisions.
    /// </summary>
    private void AddDecisionWrites(NpgsqlBatch write, LeadId leadId, HandoffAssignment? current, HandoffAssignment? next)
    {
        if (next is null || next.LeadId != leadId || next.Epoch != (current?.Epoch ?? 0) + 1)
        {
            throw new InvalidOperationException($"The decision for lead {leadId} must be a handoff of that lead at epoch {(current?.Epoch ?? 0) + 1}.");
        }

        if (current is not null)
        {
            var history = new NpgsqlBatchCommand($"INSERT INTO {_schema}.handoff_assignment_history ({Columns}) SELECT {Columns} FROM {_schema}.handoff_assignment WHERE lead_id = $1");
            history.Parameters.Add(new NpgsqlParameter { Value = leadId.Value });
            write.BatchCommands.Add(history);
        }

        write.BatchCommands.Add(UpsertAssignment(next));
        if (RecordsDecisions)
        {
            var routed = new AlignmentDecision.Routed(next.Decision, next.DecidedAt);
            write.BatchCommands.Add(PostgreSqlDecisionOutbox.Insert(_schema, DecisionKeys.For(routed, next.Epoch), routed));
        }
    }

    /// <summary>
    /// Tries the lock of every lead of a group in one statement that answers each lead's keys and whether it was taken. Nothing
    /// waits (so the order does not matter): a lead another transaction holds is decided alone, after the group, so one stalled
    /// lead never holds up (or times out) the others.
    /// </summary>
    private void AddLeadTryLocks(NpgsqlBatch batch, List<PendingDecision> group)
    {
        var high = new int[group.Count];
        var low = new int[group.Count];
        for (int i = 0; i < group.Count; i++)
        {
            (high[i], low[i]) = LeadLockKeys(group[i].LeadId);
        }

        var leadLocks = new NpgsqlBatchCommand("SELECT h, l, pg_try_advisory_xact_lock(h, l) FROM unnest($1::int[], $2::int[]) AS k(h, l)");
        leadLocks.Parameters.Add(new NpgsqlParameter { Value = high, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        leadLocks.Parameters.Add(new NpgsqlParameter { Value = low, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        batch.BatchCommands.Add(leadLocks);
    }

    /// <summary>The locks of a footprint's pools and reps (and of one more rep), sorted by key, in one statement.</summary>
    private void AddFootprintLocks(NpgsqlBatch batch, RoutingFootprint footprint, RepId? extra)
    {
        var keys = new long[footprint.PoolKeys.Length + footprint.Reps.Length + (extra is null ? 0 : 1)];
        int n = 0;
        foreach (string pool in footprint.PoolKeys)
        {
            keys[n++] = PoolLockKey(pool);
        }

        foreach (var rep in footprint.Reps)
        {
            keys[n++] = RepLockKey(rep);
        }

        if (extra is { } x)
        {
            keys[n] = RepLockKey(x);
        }

        Array.Sort(keys);
        var locks = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k");
        locks.Parameters.Add(new NpgsqlParameter { Value = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        batch.BatchCommands.Add(locks);
    }

    /// <summary>The reads of a footprint's rep counters and pool rotations (two result sets, read by <see cref="ReadStateAsync"/>).</summary>
    private void AddStateReads(NpgsqlBatch batch, RoutingFootprint footprint)
    {
        var reps = new NpgsqlBatchCommand($"SELECT rep_id, open_count, day_key, day_count, assigned_total FROM {_schema}.handoff_rep_load WHERE rep_id = ANY($1)");
        reps.Parameters.Add(new NpgsqlParameter { Value = footprint.Reps.Select(r => r.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        batch.BatchCommands.Add(reps);
        var pools = new NpgsqlBatchCommand($"SELECT pool_key, last_rep_id, member_ids, weights FROM {_schema}.handoff_pool WHERE pool_key = ANY($1)");
        pools.Parameters.Add(new NpgsqlParameter { Value = footprint.PoolKeys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        batch.BatchCommands.Add(pools);
    }

    private static async Task ReadStateAsync(NpgsqlDataReader reader, RoutingState state, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            state.TrySetRepLoad(new RepId(reader.GetString(0)), new RepLoad(reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt64(4)));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            state.TrySetPoolRotation(reader.GetString(0), new PoolRotation(
                reader.IsDBNull(1) ? null : reader.GetString(1),
                [.. reader.GetFieldValue<string[]>(2)],
                [.. reader.GetFieldValue<long[]>(3)]));
        }
    }

    private static HashSet<string> RepsOf(RoutingFootprint footprint)
    {
        var reps = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rep in footprint.Reps)
        {
            reps.Add(rep.Value);
        }

        return reps;
    }

    /// <summary>What makes two footprints of one policy the same: their pools and reps (both in the policy's order).</summary>
    private static string FootprintKey(RoutingFootprint footprint) =>
        footprint.IsWholePolicy ? "*" : string.Join('\u0001', footprint.PoolKeys) + "\u0002" + string.Join('\u0001', footprint.Reps.Select(r => r.Value));

    /// <summary>A decision of a group failed in its caller's code: never a time limit of the group's transaction.</summary>
    private sealed class DecisionFailedException(Exception inner) : Exception("A decision of the group failed.", inner);

    /// <summary>The decisions waiting for one footprint of one policy; guarded by locking the queue itself.</summary>
    private sealed class DecisionQueue
    {
        /// <summary>Gets the decisions not yet taken, oldest first (cancelled ones are dropped when reached).</summary>
        public List<PendingDecision> Waiting { get; } = [];

        /// <summary>Gets or sets whether a caller or a thread-pool drain is taking groups from this queue.</summary>
        public bool Running { get; set; }

        /// <summary>Takes every waiting decision queued before <paramref name="timestamp"/> (a <see cref="Stopwatch"/> timestamp).</summary>
        public List<PendingDecision> TakeQueuedBefore(long timestamp)
        {
            var taken = new List<PendingDecision>();
            for (int i = 0; i < Waiting.Count;)
            {
                var pending = Waiting[i];
                if (pending.QueuedAt >= timestamp)
                {
                    i++;
                    continue;
                }

                Waiting.RemoveAt(i);
                if (pending.TryTake())
                {
                    taken.Add(pending);
                }
            }

            return taken;
        }

        /// <summary>Takes up to <paramref name="max"/> decisions, oldest first, at most one per lead (a lead's next waits its turn).</summary>
        public List<PendingDecision> Take(int max)
        {
            var group = new List<PendingDecision>(Math.Min(max, Waiting.Count));
            var leads = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < Waiting.Count && group.Count < max;)
            {
                var pending = Waiting[i];
                if (leads.Contains(pending.LeadId.Value))
                {
                    i++;
                    continue;
                }

                Waiting.RemoveAt(i);
                if (pending.TryTake())
                {
                    group.Add(pending);
                    leads.Add(pending.LeadId.Value);
                }
            }

            return group;
        }
    }

    /// <summary>
    /// One caller's decision while it waits: taken by one transaction, or cancelled by its caller, never both. Its decision (and,
    /// made alone, its whole call) runs in its caller's execution context, so what the caller's async flow carries (the current
    /// activity, logging scopes, a plugin's <see cref="AsyncLocal{T}"/>) is what the decision sees, whichever thread makes it.
    /// </summary>
    private sealed class PendingDecision(LeadId leadId, int? expectedEpoch, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken)
    {
        private int _state; // 0 waiting, 1 taken, 2 cancelled

        public LeadId LeadId { get; } = leadId;

        public int? ExpectedEpoch { get; } = expectedEpoch;

        public Func<HandoffAssignment?, RoutingState, HandoffAssignment> Decide { get; } = decide;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        /// <summary>Gets or sets when the decision was queued (a <see cref="Stopwatch"/> timestamp, set under the queue's lock).</summary>
        public long QueuedAt { get; set; }

        public TaskCompletionSource<HandoffAssignment> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private ExecutionContext? Context { get; } = ExecutionContext.Capture();

        public T InCallersContext<T>(Func<T> call)
        {
            if (Context is null)
            {
                return call();
            }

            var box = new StrongBox<(Func<T> Call, T Result)>((call, default!));
            ExecutionContext.Run(Context, static b => { var s = (StrongBox<(Func<T> Call, T Result)>)b!; s.Value.Result = s.Value.Call(); }, box);
            return box.Value.Result;
        }

        public bool TryTake() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

        public async ValueTask<HandoffAssignment> WaitAsync()
        {
            if (!CancellationToken.CanBeCanceled)
            {
                return await Done.Task.ConfigureAwait(false);
            }

            using var registration = CancellationToken.UnsafeRegister(
                static s =>
                {
                    var pending = (PendingDecision)s!;
                    if (Interlocked.CompareExchange(ref pending._state, 2, 0) == 0)
                    {
                        pending.Done.TrySetCanceled(pending.CancellationToken);
                    }
                },
                this);
            return await Done.Task.ConfigureAwait(false);
        }
    }
}
