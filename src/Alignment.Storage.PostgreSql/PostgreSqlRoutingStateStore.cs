using System.Collections.Immutable;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Policies.Handoff;
using Alignment.Scoring;
using Alignment.Storage.PostgreSql.Decisions;
using Npgsql;
using NpgsqlTypes;

namespace Alignment.Storage.PostgreSql;

/// <summary>
/// An <see cref="IRoutingStateStore"/> on PostgreSQL, for CRMs that route from several hosts at once. Each decision is one
/// transaction under transaction-scoped advisory locks on what it can touch: the lead, then each pool and rep of its
/// <see cref="RoutingFootprint"/> in one fixed (sorted) order. It reads the lead's handoff, those reps' counters and those pools'
/// rotations, decides, and writes the handoff and the changed counters together. So concurrent routers never exceed a cap (a rep
/// in two pools is locked by its own key), never assign a lead twice and never skip one, while decisions in different pools run
/// at the same time; a connection lost mid-decision rolls everything back and the call can be retried. Decisions of one policy
/// that arrive while one of them is being made are made together, in one transaction, one after another, whatever pools they
/// route to (see <see cref="PostgreSqlStoreOptions.MaxDecisionsPerTransaction"/>).
/// </summary>
/// <remarks>Thread-safe. Call <see cref="MigrateAsync"/> once at start-up (it is idempotent).</remarks>
public sealed partial class PostgreSqlRoutingStateStore : IRoutingStateStore
{
    private const string Columns = "lead_id, epoch, policy_id, rule_id, rep_id, queue, explanation, decided_at, status, phase, qualification, sla_due_at, reassignments, escalated, first_touch_at, closed_at, rejection, note, f_country, f_region, f_language, f_segment, f_source, f_account, f_domain, f_score, f_grade, f_state, policy_version, policy_hash";
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly StoreTimeouts _timeouts;
    private readonly StoreRetry _retry;
    private readonly long _lockKey;
    private readonly ulong _poolSeed;
    private readonly ulong _repSeed;
    private readonly ulong _leadSeed;
    private readonly int _maxDecisionsPerTransaction;
    private readonly string _findSql; // a lead's handoff, by its key (an index lookup, prepared or not)

    /// <summary>Creates the store.</summary>
    /// <param name="dataSource">The connection source (the host owns and disposes it).</param>
    /// <param name="schema">The schema the tables live in.</param>
    /// <param name="options">The timeouts of its write transactions; <see langword="null"/> for the defaults (read once, here).</param>
    /// <param name="recordDecisions">
    /// Whether to write each decision into the schema's <c>decision_outbox</c> in the transaction of the change that made it
    /// (<see cref="RecordsDecisions"/>), for a <see cref="DecisionRelay"/> over a <see cref="PostgreSqlDecisionOutbox"/> to deliver.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier, or an option is out of range; or <paramref name="dataSource"/> multiplexes (<c>Multiplexing=true</c>).</exception>
    public PostgreSqlRoutingStateStore(NpgsqlDataSource dataSource, string schema = "alignment", PostgreSqlStoreOptions? options = null, bool recordDecisions = false)
    {
        RecordsDecisions = recordDecisions;
        ArgumentNullException.ThrowIfNull(dataSource);
        StoreTimeouts.ThrowIfMultiplexing(dataSource, nameof(PostgreSqlRoutingStateStore), nameof(dataSource));
        SchemaName.Validate(schema, nameof(schema));

        _dataSource = dataSource;
        _schema = schema;
        _findSql = $"SELECT {Columns} FROM {schema}.handoff_assignment WHERE lead_id = $1";
        _timeouts = new StoreTimeouts(options, nameof(options));
        _retry = new StoreRetry(options, store: nameof(PostgreSqlRoutingStateStore));
        _maxDecisionsPerTransaction = (options ?? new PostgreSqlStoreOptions()).MaxDecisionsPerTransaction;
        ulong hash = Fnv(14695981039346656037UL, "alignment.handoff:" + schema);
        _lockKey = unchecked((long)hash);
        _poolSeed = Fnv(hash, "\u0001pool\u0001");
        _repSeed = Fnv(hash, "\u0001rep\u0001");
        _leadSeed = Fnv(hash, "\u0001lead\u0001");
    }

