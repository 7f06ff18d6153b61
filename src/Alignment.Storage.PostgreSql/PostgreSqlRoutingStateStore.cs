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
/// transaction under a transaction-scoped advisory lock: it reads the lead's handoff, the reps' counters and the pools'
/// rotations, decides, and writes the handoff and the changed counters together. So concurrent routers never exceed a cap,
/// never assign a lead twice and never skip one; a connection lost mid-decision rolls everything back and the call can be retried.
/// </summary>
/// <remarks>Thread-safe. Call <see cref="MigrateAsync"/> once at start-up (it is idempotent).</remarks>
public sealed class PostgreSqlRoutingStateStore : IRoutingStateStore
{
    private const string Columns = "lead_id, epoch, policy_id, rule_id, rep_id, queue, explanation, decided_at, status, phase, qualification, sla_due_at, reassignments, escalated, first_touch_at, closed_at, rejection, note, f_country, f_region, f_language, f_segment, f_source, f_account, f_domain, f_score, f_grade, f_state, policy_version, policy_hash";
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly StoreTimeouts _timeouts;
    private readonly StoreRetry _retry;
    private readonly long _lockKey;

    /// <summary>Creates the store.</summary>
    /// <param name="dataSource">The connection source (the host owns and disposes it).</param>
    /// <param name="schema">The schema the tables live in.</param>
    /// <param name="options">The timeouts of its write transactions; <see langword="null"/> for the defaults (read once, here).</param>
    /// <param name="recordDecisions">
    /// Whether to write each decision into the schema's <c>decision_outbox</c> in the transaction of the change that made it
    /// (<see cref="RecordsDecisions"/>), for a <see cref="DecisionRelay"/> over a <see cref="PostgreSqlDecisionOutbox"/> to deliver.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier, or an option is out of range.</exception>
    public PostgreSqlRoutingStateStore(NpgsqlDataSource dataSource, string schema = "alignment", PostgreSqlStoreOptions? options = null, bool recordDecisions = false)
    {
        RecordsDecisions = recordDecisions;
        ArgumentNullException.ThrowIfNull(dataSource);
        SchemaName.Validate(schema, nameof(schema));

        _dataSource = dataSource;
        _schema = schema;
        _timeouts = new StoreTimeouts(options, nameof(options));
        _retry = new StoreRetry(options, store: nameof(PostgreSqlRoutingStateStore));
        ulong hash = 14695981039346656037UL;
        foreach (char c in "alignment.handoff:" + schema)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        _lockKey = unchecked((long)hash);
    }

    /// <inheritdoc />
    public bool RecordsDecisions { get; }

