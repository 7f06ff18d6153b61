using Alignment.Decisions;
using System.Runtime.CompilerServices;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Nurture;
using Alignment.Policies.Nurture;
using Alignment.Segmentation;
using Alignment.Storage.PostgreSql.Decisions;
using Npgsql;
using NpgsqlTypes;

namespace Alignment.Storage.PostgreSql.Nurture;

/// <summary>
/// An <see cref="INurtureStore"/> on PostgreSQL, for CRMs that run the nurture scheduler on several hosts at once. Each lead's
/// latest enrolment is one row; its due key (the due time, or the lease expiry while leased) is indexed, so "what is due now" is an
/// index range scan. Claims take due rows with <c>FOR UPDATE SKIP LOCKED</c> and lease them in the same statement, so two
/// instances asking at once never get the same step; sent steps have a primary key on (enrolment, step), so a step is recorded once.
/// </summary>
/// <remarks>Thread-safe. Call <see cref="MigrateAsync"/> once at start-up (it is idempotent). Register it as the
/// <see cref="INurtureStore"/> before <c>AddNurture</c> (which only adds the in-memory store when none is registered).</remarks>
public sealed class PostgreSqlNurtureStore : INurtureStore
{
    private const string Columns = "lead_id, sequence, track_id, reason, segment, campaign, enrolled_at, policy_version, next_step, next_due_at, status, status_reason, ended_at, version, lease_owner, lease_until, policy_id, policy_hash";
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly StoreTimeouts _timeouts;
    private readonly StoreRetry _retry;

    /// <summary>Creates the store.</summary>
    /// <param name="dataSource">The connection source (the host owns and disposes it).</param>
    /// <param name="schema">The schema the tables live in.</param>
    /// <param name="options">The timeouts of its write transactions; <see langword="null"/> for the defaults (read once, here).</param>
    /// <param name="recordDecisions">
    /// Whether to write an <see cref="AlignmentDecision.Enrolled"/> for every enrolment inserted into the schema's
    /// <c>decision_outbox</c>, in the insert's transaction (<see cref="RecordsDecisions"/>), for a <see cref="DecisionRelay"/> over a
    /// <see cref="PostgreSqlDecisionOutbox"/> to deliver.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier, or an option is out of range; or <paramref name="dataSource"/> multiplexes (<c>Multiplexing=true</c>).</exception>
    public PostgreSqlNurtureStore(NpgsqlDataSource dataSource, string schema = "alignment", PostgreSqlStoreOptions? options = null, bool recordDecisions = false)
    {
        RecordsDecisions = recordDecisions;
        ArgumentNullException.ThrowIfNull(dataSource);
        StoreTimeouts.ThrowIfMultiplexing(dataSource, nameof(PostgreSqlNurtureStore), nameof(dataSource));
        SchemaName.Validate(schema, nameof(schema));

        _dataSource = dataSource;
        _schema = schema;
        _timeouts = new StoreTimeouts(options, nameof(options));
        _retry = new StoreRetry(options, store: nameof(PostgreSqlNurtureStore));
    }

    /// <summary>Test seam: the retry pipeline every call of the store runs through.</summary>
    internal StoreRetry Retry => _retry;

    /// <inheritdoc />
    public bool RecordsDecisions { get; }

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
    public ValueTask<NurtureEnrolmentRecord?> FindLatestAsync(LeadId leadId, CancellationToken cancellationToken = default) =>
        _retry.RunAsync(ct => FindLatestOnceAsync(leadId, ct), cancellationToken);