    /// <inheritdoc />
    public bool RecordsDecisions { get; }

    /// <summary>
    /// Test seam: the key of the schema's advisory lock. Every decision and update takes it shared; with <see cref="SchemaLock"/>
    /// (and in releases before pool locks) exclusively, so a host of such a release and a current one still exclude each other.
    /// </summary>
    internal long LockKey => _lockKey;

    /// <summary>
    /// Test and benchmark seam: serialise every decision and update of the schema behind the one exclusive schema lock, as the
    /// releases before pool locks did, instead of locking the lead and the pools and reps the decision can touch.
    /// </summary>
    internal bool SchemaLock { get; init; }

    /// <summary>Test seam: the key of the advisory lock of a pool (<see cref="RoutingState.PoolKeys"/>).</summary>
    /// <param name="poolKey">The pool's key.</param>
    /// <returns>The lock key.</returns>
    internal long PoolLockKey(string poolKey) => unchecked((long)Fnv(_poolSeed, poolKey));

    /// <summary>Test seam: the key of the advisory lock of a rep's counters.</summary>
    /// <param name="rep">The rep.</param>
    /// <returns>The lock key.</returns>
    internal long RepLockKey(RepId rep) => unchecked((long)Fnv(_repSeed, rep.Value));

    /// <summary>The two keys of a lead's advisory lock (the two-key form of <c>pg_advisory_xact_lock</c>); a test seam too.</summary>
    /// <param name="leadId">The lead.</param>
    /// <returns>The keys.</returns>
    internal (int High, int Low) LeadLockKeys(LeadId leadId)
    {
        ulong lead = Fnv(_leadSeed, leadId.Value);
        return (unchecked((int)(lead >> 32)), unchecked((int)lead));
    }

    /// <summary>Test seam: runs inside the decision transaction just before it commits.</summary>
    internal Func<NpgsqlConnection, CancellationToken, Task>? BeforeCommit { get; set; }

    /// <summary>
    /// Creates or upgrades the Alignment schema to <see cref="PostgreSqlAlignmentSchema.ExpectedVersion"/> through
    /// <see cref="PostgreSqlAlignmentSchema.MigrateAsync"/>: the tables of every PostgreSQL store, not only this one's. Idempotent
    /// and safe to run from several hosts at once.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the schema is at the expected version.</returns>
    /// <exception cref="InvalidOperationException">The schema is at a newer version than this release knows (the message names both).</exception>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default) =>
        await PostgreSqlAlignmentSchema.MigrateAsync(_dataSource, _schema, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask<HandoffAssignment?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default) =>
        _retry.RunAsync(ct => FindOnceAsync(leadId, ct), cancellationToken);

