using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Storage.PostgreSql.Decisions;
using Npgsql;
using NpgsqlTypes;

namespace Alignment.Storage.PostgreSql;

// The transaction of a group of decisions (see PostgreSqlRoutingStateStore.Together.cs for the queues that form the groups).
public sealed partial class PostgreSqlRoutingStateStore
{
    /// <summary>
    /// One transaction for several leads: locks, reads, decides each in turn, writes, commits, and then completes the decisions it
    /// made. Of a policy's queue (<paramref name="footprint"/> null), the group's decisions may have different footprints: their
    /// pools and reps are tried all at once without waiting, and a decision one of whose pools or reps another transaction holds
    /// is left out. Of a footprint's queue, they share <paramref name="footprint"/>, whose locks are waited for in key order.
    /// Either way a decision whose lead another transaction holds, or whose lead holds the capacity of a rep the transaction has
    /// not locked, is left out. Returns the decisions left out (none of them made); throws, having completed none, when anything
    /// fails.
    /// </summary>
    private async Task<List<PendingDecision>> DecideTogetherAsync(CompiledRoutingPolicy policy, RoutingFootprint? footprint, List<PendingDecision> group)
    {
        // Several callers share this transaction, so none of their tokens cancels it; the store's timeouts bound it. A group of
        // one is its caller's alone, and its token applies.
        var token = group.Count == 1 ? group[0].CancellationToken : CancellationToken.None;
        await using var conn = await _dataSource.OpenConnectionAsync(token).ConfigureAwait(false);
        var state = new RoutingState(policy);
        var keys = footprint is null ? GroupKeys.Of(group, this) : GroupKeys.Of(footprint, this);
        var found = new Dictionary<string, HandoffAssignment>(group.Count, StringComparer.Ordinal);
        var busyLeads = new HashSet<(int High, int Low)>();
        var busyKeys = new HashSet<long>();
        await using (var read = new NpgsqlBatch(conn))
        {
            _timeouts.AddBegin(read);
            read.BatchCommands.Add(SharedSchemaLock());
            int beforeLeadLocks = read.BatchCommands.Count - 1; // every command before it has a result set, except BEGIN
            AddLeadTryLocks(read, group);
            if (footprint is null)
            {
                var tryKeys = new NpgsqlBatchCommand("SELECT k, pg_try_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k");
                tryKeys.Parameters.Add(new NpgsqlParameter { Value = keys.LockKeys(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
                read.BatchCommands.Add(tryKeys);
            }
            else
            {
                AddFootprintLocks(read, footprint, null);
            }

            // One statement per lead, the one a decision alone reads its handoff with: an equality on the primary key, which
            // PostgreSQL plans as an index lookup however small the table was when it planned it. `lead_id = ANY($1)`, once
            // prepared while the table was nearly empty, was planned (generic plan) as a sequential scan until the table was next
            // analysed: every group read the whole table (2-8 ms at a few thousand handoffs, and growing with it).
            foreach (var pending in group)
            {
                var find = new NpgsqlBatchCommand(_findSql);
                find.Parameters.Add(new NpgsqlParameter { Value = pending.LeadId.Value });
                read.BatchCommands.Add(find);
            }
            AddStateReads(read, keys.Reps, keys.Pools);
            await using var reader = await read.ExecuteReaderAsync(token).ConfigureAwait(false);
            await SkipResultsAsync(reader, beforeLeadLocks, token).ConfigureAwait(false);
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                if (!reader.GetBoolean(2))
                {
                    busyLeads.Add((reader.GetInt32(0), reader.GetInt32(1)));
                }
            }

            await reader.NextResultAsync(token).ConfigureAwait(false); // the pools' and reps' locks
            while (footprint is null && await reader.ReadAsync(token).ConfigureAwait(false))
            {
                if (!reader.GetBoolean(1))
                {
                    busyKeys.Add(reader.GetInt64(0));
                }
            }

            for (int i = 0; i < group.Count; i++)
            {
                await reader.NextResultAsync(token).ConfigureAwait(false); // a lead's handoff
                if (await reader.ReadAsync(token).ConfigureAwait(false))
                {
                    var handoff = ReadAssignment(reader);
                    found[handoff.LeadId.Value] = handoff;
                }
            }

            await reader.NextResultAsync(token).ConfigureAwait(false);
            await ReadStateAsync(reader, state, token).ConfigureAwait(false);
        }

        var outcomes = new (HandoffAssignment? Handoff, Exception? Failure)[group.Count];
        int decided = 0;
        var left = new List<PendingDecision>();
        var changes = new ChangeCheck();
        var writablePools = new HashSet<string>(StringComparer.Ordinal);
        var writableReps = new HashSet<string>(StringComparer.Ordinal);
        await using var write = new NpgsqlBatch(conn);
        for (int i = 0; i < group.Count; i++)
        {
            var pending = group[i];
            var leadId = pending.LeadId;
            var own = footprint ?? pending.Footprint;
            if ((busyLeads.Count > 0 && busyLeads.Contains(LeadLockKeys(leadId))) || (busyKeys.Count > 0 && keys.AnyBusy(own, busyKeys)))
            {
                left.Add(pending); // another transaction holds the lead (an update, or a decision from elsewhere) or one of its pools or reps
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

            string? released = null;
            if (current?.HoldsCapacity == true)
            {
                released = current.Rep!.Value.Value;
                if (!keys.HasRep(released) || busyKeys.Contains(RepLockKey(current.Rep.Value)))
                {
                    left.Add(pending); // its rep's counters are not locked by this transaction
                    continue;
                }

                state.TryRelease(current.Rep.Value);
                writableReps.Add(released);
            }

            HandoffAssignment next;
            try
            {
                next = pending.InCallersContext(() => pending.Decide(current, state));
                AddDecisionWrites(write, leadId, current, next);
                changes.Check(state, own, released);
            }
            catch (Exception e)
            {
                // The caller's own failure (its decision, or a plugin in it, even one that timed out doing I/O of its own): the group
                // is rolled back and each decision made again alone, so that only this caller fails.
                throw new DecisionFailedException(pending, e);
            }

            foreach (string pool in own.PoolKeys)
            {
                writablePools.Add(pool);
            }

            foreach (var rep in own.Reps)
            {
                writableReps.Add(rep.Value);
            }

            outcomes[i].Handoff = next;
            decided++;
        }

        // Only what the decisions made may change is written (all of it locked by this transaction); anything else is a decision
        // that changed a pool or rep outside its footprint, which fails the group, and then that decision alone.
        AddStateWrites(write, state, writablePools.Contains, writableReps);
        write.BatchCommands.Add(StoreTimeouts.Commit());
        await write.ExecuteNonQueryAsync(token).ConfigureAwait(false);
        try
        {
            if (group.Count > 1)
            {
                OnGroupCommitted?.Invoke(decided);
            }
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

        return left;
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
    /// waits (so the order does not matter): a lead another transaction holds is left out of the group, so one stalled lead never
    /// holds up (or times out) the others.
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

    /// <summary>The reads of some reps' counters and pools' rotations (two result sets, read by <see cref="ReadStateAsync"/>).</summary>
    private void AddStateReads(NpgsqlBatch batch, string[] reps, string[] pools)
    {
        var readReps = new NpgsqlBatchCommand($"SELECT rep_id, open_count, day_key, day_count, assigned_total FROM {_schema}.handoff_rep_load WHERE rep_id = ANY($1)");
        readReps.Parameters.Add(new NpgsqlParameter { Value = reps, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        batch.BatchCommands.Add(readReps);
        var readPools = new NpgsqlBatchCommand($"SELECT pool_key, last_rep_id, member_ids, weights FROM {_schema}.handoff_pool WHERE pool_key = ANY($1)");
        readPools.Parameters.Add(new NpgsqlParameter { Value = pools, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        batch.BatchCommands.Add(readPools);
    }

    /// <summary>The reads of a footprint's rep counters and pool rotations (two result sets, read by <see cref="ReadStateAsync"/>).</summary>
    private void AddStateReads(NpgsqlBatch batch, RoutingFootprint footprint) =>
        AddStateReads(batch, footprint.Reps.Select(r => r.Value).ToArray(), footprint.PoolKeys.ToArray());

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

    /// <summary>
    /// What each decision of a group changed, checked against its own footprint (and the rep whose capacity its lead's handoff
    /// held), as a decision made alone is: the group's state holds every footprint's pools and reps.
    /// </summary>
    private sealed class ChangeCheck
    {
        private readonly Dictionary<string, RepLoad> _reps = new(StringComparer.Ordinal);
        private readonly Dictionary<string, PoolRotation> _pools = new(StringComparer.Ordinal);

        /// <summary>Throws <see cref="InvalidOperationException"/> when the decision just made changed a rep or pool outside <paramref name="footprint"/>.</summary>
        public void Check(RoutingState state, RoutingFootprint footprint, string? released)
        {
            foreach (var (rep, load) in state.GetChangedRepLoads())
            {
                if (_reps.TryGetValue(rep.Value, out var seen) && Same(seen, load))
                {
                    continue;
                }

                _reps[rep.Value] = load;
                if (!string.Equals(rep.Value, released, StringComparison.Ordinal) && !footprint.Reps.Contains(rep))
                {
                    throw new InvalidOperationException($"The decision changed the counters of rep {rep}, which its footprint does not name; nothing was saved.");
                }
            }

            foreach (var (pool, rotation) in state.GetChangedPoolRotations())
            {
                if (_pools.TryGetValue(pool, out var seen) && Same(seen, rotation))
                {
                    continue;
                }

                _pools[pool] = rotation;
                if (!footprint.PoolKeys.Contains(pool, StringComparer.Ordinal))
                {
                    throw new InvalidOperationException($"The decision moved the rotation of pool '{pool}', which its footprint does not name; nothing was saved.");
                }
            }
        }

        private static bool Same(RepLoad a, RepLoad b) =>
            a.Open == b.Open && a.DayKey == b.DayKey && a.DayCount == b.DayCount && a.AssignedTotal == b.AssignedTotal;

        private static bool Same(PoolRotation a, PoolRotation b) =>
            string.Equals(a.LastRepId, b.LastRepId, StringComparison.Ordinal) && a.MemberIds.SequenceEqual(b.MemberIds, StringComparer.Ordinal) && a.Weights.SequenceEqual(b.Weights);
    }

    /// <summary>The pools and reps of a group's footprints (each once), with their lock keys.</summary>
    private sealed class GroupKeys
    {
        private readonly Dictionary<string, long> _pools = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _reps = new(StringComparer.Ordinal);

        private GroupKeys()
        {
        }

        public string[] Pools => [.. _pools.Keys];

        public string[] Reps => [.. _reps.Keys];

        public static GroupKeys Of(RoutingFootprint footprint, PostgreSqlRoutingStateStore store)
        {
            var keys = new GroupKeys();
            keys.Add(footprint, store);
            return keys;
        }

        public static GroupKeys Of(List<PendingDecision> group, PostgreSqlRoutingStateStore store)
        {
            var keys = new GroupKeys();
            var seen = new HashSet<RoutingFootprint>(ReferenceEqualityComparer.Instance);
            foreach (var pending in group)
            {
                if (seen.Add(pending.Footprint))
                {
                    keys.Add(pending.Footprint, store);
                }
            }

            return keys;
        }

        public bool HasRep(string rep) => _reps.ContainsKey(rep);

        /// <summary>Every pool's and rep's lock key (tried without waiting, so in no particular order).</summary>
        public long[] LockKeys() => [.. _pools.Values, .. _reps.Values];

        /// <summary>Whether another transaction holds one of a footprint's pools or reps.</summary>
        public bool AnyBusy(RoutingFootprint footprint, HashSet<long> busy)
        {
            foreach (string pool in footprint.PoolKeys)
            {
                if (busy.Contains(_pools[pool]))
                {
                    return true;
                }
            }

            foreach (var rep in footprint.Reps)
            {
                if (busy.Contains(_reps[rep.Value]))
                {
                    return true;
                }
            }

            return false;
        }

        private void Add(RoutingFootprint footprint, PostgreSqlRoutingStateStore store)
        {
            foreach (string pool in footprint.PoolKeys)
            {
                if (!_pools.ContainsKey(pool))
                {
                    _pools[pool] = store.PoolLockKey(pool);
                }
            }

            foreach (var rep in footprint.Reps)
            {
                if (!_reps.ContainsKey(rep.Value))
                {
                    _reps[rep.Value] = store.RepLockKey(rep);
                }
            }
        }
    }
}