    private async ValueTask<NurtureEnrolmentRecord?> FindLatestOnceAsync(LeadId leadId, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM {_schema}.nurture_enrolment WHERE lead_id = $1", conn);
        cmd.Parameters.Add(Text(leadId.Value));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// A retry after a commit whose reply was lost recognises the enrolment the earlier attempt inserted (the lead's enrolment of
    /// that sequence, live or archived, has this record's track, reason, segment, campaign, enrolment time and policy version,
    /// whatever happened to it since) and returns <see langword="true"/>, so the caller still publishes the enrolment.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="NpgsqlException">The database failed after the retries. Nothing was saved, unless the connection was lost during the commit itself.</exception>
    public ValueTask<bool> TryInsertAsync(NurtureEnrolmentRecord record, CancellationToken cancellationToken = default) =>
        _retry.RunWriteAsync((write, ct) => TryInsertOnceAsync(record, write, ct), cancellationToken);

    private async ValueTask<bool> TryInsertOnceAsync(NurtureEnrolmentRecord record, StoreWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (record.Sequence == 1 && await TryInsertFirstAsync(conn, record, write, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        // Two round trips: BEGIN, the settings and the lead's row, locked; then the archive, the insert, the decision and COMMIT.
        int? status = null, sequence = null;
        await using (var first = new NpgsqlBatch(conn))
        {
            _timeouts.AddBegin(first);
            var find = new NpgsqlBatchCommand($"SELECT status, sequence FROM {_schema}.nurture_enrolment WHERE lead_id = $1 FOR UPDATE");
            find.Parameters.Add(Text(record.LeadId.Value));
            first.BatchCommands.Add(find);
            await using var reader = await first.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // past the settings
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                status = reader.GetInt16(0);
                sequence = reader.GetInt32(1);
            }
        }

        if (status is { } st && (st != (int)NurtureEnrolmentStatus.Ended || record.Sequence <= sequence))
        {
            // Only this record's sequence, inserted by an earlier attempt of this call, counts as success.
            bool ours = write.CommitInDoubt is not null && record.Sequence <= sequence && await HoldsInsertedAsync(conn, record, cancellationToken).ConfigureAwait(false);
            await StoreTimeouts.EndAsync(conn, commit: false, cancellationToken).ConfigureAwait(false);
            return ours;
        }

        try
        {
            await using var batch = new NpgsqlBatch(conn);
            if (status is not null)
            {
                batch.BatchCommands.Add(ArchiveCommand(record.LeadId));
                var delete = new NpgsqlBatchCommand($"DELETE FROM {_schema}.nurture_enrolment WHERE lead_id = $1");
                delete.Parameters.Add(Text(record.LeadId.Value));
                batch.BatchCommands.Add(delete);
            }

            var insert = new NpgsqlBatchCommand($"INSERT INTO {_schema}.nurture_enrolment ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)");
            Bind(insert.Parameters, record with { Version = 1 });
            batch.BatchCommands.Add(insert);
            if (RecordsDecisions)
            {
                var enrolled = new AlignmentDecision.Enrolled(record.ToEnrolment()) { Policy = record.Policy };
                batch.BatchCommands.Add(PostgreSqlDecisionOutbox.Insert(_schema, DecisionKeys.For(enrolled, record.Sequence), enrolled));
            }

            batch.BatchCommands.Add(StoreTimeouts.Commit());
            write.Committing();
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            write.Committed();
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another instance enrolled the lead first.
            await StoreTimeouts.EndAsync(conn, commit: false, cancellationToken).ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>
    /// A lead's first enrolment (a lead never enrolled has no row) in one round trip, with its decision only when it inserted. False
    /// when the lead has a row: the caller takes the locked path (which also recognises an earlier attempt's insert).</summary>
    private async Task<bool> TryInsertFirstAsync(NpgsqlConnection conn, NurtureEnrolmentRecord record, StoreWrite write, CancellationToken cancellationToken)
    {
        await using var batch = _timeouts.CreateBatch(conn);
        string insert = $"INSERT INTO {_schema}.nurture_enrolment ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) ON CONFLICT (lead_id) DO NOTHING";
        var cmd = new NpgsqlBatchCommand(RecordsDecisions ? PostgreSqlDecisionOutbox.RecordIfChanged(_schema, insert, 18) : insert);
        Bind(cmd.Parameters, record with { Version = 1 });
        if (RecordsDecisions)
        {
            var enrolled = new AlignmentDecision.Enrolled(record.ToEnrolment()) { Policy = record.Policy };
            PostgreSqlDecisionOutbox.AddParameters(cmd.Parameters, DecisionKeys.For(enrolled, record.Sequence), enrolled);
        }

        return await PostgreSqlDecisionOutbox.RunChangingAsync(batch, cmd, RecordsDecisions, write, cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    /// <remarks>
    /// A retry after a commit whose reply was lost recognises the change the earlier attempt saved (the enrolment, live or
    /// archived by the track change, is at version <paramref name="expectedVersion"/> + 1 with exactly this record's content)
    /// and returns <see langword="true"/>, so the caller still publishes what it decided. It returns <see langword="false"/> when
    /// another writer's change holds that version; when the enrolment has moved past it (a claim or another change came after),
    /// which write made that version is unknown, and the call throws instead.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="successor"/> is not the lead's next enrolment, or <paramref name="record"/> does not end when <paramref name="successor"/> is given.</exception>
    /// <exception cref="NpgsqlException">The database failed after the retries (nothing was saved, unless the connection was lost during the commit itself); or the connection was lost during the commit and the enrolment changed again before the retry could tell whether this call's change was saved (the message names the store and the lead; read the lead again).</exception>
    public ValueTask<bool> TryUpdateAsync(NurtureEnrolmentRecord record, int expectedVersion, NurtureEnrolmentRecord? successor = null, AlignmentDecision? decision = null, CancellationToken cancellationToken = default) =>
        _retry.RunWriteAsync((write, ct) => TryUpdateOnceAsync(record, expectedVersion, successor, decision, write, ct), cancellationToken);

    private async ValueTask<bool> TryUpdateOnceAsync(NurtureEnrolmentRecord record, int expectedVersion, NurtureEnrolmentRecord? successor, AlignmentDecision? decision, StoreWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (successor is not null && (successor.LeadId != record.LeadId || successor.Sequence != record.Sequence + 1 || record.IsOnTrack))
        {
            throw new ArgumentException($"Lead {record.LeadId}: the next enrolment must be the same lead's sequence {record.Sequence + 1}, and the current one must end.", nameof(successor));
        }

        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await _timeouts.BeginAsync(conn, cancellationToken).ConfigureAwait(false);
        await using (var update = new NpgsqlCommand(
            $"""
            UPDATE {_schema}.nurture_enrolment SET track_id = $3, reason = $4, segment = $5, campaign = $6, enrolled_at = $7, policy_version = $8, next_step = $9,
                next_due_at = $10, status = $11, status_reason = $12, ended_at = $13, version = $14, lease_owner = $15, lease_until = $16,
                policy_id = $17, policy_hash = $18
            WHERE lead_id = $1 AND sequence = $2 AND version = $19
            """,
            conn,
            tx))
        {
            Bind(update, record with { Version = expectedVersion + 1 });
            update.Parameters.Add(new NpgsqlParameter { Value = expectedVersion, NpgsqlDbType = NpgsqlDbType.Integer });
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                return write.CommitInDoubt is not null && await HoldsUpdatedAsync(conn, tx, record with { Version = expectedVersion + 1 }, write, cancellationToken).ConfigureAwait(false);
            }
        }

        if (decision is not null && RecordsDecisions)
        {
            await using var batch = new NpgsqlBatch(conn, tx);
            batch.BatchCommands.Add(PostgreSqlDecisionOutbox.Insert(_schema, DecisionKeys.For(decision), decision));
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (successor is not null)
        {
            await ArchiveAsync(conn, tx, record.LeadId, cancellationToken).ConfigureAwait(false);
            await using var next = new NpgsqlCommand(
                $"""
                UPDATE {_schema}.nurture_enrolment SET sequence = $2, track_id = $3, reason = $4, segment = $5, campaign = $6, enrolled_at = $7, policy_version = $8,
                    next_step = $9, next_due_at = $10, status = $11, status_reason = $12, ended_at = $13, version = $14, lease_owner = $15, lease_until = $16,
                    policy_id = $17, policy_hash = $18
                WHERE lead_id = $1
                """,
                conn,
                tx);
            Bind(next, successor with { Version = 1 });
            await next.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await RecordEnrolledAsync(conn, tx, successor, cancellationToken).ConfigureAwait(false);
        }

        write.Committing();
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        write.Committed();
        return true;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<NurtureDueItem>> PeekDueAsync(DateTimeOffset asOf, int maxCount, CancellationToken cancellationToken = default) =>
        _retry.RunAsync(ct => PeekDueOnceAsync(asOf, maxCount, ct), cancellationToken);

    private async ValueTask<IReadOnlyList<NurtureDueItem>> PeekDueOnceAsync(DateTimeOffset asOf, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT lead_id, sequence, track_id, next_step, next_due_at FROM {_schema}.nurture_enrolment WHERE due_key <= $1 ORDER BY due_key, lead_id LIMIT $2", conn);
        cmd.Parameters.Add(Time(asOf));
        cmd.Parameters.Add(new NpgsqlParameter { Value = maxCount, NpgsqlDbType = NpgsqlDbType.Integer });
        var result = new List<NurtureDueItem>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var leadId = new LeadId(reader.GetString(0));
            result.Add(new NurtureDueItem(leadId, $"{leadId}:{reader.GetInt32(1)}", reader.GetString(2), reader.GetInt32(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return result;
    }

    /// <inheritdoc />
    /// <remarks>
    /// A retry after a commit whose reply was lost gets back the enrolments the earlier attempt leased (those leased to
    /// <paramref name="owner"/> until exactly <paramref name="leaseUntil"/>, first, their version not raised again), so they are
    /// not stranded until the lease expires. Only the lease this call wrote is taken back: another call of the same owner (the
    /// default instance id is shared by a process's engines) keeps the enrolments it is handling.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="owner"/> is empty.</exception>
    public ValueTask<IReadOnlyList<NurtureEnrolmentRecord>> ClaimDueAsync(DateTimeOffset asOf, int maxCount, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
        _retry.RunWriteAsync((write, ct) => ClaimDueOnceAsync(asOf, maxCount, owner, leaseUntil, write, ct), cancellationToken);

    private async ValueTask<IReadOnlyList<NurtureEnrolmentRecord>> ClaimDueOnceAsync(DateTimeOffset asOf, int maxCount, string owner, DateTimeOffset leaseUntil, StoreWrite write, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = _timeouts.CreateBatch(conn);
        // After a commit in doubt, the leases the earlier attempt may have taken come first (this call's owner and expiry).
        const string Own = "lease_owner = $3 AND lease_until = $4";
        var cmd = new NpgsqlBatchCommand(write.CommitInDoubt is null
            ? $"""
              UPDATE {_schema}.nurture_enrolment e SET lease_owner = $3, lease_until = $4, version = e.version + 1
              FROM (SELECT lead_id FROM {_schema}.nurture_enrolment WHERE due_key <= $1 ORDER BY due_key, lead_id LIMIT $2 FOR UPDATE SKIP LOCKED) due
              WHERE e.lead_id = due.lead_id
              RETURNING {string.Join(", ", Columns.Split(", ").Select(c => "e." + c))}
              """
            : $"""
              UPDATE {_schema}.nurture_enrolment e SET lease_owner = $3, lease_until = $4, version = e.version + CASE WHEN e.lease_owner = $3 AND e.lease_until = $4 THEN 0 ELSE 1 END
              FROM (SELECT lead_id FROM {_schema}.nurture_enrolment WHERE due_key <= $1 OR ({Own} AND due_key IS NOT NULL)
                    ORDER BY ({Own}) IS TRUE DESC, due_key, lead_id LIMIT $2 FOR UPDATE SKIP LOCKED) due
              WHERE e.lead_id = due.lead_id
              RETURNING {string.Join(", ", Columns.Split(", ").Select(c => "e." + c))}
              """);
        cmd.Parameters.Add(Time(asOf));
        cmd.Parameters.Add(new NpgsqlParameter { Value = maxCount, NpgsqlDbType = NpgsqlDbType.Integer });
        cmd.Parameters.Add(Text(owner));
        cmd.Parameters.Add(Time(leaseUntil));
        batch.BatchCommands.Add(cmd);
        var claimed = new List<NurtureEnrolmentRecord>();
        write.Committing();
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // past the timeouts' row
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                claimed.Add(Read(reader));
            }
        }

        write.Committed();

        claimed.Sort(static (a, b) => a.NextDueAt!.Value != b.NextDueAt!.Value ? a.NextDueAt.Value.CompareTo(b.NextDueAt.Value) : string.CompareOrdinal(a.LeadId.Value, b.LeadId.Value));
        return claimed;
    }

    /// <inheritdoc />
    /// <remarks>
    /// A retry after a commit whose reply was lost recognises the step the earlier attempt recorded (same step, sending time,
    /// content and explanation) and returns <see langword="true"/>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="sent"/> is null.</exception>
    /// <exception cref="NpgsqlException">The database failed after the retries. Nothing was saved, unless the connection was lost during the commit itself.</exception>
    public ValueTask<bool> TryRecordSentAsync(NurtureSentStep sent, CancellationToken cancellationToken = default) =>
        _retry.RunWriteAsync((write, ct) => TryRecordSentOnceAsync(sent, write, ct), cancellationToken);

    private async ValueTask<bool> TryRecordSentOnceAsync(NurtureSentStep sent, StoreWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sent);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = _timeouts.CreateBatch(conn);
        string insert = $"INSERT INTO {_schema}.nurture_sent_step (enrolment_id, step_index, lead_id, track_id, step_id, kind, content_id, sent_at, explanation, policy_id, policy_version, policy_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING";

        // Recording, the step's NurtureStepSent is written in the same statement, and only when the step was recorded now.
        var cmd = new NpgsqlBatchCommand(RecordsDecisions ? PostgreSqlDecisionOutbox.RecordIfChanged(_schema, insert, 12) : insert);
        cmd.Parameters.Add(Text(sent.EnrolmentId));
        cmd.Parameters.Add(new NpgsqlParameter { Value = sent.StepIndex, NpgsqlDbType = NpgsqlDbType.Integer });
        cmd.Parameters.Add(Text(sent.LeadId.Value));
        cmd.Parameters.Add(Text(sent.TrackId));
        cmd.Parameters.Add(Text(sent.StepId));
        cmd.Parameters.Add(new NpgsqlParameter { Value = (short)sent.Kind, NpgsqlDbType = NpgsqlDbType.Smallint });
        cmd.Parameters.Add(Text(sent.ContentId));
        cmd.Parameters.Add(Time(sent.SentAt));
        cmd.Parameters.Add(Text(sent.Explanation));
        cmd.Parameters.Add(Text(sent.Policy?.Id));
        cmd.Parameters.Add(Text(sent.Policy?.Version));
        cmd.Parameters.Add(Text(sent.Policy?.ContentHash));
        var own = cmd.Parameters.Cast<NpgsqlParameter>().Select(p => p.Clone()).ToList();
        if (RecordsDecisions)
        {
            var decision = sent.ToDecision();
            PostgreSqlDecisionOutbox.AddParameters(cmd.Parameters, DecisionKeys.For(decision), decision);
        }

        int recorded = await PostgreSqlDecisionOutbox.RunChangingAsync(batch, cmd, RecordsDecisions, write, cancellationToken).ConfigureAwait(false);
        if (recorded == 1 || write.CommitInDoubt is null)
        {
            return recorded == 1;
        }

        await using var check = new NpgsqlCommand(
            $"SELECT EXISTS (SELECT 1 FROM {_schema}.nurture_sent_step WHERE enrolment_id = $1 AND step_index = $2 AND lead_id = $3 AND track_id = $4 AND step_id = $5 AND kind = $6 AND content_id IS NOT DISTINCT FROM $7 AND sent_at = $8 AND explanation = $9 AND policy_id IS NOT DISTINCT FROM $10 AND policy_version IS NOT DISTINCT FROM $11 AND policy_hash IS NOT DISTINCT FROM $12)",
            conn);
        foreach (var p in own)
        {
            check.Parameters.Add(p);
        }

        return (bool)(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public ValueTask<bool> WasSentAsync(string enrolmentId, int stepIndex, CancellationToken cancellationToken = default) =>
        _retry.RunAsync(ct => WasSentOnceAsync(enrolmentId, stepIndex, ct), cancellationToken);

    private async ValueTask<bool> WasSentOnceAsync(string enrolmentId, int stepIndex, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {_schema}.nurture_sent_step WHERE enrolment_id = $1 AND step_index = $2)", conn);
        cmd.Parameters.Add(Text(enrolmentId));
        cmd.Parameters.Add(new NpgsqlParameter { Value = stepIndex, NpgsqlDbType = NpgsqlDbType.Integer });
        return (bool)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<NurtureSentStep>> ListSentAsync(LeadId leadId, CancellationToken cancellationToken = default) =>
        _retry.RunAsync(ct => ListSentOnceAsync(leadId, ct), cancellationToken);

    private async ValueTask<IReadOnlyList<NurtureSentStep>> ListSentOnceAsync(LeadId leadId, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(
            $"SELECT enrolment_id, lead_id, track_id, step_index, step_id, kind, content_id, sent_at, explanation, policy_id, policy_version, policy_hash FROM {_schema}.nurture_sent_step WHERE lead_id = $1 ORDER BY sent_at, enrolment_id, step_index",
            conn);
        cmd.Parameters.Add(Text(leadId.Value));
        var result = new List<NurtureSentStep>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new NurtureSentStep(
                reader.GetString(0),
                new LeadId(reader.GetString(1)),
                reader.GetString(2),
                reader.GetInt32(3),
                reader.GetString(4),
                (NurtureStepKind)reader.GetInt16(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetString(8))
            {
                Policy = reader.IsDBNull(9) || reader.IsDBNull(10) || reader.IsDBNull(11) ? null : new ModelReference(reader.GetString(9), reader.GetString(10), reader.GetString(11)),
            });
        }

        return result;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<NurtureEnrolmentRecord> ListLatestAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM {_schema}.nurture_enrolment", conn);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return Read(reader);
        }
    }

    /// <summary>Whether the lead's enrolment of <paramref name="record"/>'s sequence, live or archived, is the one <paramref name="record"/> describes.</summary>
    private async Task<bool> HoldsInsertedAsync(NpgsqlConnection conn, NurtureEnrolmentRecord record, CancellationToken cancellationToken)
    {
        // What an insert sets and later changes of the enrolment keep (they change its step, due time, status and lease).
        const string Same = "lead_id = $1 AND sequence = $2 AND track_id = $3 AND reason = $4 AND segment IS NOT DISTINCT FROM $5 AND campaign IS NOT DISTINCT FROM $6 AND enrolled_at = $7 AND policy_version = $8 AND policy_hash IS NOT DISTINCT FROM $18";
        await using var cmd = new NpgsqlCommand(
            $"SELECT EXISTS (SELECT 1 FROM {_schema}.nurture_enrolment WHERE {Same}) OR EXISTS (SELECT 1 FROM {_schema}.nurture_enrolment_history WHERE {Same})",
            conn);
        Bind(cmd, record);
        return (bool)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Whether the lead's enrolment of <paramref name="written"/>'s sequence, live or archived, is <paramref name="written"/> at its
    /// version. Throws when it has moved past that version: who wrote that version can no longer be told.
    /// </summary>
    private async Task<bool> HoldsUpdatedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, NurtureEnrolmentRecord written, StoreWrite write, CancellationToken cancellationToken)
    {
        const string Same = """
            track_id = $3 AND reason = $4 AND segment IS NOT DISTINCT FROM $5 AND campaign IS NOT DISTINCT FROM $6 AND enrolled_at = $7 AND policy_version = $8
                AND next_step = $9 AND next_due_at IS NOT DISTINCT FROM $10 AND status = $11 AND status_reason IS NOT DISTINCT FROM $12
                AND ended_at IS NOT DISTINCT FROM $13 AND lease_owner IS NOT DISTINCT FROM $15 AND lease_until IS NOT DISTINCT FROM $16
                AND policy_id IS NOT DISTINCT FROM $17 AND policy_hash IS NOT DISTINCT FROM $18
            """;
        await using var cmd = new NpgsqlCommand(
            $"""
            SELECT version, {Same} FROM {_schema}.nurture_enrolment WHERE lead_id = $1 AND sequence = $2
            UNION ALL SELECT version, {Same} FROM {_schema}.nurture_enrolment_history WHERE lead_id = $1 AND sequence = $2
            """,
            conn,
            tx);
        Bind(cmd, written);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        int version = reader.GetInt32(0);
        if (version > written.Version)
        {
            throw write.OutcomeUnknown(
                $"{nameof(PostgreSqlNurtureStore)}.{nameof(TryUpdateAsync)}, lead {written.LeadId}: the connection was lost while committing enrolment {written.EnrolmentId} at version {written.Version}, " +
                $"and the retry found it at version {version}, so whether this call's change was saved is unknown. Read the lead again.");
        }

        return version == written.Version && reader.GetBoolean(1);
    }

    private NpgsqlBatchCommand ArchiveCommand(LeadId leadId)
    {
        var archive = new NpgsqlBatchCommand(
            $"INSERT INTO {_schema}.nurture_enrolment_history ({Columns}) SELECT {Columns} FROM {_schema}.nurture_enrolment WHERE lead_id = $1 ON CONFLICT DO NOTHING");
        archive.Parameters.Add(Text(leadId.Value));
        return archive;
    }

    private async Task ArchiveAsync(NpgsqlConnection conn, NpgsqlTransaction tx, LeadId leadId, CancellationToken cancellationToken)
    {
        await using var archive = new NpgsqlCommand(
            $"INSERT INTO {_schema}.nurture_enrolment_history ({Columns}) SELECT {Columns} FROM {_schema}.nurture_enrolment WHERE lead_id = $1 ON CONFLICT DO NOTHING",
            conn,
            tx);
        archive.Parameters.Add(Text(leadId.Value));
        await archive.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Bind(NpgsqlCommand cmd, NurtureEnrolmentRecord r) => Bind(cmd.Parameters, r);

    private static void Bind(NpgsqlParameterCollection p, NurtureEnrolmentRecord r)
    {
        p.Add(Text(r.LeadId.Value));
        p.Add(new NpgsqlParameter { Value = r.Sequence, NpgsqlDbType = NpgsqlDbType.Integer });
        p.Add(Text(r.TrackId));
        p.Add(new NpgsqlParameter { Value = (short)r.Reason, NpgsqlDbType = NpgsqlDbType.Smallint });
        p.Add(Text(r.Segment?.Value));
        p.Add(Text(r.Campaign));
        p.Add(Time(r.EnrolledAt));
        p.Add(Text(r.PolicyVersion));
        p.Add(new NpgsqlParameter { Value = r.NextStep, NpgsqlDbType = NpgsqlDbType.Integer });
        p.Add(Time(r.NextDueAt));
        p.Add(new NpgsqlParameter { Value = (short)r.Status, NpgsqlDbType = NpgsqlDbType.Smallint });
        p.Add(Text(r.StatusReason));
        p.Add(Time(r.EndedAt));
        p.Add(new NpgsqlParameter { Value = r.Version, NpgsqlDbType = NpgsqlDbType.Integer });
        p.Add(Text(r.LeaseOwner));
        p.Add(Time(r.LeaseUntil));
        p.Add(Text(r.Policy?.Id));
        p.Add(Text(r.Policy?.ContentHash));
    }

    private static NurtureEnrolmentRecord Read(NpgsqlDataReader reader) => new()
    {
        LeadId = new LeadId(reader.GetString(0)),
        Sequence = reader.GetInt32(1),
        TrackId = reader.GetString(2),
        Reason = (NurtureEntryReason)reader.GetInt16(3),
        Segment = reader.IsDBNull(4) ? null : new SegmentId(reader.GetString(4)),
        Campaign = reader.IsDBNull(5) ? null : reader.GetString(5),
        EnrolledAt = reader.GetFieldValue<DateTimeOffset>(6),
        PolicyVersion = reader.GetString(7),
        NextStep = reader.GetInt32(8),
        NextDueAt = reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
        Status = (NurtureEnrolmentStatus)reader.GetInt16(10),
        StatusReason = reader.IsDBNull(11) ? null : reader.GetString(11),
        EndedAt = reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
        Version = reader.GetInt32(13),
        LeaseOwner = reader.IsDBNull(14) ? null : reader.GetString(14),
        LeaseUntil = reader.IsDBNull(15) ? null : reader.GetFieldValue<DateTimeOffset>(15),
        Policy = reader.IsDBNull(16) || reader.IsDBNull(17) ? null : new ModelReference(reader.GetString(16), reader.GetString(7), reader.GetString(17)),
    };

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Time(DateTimeOffset? value) =>
        new() { Value = value is { } v ? v.ToUniversalTime() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    /// <summary>Writes the <see cref="AlignmentDecision.Enrolled"/> of an inserted enrolment into the outbox, in the caller's transaction.</summary>
    private async Task RecordEnrolledAsync(NpgsqlConnection conn, NpgsqlTransaction tx, NurtureEnrolmentRecord record, CancellationToken cancellationToken)
    {
        if (!RecordsDecisions)
        {
            return;
        }

        var enrolled = new AlignmentDecision.Enrolled(record.ToEnrolment()) { Policy = record.Policy };
        await using var batch = new NpgsqlBatch(conn, tx);
        batch.BatchCommands.Add(PostgreSqlDecisionOutbox.Insert(_schema, DecisionKeys.For(enrolled, record.Sequence), enrolled));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