    private async ValueTask<HandoffAssignment?> FindOnceAsync(LeadId leadId, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(_findSql, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = leadId.Value });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAssignment(reader) : null;
    }

    /// <summary>Lists the handoffs a lead had before its current one (replaced by reassignment, field handoff or a fresh routing), oldest first.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The earlier handoffs, as they stood when replaced; empty when there are none.</returns>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public ValueTask<IReadOnlyList<HandoffAssignment>> ListHistoryAsync(LeadId leadId, CancellationToken cancellationToken = default) =>
        _retry.RunAsync(ct => ListHistoryOnceAsync(leadId, ct), cancellationToken);

    private async ValueTask<IReadOnlyList<HandoffAssignment>> ListHistoryOnceAsync(LeadId leadId, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM {_schema}.handoff_assignment_history WHERE lead_id = $1 ORDER BY epoch", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = leadId.Value });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<HandoffAssignment>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(ReadAssignment(reader));
        }

        return list;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> or <paramref name="decide"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="decide"/> returned a handoff for another lead or epoch, or there is no handoff at <paramref name="expectedEpoch"/>.</exception>
    /// <exception cref="NpgsqlException">The database failed. Nothing was saved, unless the connection was lost during the commit itself; either way a retry is safe (it returns the handoff the first attempt saved).</exception>
    /// <remarks>Nothing is known about what <paramref name="decide"/> touches, so this locks every pool and rep of <paramref name="policy"/>.</remarks>
    public ValueTask<HandoffAssignment> DecideAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return DecideWithinAsync(policy, leadId, expectedEpoch, policy.GetWholeFootprint(), decide, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="policy"/>, <paramref name="footprint"/> or <paramref name="decide"/> is null.</exception>
    /// <exception cref="InvalidOperationException">
    /// <paramref name="decide"/> returned a handoff for another lead or epoch, or changed a rep or pool outside <paramref name="footprint"/>
    /// (nothing is saved), or there is no handoff at <paramref name="expectedEpoch"/>.
    /// </exception>
    /// <exception cref="NpgsqlException">The database failed. Nothing was saved, unless the connection was lost during the commit itself; either way a retry is safe (it returns the handoff the first attempt saved).</exception>
    /// <remarks>
    /// Locks, in this order and until the transaction ends: the schema's lock shared, the lead, then every pool and rep of
    /// <paramref name="footprint"/> sorted by lock key, so two decisions never wait for each other in a cycle. When the lead's current
    /// handoff holds the capacity of a rep outside <paramref name="footprint"/>, that rep is locked too (tried at once; if another
    /// transaction holds it, the attempt is rolled back and made again with that rep among the sorted locks). While a decision
    /// of this store with the same <paramref name="policy"/> object is being made, the call waits for it and is then made
    /// together with the others that waited (up to <see cref="PostgreSqlStoreOptions.MaxDecisionsPerTransaction"/>), whatever
    /// their footprints, with the outcome of making them one at a time in the order they arrived: their leads' locks and their
    /// footprints' locks are tried without waiting, and a call whose lead, pool or rep another transaction holds is left out and
    /// made after them, waiting for those locks in a queue of its footprint, whose transactions take the calls queued behind
    /// them together in the same way. When a footprint's shared transaction runs out of time (or a policy's waits too long for
    /// the schema's lock), each of its calls, and each call queued in the same queue before it began, fails with a copy of the
    /// timeout, and a call taken alone fails with its own time limit; any other time limit of a policy's shared transaction
    /// counts as the failures below; a call whose decision throws fails with what it threw, and
    /// on any other failure each call is made again, so a failure fails only the caller whose decision failed. A call cancelled before or while it waits is answered at once and decides nothing;
    /// a call taken alone runs under its token; while a transaction of two or more holds it, its token does not stop it.
    /// </remarks>
    public ValueTask<HandoffAssignment> DecideWithinAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, RoutingFootprint footprint, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(footprint);
        ArgumentNullException.ThrowIfNull(decide);
        return SchemaLock || BeforeCommit is not null || _maxDecisionsPerTransaction == 1
            ? DecideAloneAsync(policy, leadId, expectedEpoch, footprint, decide, cancellationToken)
            : DecideQueuedAsync(policy, leadId, expectedEpoch, footprint, decide, cancellationToken);
    }

    private ValueTask<HandoffAssignment> DecideAloneAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, RoutingFootprint footprint, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken)
    {
        return _retry.RunAsync(ct => DecideOnceAsync(policy, leadId, expectedEpoch, footprint, decide, ct), cancellationToken);
    }

    private async ValueTask<HandoffAssignment> DecideOnceAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, RoutingFootprint footprint, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default)
    {
        RepId? extra = null;
        for (int attempt = 0; ; attempt++)
        {
            // After a few attempts that found the current rep's lock taken, wait for it out of order: a cycle that may make is a
            // deadlock PostgreSQL detects (40P01), and the store's retry makes the call again.
            var (done, needs) = await DecideAttemptAsync(policy, leadId, expectedEpoch, footprint, decide, extra, wait: attempt >= 3, cancellationToken).ConfigureAwait(false);
            if (done is not null)
            {
                return done;
            }

            extra = needs;
        }
    }

    private async ValueTask<(HandoffAssignment? Done, RepId? Needs)> DecideAttemptAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, RoutingFootprint footprint, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, RepId? extra, bool wait, CancellationToken cancellationToken)
    {
        if (SchemaLock)
        {
            footprint = policy.GetWholeFootprint();
        }

        // Two round trips: BEGIN, the settings, the locks and the reads; then the writes and COMMIT. The locks are held for one.
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var state = new RoutingState(policy);
        var readReps = RepsOf(footprint);
        HandoffAssignment? current;
        await using (var batch = new NpgsqlBatch(conn))
        {
            _timeouts.AddBegin(batch);
            AddLeadLock(batch, leadId);
            if (!SchemaLock)
            {
                AddFootprintLocks(batch, footprint, extra);
            }

            int lockCommands = batch.BatchCommands.Count - 1; // every command before the reads has a result set, except BEGIN
            var find = new NpgsqlBatchCommand(_findSql);
            find.Parameters.Add(new NpgsqlParameter { Value = leadId.Value });
            batch.BatchCommands.Add(find);
            AddStateReads(batch, footprint);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await SkipResultsAsync(reader, lockCommands, cancellationToken).ConfigureAwait(false);
            current = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAssignment(reader) : null;
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await ReadStateAsync(reader, state, cancellationToken).ConfigureAwait(false);
        }

        if (current is not null && (expectedEpoch is null ? !current.IsClosed : current.Epoch != expectedEpoch))
        {
            await StoreTimeouts.EndAsync(conn, commit: true, cancellationToken).ConfigureAwait(false);
            return (current, null);
        }

        if (current is null && expectedEpoch is not null)
        {
            throw new InvalidOperationException($"Lead {leadId} has no handoff at epoch {expectedEpoch} to replace.");
        }

        await using var write = new NpgsqlBatch(conn);
        if (current?.HoldsCapacity == true)
        {
            var held = current.Rep!.Value;
            if (readReps.Contains(held.Value))
            {
                state.TryRelease(held);
            }
            else
            {
                // The rep's counters were not read: free the capacity in its row, under its lock (unless the sorted locks took it).
                if (!SchemaLock && extra != held)
                {
                    long key = RepLockKey(held);
                    // Keys as parameters, not in the text: one statement for every rep, which Npgsql can keep prepared.
                    await using var take = new NpgsqlCommand(wait ? "SELECT true FROM pg_advisory_xact_lock($1)" : "SELECT pg_try_advisory_xact_lock($1)", conn);
                    take.Parameters.Add(new NpgsqlParameter { Value = key, NpgsqlDbType = NpgsqlDbType.Bigint });
                    if (await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
                    {
                        return (null, held);
                    }
                }

                write.BatchCommands.Add(ReleaseCommand(held));
            }
        }

        var next = decide(current, state);
        AddDecisionWrites(write, leadId, current, next);
        AddStateWrites(write, state, pool => footprint.PoolKeys.Contains(pool, StringComparer.Ordinal), readReps);

        if (BeforeCommit is { } hook)
        {
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await hook(conn, cancellationToken).ConfigureAwait(false);
            await StoreTimeouts.EndAsync(conn, commit: true, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            write.BatchCommands.Add(StoreTimeouts.Commit());
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return (next, null);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="update"/> changed the lead or epoch.</exception>
    /// <exception cref="NotSupportedException">The store records decisions and <paramref name="decision"/> made a kind the outbox does not store.</exception>
    public ValueTask<HandoffAssignment?> UpdateAsync(LeadId leadId, int expectedEpoch, Func<HandoffAssignment, HandoffAssignment> update, Func<HandoffAssignment, HandoffAssignment, AlignmentDecision?>? decision = null, CancellationToken cancellationToken = default) =>
        _retry.RunAsync(ct => UpdateOnceAsync(leadId, expectedEpoch, update, decision, ct), cancellationToken);

    private async ValueTask<HandoffAssignment?> UpdateOnceAsync(LeadId leadId, int expectedEpoch, Func<HandoffAssignment, HandoffAssignment> update, Func<HandoffAssignment, HandoffAssignment, AlignmentDecision?>? decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        HandoffAssignment? current;
        await using (var batch = new NpgsqlBatch(conn))
        {
            _timeouts.AddBegin(batch);
            AddLeadLock(batch, leadId);
            var find = new NpgsqlBatchCommand(_findSql);
            find.Parameters.Add(new NpgsqlParameter { Value = leadId.Value });
            batch.BatchCommands.Add(find);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await SkipResultsAsync(reader, batch.BatchCommands.Count - 2, cancellationToken).ConfigureAwait(false); // not BEGIN, not the read
            current = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAssignment(reader) : null;
        }

        if (current is null || current.Epoch != expectedEpoch)
        {
            await StoreTimeouts.EndAsync(conn, commit: true, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var next = update(current);
        if (next is null || next.LeadId != leadId || next.Epoch != expectedEpoch)
        {
            throw new InvalidOperationException($"The update of lead {leadId} must keep the lead and epoch {expectedEpoch}.");
        }

        await using var write = new NpgsqlBatch(conn);
        write.BatchCommands.Add(UpsertAssignment(next));
        if (current.HoldsCapacity && !next.HoldsCapacity)
        {
            if (!SchemaLock)
            {
                // Safe to wait here: besides the lead's lock (always taken first, alone) this transaction holds nothing.
                var repLock = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1)");
                repLock.Parameters.Add(new NpgsqlParameter { Value = RepLockKey(current.Rep!.Value), NpgsqlDbType = NpgsqlDbType.Bigint });
                write.BatchCommands.Add(repLock);
            }

            write.BatchCommands.Add(ReleaseCommand(current.Rep!.Value));
        }

        if (RecordsDecisions && decision?.Invoke(current, next) is { } made)
        {
            write.BatchCommands.Add(PostgreSqlDecisionOutbox.Insert(_schema, DecisionKeys.For(made, next.Epoch), made));
        }

        write.BatchCommands.Add(StoreTimeouts.Commit());
        await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return next;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<HandoffAssignment>> ListAwaitingFirstTouchAsync(CancellationToken cancellationToken = default) =>
        _retry.RunAsync(ct => ListAwaitingFirstTouchOnceAsync(ct), cancellationToken);

    private async ValueTask<IReadOnlyList<HandoffAssignment>> ListAwaitingFirstTouchOnceAsync(CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM {_schema}.handoff_assignment WHERE status = 1 AND sla_due_at IS NOT NULL ORDER BY sla_due_at, lead_id COLLATE \"C\"", conn);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<HandoffAssignment>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(ReadAssignment(reader));
        }

        return list;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<HandoffAssignment>> ListOpenAsync(RepId rep, CancellationToken cancellationToken = default) =>
        _retry.RunAsync(ct => ListOpenOnceAsync(rep, ct), cancellationToken);

    private async ValueTask<IReadOnlyList<HandoffAssignment>> ListOpenOnceAsync(RepId rep, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // status 1 = Assigned, 2 = Touched (the partial index handoff_assignment_rep covers exactly these).
        await using var cmd = new NpgsqlCommand(
            $"SELECT {Columns} FROM {_schema}.handoff_assignment WHERE rep_id = $1 AND status IN (1, 2) ORDER BY sla_due_at NULLS LAST, decided_at, lead_id COLLATE \"C\"", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = rep.Value });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<HandoffAssignment>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(ReadAssignment(reader));
        }

        return list;
    }

    /// <inheritdoc />
    public ValueTask<RepLoad> GetRepLoadAsync(RepId rep, CancellationToken cancellationToken = default) =>
        _retry.RunAsync(ct => GetRepLoadOnceAsync(rep, ct), cancellationToken);

    private async ValueTask<RepLoad> GetRepLoadOnceAsync(RepId rep, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT open_count, day_key, day_count, assigned_total FROM {_schema}.handoff_rep_load WHERE rep_id = $1", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = rep.Value });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new RepLoad(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt64(3))
            : default;
    }

    private static ulong Fnv(ulong hash, string text)
    {
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>
    /// Adds the locks every decision and update takes first: the schema's lock (exclusive with <see cref="SchemaLock"/>, else
    /// shared, so that only a host serialising the whole schema waits for it) and the lead's lock. The lead's lock uses the
    /// two-key form, a key space apart from the one-key pool and rep locks, and is taken alone before any of them.
    /// </summary>
    private void AddLeadLock(NpgsqlBatch batch, LeadId leadId)
    {
        if (SchemaLock)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({_lockKey})"));
            return;
        }

        var (high, low) = LeadLockKeys(leadId);
        batch.BatchCommands.Add(SharedSchemaLock());
        var leadLock = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock($1, $2)"); // one statement for every lead (kept prepared)
        leadLock.Parameters.Add(new NpgsqlParameter { Value = high, NpgsqlDbType = NpgsqlDbType.Integer });
        leadLock.Parameters.Add(new NpgsqlParameter { Value = low, NpgsqlDbType = NpgsqlDbType.Integer });
        batch.BatchCommands.Add(leadLock);
    }

    /// <summary>The schema's lock, shared: taken by every decision and update unless <see cref="SchemaLock"/> serialises them.</summary>
    private NpgsqlBatchCommand SharedSchemaLock() => new($"SELECT pg_advisory_xact_lock_shared({_lockKey})");

    private static async ValueTask SkipResultsAsync(NpgsqlDataReader reader, int count, CancellationToken cancellationToken)
    {
        for (int i = 0; i < count; i++)
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private NpgsqlBatchCommand ReleaseCommand(RepId rep)
    {
        var cmd = new NpgsqlBatchCommand($"UPDATE {_schema}.handoff_rep_load SET open_count = GREATEST(open_count - 1, 0) WHERE rep_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = rep.Value });
        return cmd;
    }

    /// <summary>
    /// Adds the writes of the reps' counters and pools' rotations the decisions changed; throws <see cref="InvalidOperationException"/>
    /// (nothing is saved) when they changed a pool or rep the transaction may not write: outside the decisions' footprints.
    /// </summary>
    private void AddStateWrites(NpgsqlBatch batch, RoutingState state, Func<string, bool> writablePool, HashSet<string> writableReps)
    {
        var loads = state.GetChangedRepLoads();
        var rotations = state.GetChangedPoolRotations();
        foreach (var (rep, _) in loads)
        {
            if (!writableReps.Contains(rep.Value))
            {
                throw new InvalidOperationException($"The decision changed the counters of rep {rep}, which its footprint does not name; nothing was saved.");
            }
        }

        foreach (var (poolKey, _) in rotations)
        {
            if (!writablePool(poolKey))
            {
                throw new InvalidOperationException($"The decision moved the rotation of pool '{poolKey}', which its footprint does not name; nothing was saved.");
            }
        }

        if (loads.Length > 0)
        {
            var ids = new string[loads.Length];
            var open = new int[loads.Length];
            var dayKey = new int[loads.Length];
            var dayCount = new int[loads.Length];
            var total = new long[loads.Length];
            for (int i = 0; i < loads.Length; i++)
            {
                var (rep, load) = loads[i];
                ids[i] = rep.Value;
                open[i] = load.Open;
                dayKey[i] = load.DayKey;
                dayCount[i] = load.DayCount;
                total[i] = load.AssignedTotal;
            }

            var cmd = new NpgsqlBatchCommand(
                $"""
                INSERT INTO {_schema}.handoff_rep_load (rep_id, open_count, day_key, day_count, assigned_total)
                SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::bigint[])
                ON CONFLICT (rep_id) DO UPDATE SET open_count = EXCLUDED.open_count, day_key = EXCLUDED.day_key,
                    day_count = EXCLUDED.day_count, assigned_total = EXCLUDED.assigned_total
                """);
            cmd.Parameters.Add(new NpgsqlParameter { Value = ids });
            cmd.Parameters.Add(new NpgsqlParameter { Value = open });
            cmd.Parameters.Add(new NpgsqlParameter { Value = dayKey });
            cmd.Parameters.Add(new NpgsqlParameter { Value = dayCount });
            cmd.Parameters.Add(new NpgsqlParameter { Value = total });
            batch.BatchCommands.Add(cmd);
        }

        foreach (var (poolKey, rotation) in rotations)
        {
            var cmd = new NpgsqlBatchCommand(
                $"""
                INSERT INTO {_schema}.handoff_pool (pool_key, last_rep_id, member_ids, weights) VALUES ($1, $2, $3, $4)
                ON CONFLICT (pool_key) DO UPDATE SET last_rep_id = EXCLUDED.last_rep_id, member_ids = EXCLUDED.member_ids, weights = EXCLUDED.weights
                """);
            cmd.Parameters.Add(new NpgsqlParameter { Value = poolKey });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)rotation.LastRepId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter { Value = rotation.MemberIds.ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = rotation.Weights.ToArray() });
            batch.BatchCommands.Add(cmd);
        }
    }
}