    /// <summary>Test seam: the key of the advisory lock every decision takes.</summary>
    internal long LockKey => _lockKey;

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
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM {_schema}.handoff_assignment WHERE lead_id = $1", conn);
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
    public ValueTask<HandoffAssignment> DecideAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default) =>
        _retry.RunAsync(ct => DecideOnceAsync(policy, leadId, expectedEpoch, decide, ct), cancellationToken);

    private async ValueTask<HandoffAssignment> DecideOnceAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(decide);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await _timeouts.BeginAsync(conn, cancellationToken).ConfigureAwait(false);
        var state = new RoutingState(policy);
        HandoffAssignment? current;
        await using (var batch = new NpgsqlBatch(conn, tx))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({_lockKey})"));
            var find = new NpgsqlBatchCommand($"SELECT {Columns} FROM {_schema}.handoff_assignment WHERE lead_id = $1");
            find.Parameters.Add(new NpgsqlParameter { Value = leadId.Value });
            batch.BatchCommands.Add(find);
            var reps = new NpgsqlBatchCommand($"SELECT rep_id, open_count, day_key, day_count, assigned_total FROM {_schema}.handoff_rep_load WHERE rep_id = ANY($1)");
            reps.Parameters.Add(new NpgsqlParameter { Value = state.Reps.Select(r => r.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            batch.BatchCommands.Add(reps);
            var pools = new NpgsqlBatchCommand($"SELECT pool_key, last_rep_id, member_ids, weights FROM {_schema}.handoff_pool WHERE pool_key = ANY($1)");
            pools.Parameters.Add(new NpgsqlParameter { Value = state.PoolKeys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            batch.BatchCommands.Add(pools);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            current = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAssignment(reader) : null;
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
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

        if (current is not null && (expectedEpoch is null ? !current.IsClosed : current.Epoch != expectedEpoch))
        {
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return current;
        }

        if (current is null && expectedEpoch is not null)
        {
            throw new InvalidOperationException($"Lead {leadId} has no handoff at epoch {expectedEpoch} to replace.");
        }

        await using var write = new NpgsqlBatch(conn, tx);
        if (current?.HoldsCapacity == true)
        {
            if (!state.TryRelease(current.Rep!.Value))
            {
                write.BatchCommands.Add(ReleaseCommand(current.Rep!.Value));
            }
        }

        var next = decide(current, state);
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
        AddStateWrites(write, state);
        if (RecordsDecisions)
        {
            var routed = new AlignmentDecision.Routed(next.Decision, next.DecidedAt);
            write.BatchCommands.Add(PostgreSqlDecisionOutbox.Insert(_schema, DecisionKeys.For(routed, next.Epoch), routed));
        }

        await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (BeforeCommit is { } hook)
        {
            await hook(conn, cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return next;
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
        await using var tx = await _timeouts.BeginAsync(conn, cancellationToken).ConfigureAwait(false);
        HandoffAssignment? current;
        await using (var batch = new NpgsqlBatch(conn, tx))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({_lockKey})"));
            var find = new NpgsqlBatchCommand($"SELECT {Columns} FROM {_schema}.handoff_assignment WHERE lead_id = $1");
            find.Parameters.Add(new NpgsqlParameter { Value = leadId.Value });
            batch.BatchCommands.Add(find);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            current = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAssignment(reader) : null;
        }

        if (current is null || current.Epoch != expectedEpoch)
        {
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }

        var next = update(current);
        if (next is null || next.LeadId != leadId || next.Epoch != expectedEpoch)
        {
            throw new InvalidOperationException($"The update of lead {leadId} must keep the lead and epoch {expectedEpoch}.");
        }

        await using var write = new NpgsqlBatch(conn, tx);
        write.BatchCommands.Add(UpsertAssignment(next));
        if (current.HoldsCapacity && !next.HoldsCapacity)
        {
            write.BatchCommands.Add(ReleaseCommand(current.Rep!.Value));
        }

        if (RecordsDecisions && decision?.Invoke(current, next) is { } made)
        {
            write.BatchCommands.Add(PostgreSqlDecisionOutbox.Insert(_schema, DecisionKeys.For(made, next.Epoch), made));
        }

        await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return next;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<HandoffAssignment>> ListAwaitingFirstTouchAsync(CancellationToken cancellationToken = default) =>
        _retry.RunAsync(ct => ListAwaitingFirstTouchOnceAsync(ct), cancellationToken);

    private async ValueTask<IReadOnlyList<HandoffAssignment>> ListAwaitingFirstTouchOnceAsync(CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM {_schema}.handoff_assignment WHERE status = 1 AND sla_due_at IS NOT NULL ORDER BY sla_due_at, lead_id", conn);
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

    private NpgsqlBatchCommand ReleaseCommand(RepId rep)
    {
        var cmd = new NpgsqlBatchCommand($"UPDATE {_schema}.handoff_rep_load SET open_count = GREATEST(open_count - 1, 0) WHERE rep_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = rep.Value });
        return cmd;
    }

    private void AddStateWrites(NpgsqlBatch batch, RoutingState state)
    {
        var loads = state.GetChangedRepLoads();
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

        foreach (var (poolKey, rotation) in state.GetChangedPoolRotations())
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

    private NpgsqlBatchCommand UpsertAssignment(HandoffAssignment a)
    {
        var cmd = new NpgsqlBatchCommand(
            $"""
            INSERT INTO {_schema}.handoff_assignment ({Columns})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30)
            ON CONFLICT (lead_id) DO UPDATE SET epoch = EXCLUDED.epoch, policy_id = EXCLUDED.policy_id, rule_id = EXCLUDED.rule_id, rep_id = EXCLUDED.rep_id,
                queue = EXCLUDED.queue, explanation = EXCLUDED.explanation, decided_at = EXCLUDED.decided_at, status = EXCLUDED.status, phase = EXCLUDED.phase,
                qualification = EXCLUDED.qualification, sla_due_at = EXCLUDED.sla_due_at, reassignments = EXCLUDED.reassignments, escalated = EXCLUDED.escalated,
                first_touch_at = EXCLUDED.first_touch_at, closed_at = EXCLUDED.closed_at, rejection = EXCLUDED.rejection, note = EXCLUDED.note,
                f_country = EXCLUDED.f_country, f_region = EXCLUDED.f_region, f_language = EXCLUDED.f_language, f_segment = EXCLUDED.f_segment,
                f_source = EXCLUDED.f_source, f_account = EXCLUDED.f_account, f_domain = EXCLUDED.f_domain, f_score = EXCLUDED.f_score,
                f_grade = EXCLUDED.f_grade, f_state = EXCLUDED.f_state, policy_version = EXCLUDED.policy_version, policy_hash = EXCLUDED.policy_hash
            """);
        var f = a.Facts;
        var p = cmd.Parameters;
        p.Add(new NpgsqlParameter { Value = a.LeadId.Value });
        p.Add(new NpgsqlParameter { Value = a.Epoch });
        p.Add(new NpgsqlParameter { Value = a.PolicyId });
        p.Add(new NpgsqlParameter { Value = a.Decision.RuleId });
        p.Add(Text(a.Rep?.Value));
        p.Add(Text(a.Decision is HandoffDecision.Queued q ? q.Queue : null));
        p.Add(new NpgsqlParameter { Value = a.Decision.Explanation });
        p.Add(new NpgsqlParameter { Value = a.DecidedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter { Value = (short)a.Status });
        p.Add(new NpgsqlParameter { Value = (short)a.Phase });
        p.Add(new NpgsqlParameter { Value = a.Qualification });
        p.Add(Time(a.SlaDueAt));
        p.Add(new NpgsqlParameter { Value = a.Reassignments });
        p.Add(new NpgsqlParameter { Value = a.Escalated });
        p.Add(Time(a.FirstTouchAt));
        p.Add(Time(a.ClosedAt));
        p.Add(new NpgsqlParameter { Value = a.Rejection is { } r ? (short)r : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
        p.Add(Text(a.Note));
        p.Add(Text(f.Country));
        p.Add(Text(f.Region));
        p.Add(Text(f.Language));
        p.Add(Text(f.Segment));
        p.Add(Text(f.Source));
        p.Add(Text(f.AccountId));
        p.Add(Text(f.Domain));
        p.Add(new NpgsqlParameter { Value = f.Score });
        p.Add(new NpgsqlParameter { Value = (short)f.Grade });
        p.Add(new NpgsqlParameter { Value = (short)f.State });
        p.Add(Text(a.Decision.Policy?.Version));
        p.Add(Text(a.Decision.Policy?.ContentHash));
        return cmd;
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Time(DateTimeOffset? value) =>
        new() { Value = value is { } v ? v.ToUniversalTime() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static HandoffAssignment ReadAssignment(NpgsqlDataReader r)
    {
        var leadId = new LeadId(r.GetString(0));
        string ruleId = r.GetString(3);
        string explanation = r.GetString(6);
        // A handoff saved before schema version 6 has no policy version and hash: its decision names no policy.
        var policy = r.IsDBNull(29) ? null : new ModelReference(r.GetString(2), NullableText(r, 28) ?? string.Empty, r.GetString(29));
        HandoffDecision decision = r.IsDBNull(4)
            ? new HandoffDecision.Queued(leadId, r.GetString(5), ruleId, explanation) { Policy = policy }
            : new HandoffDecision.Assigned(leadId, new RepId(r.GetString(4)), ruleId, explanation) { Policy = policy };
        var facts = new RoutingFacts(leadId)
        {
            Country = NullableText(r, 18),
            Region = NullableText(r, 19),
            Language = NullableText(r, 20),
            Segment = NullableText(r, 21),
            Source = NullableText(r, 22),
            AccountId = NullableText(r, 23),
            Domain = NullableText(r, 24),
            Score = r.GetDecimal(25),
            Grade = (Grade)r.GetInt16(26),
            State = (QualificationState)r.GetInt16(27),
        };
        return new HandoffAssignment(decision, facts, r.GetInt32(1), r.GetFieldValue<DateTimeOffset>(7), (HandoffStatus)r.GetInt16(8))
        {
            PolicyId = r.GetString(2),
            Phase = (RoutingPhase)r.GetInt16(9),
            Qualification = r.GetBoolean(10),
            SlaDueAt = NullableTime(r, 11),
            Reassignments = r.GetInt32(12),
            Escalated = r.GetBoolean(13),
            FirstTouchAt = NullableTime(r, 14),
            ClosedAt = NullableTime(r, 15),
            Rejection = r.IsDBNull(16) ? null : (RejectionReason)r.GetInt16(16),
            Note = NullableText(r, 17),
        };
    }

    private static string? NullableText(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
}
