using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Scoring;
using Alignment.Storage.PostgreSql.Decisions;
using Npgsql;
using NpgsqlTypes;

namespace Alignment.Storage.PostgreSql.Scoring;

/// <summary>
/// An <see cref="IScoreWatchStore"/> on PostgreSQL: one row per watched lead in <c>score_watch</c>, indexed by wake time so
/// "what is due" and "when is the next one" read the front of an index, never every lead.
/// </summary>
/// <remarks>
/// Thread-safe. Run <see cref="PostgreSqlAlignmentSchema.MigrateAsync"/> once at start-up. Crossing and retry times keep their
/// ticks and offset exactly. Versions come from one sequence, so a version is never reused, even after a watch is removed and set
/// again. Every call is one statement, retried on transient failures: <see cref="SetAsync"/> is idempotent, and a
/// <see cref="TryUpdateAsync"/> retried after its commit reply was lost recognises the watch it wrote (same state, crossing, owed
/// action and retry time at a later version, or removed) and answers <see langword="true"/>, so the caller still publishes the
/// crossings it moved past when the store does not record them.
/// </remarks>
public sealed class PostgreSqlScoreWatchStore : IScoreWatchStore
{
    private const string Columns = "lead_id, state, crossing_ticks, crossing_offset, owed_from, retry_ticks, retry_offset, version";
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly StoreRetry _retry;
    private readonly StoreTimeouts _timeouts;

    /// <summary>Creates the store.</summary>
    /// <param name="dataSource">The connection source (the host owns and disposes it).</param>
    /// <param name="schema">The schema the tables live in.</param>
    /// <param name="options">Timeouts and retries; <see langword="null"/> for the defaults.</param>
    /// <param name="recordDecisions">
    /// Whether to write the <see cref="AlignmentDecision.ScoreCrossed"/> of every update applied into the schema's
    /// <c>decision_outbox</c>, in the update's statement (<see cref="RecordsDecisions"/>), for a <see cref="DecisionRelay"/> over a
    /// <see cref="PostgreSqlDecisionOutbox"/> to deliver.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier, or an option is out of range.</exception>
    public PostgreSqlScoreWatchStore(NpgsqlDataSource dataSource, string schema = "alignment", PostgreSqlStoreOptions? options = null, bool recordDecisions = false)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        SchemaName.Validate(schema, nameof(schema));
        _dataSource = dataSource;
        _schema = schema;
        _timeouts = new StoreTimeouts(options, nameof(options));
        _retry = new StoreRetry(options, store: nameof(PostgreSqlScoreWatchStore));
        RecordsDecisions = recordDecisions;
    }

    /// <inheritdoc />
    public bool RecordsDecisions { get; }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public async ValueTask<ScoreWatch?> SetAsync(LeadId leadId, QualificationState state, DateTimeOffset? crossingAt, CancellationToken cancellationToken = default) =>
        (await _retry.RunAsync(ct => WriteOnceAsync(leadId, new ScoreWatchUpdate(state, crossingAt), expectedVersion: null, ct), cancellationToken).ConfigureAwait(false)).Watch;

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public async ValueTask<bool> TryUpdateAsync(ScoreWatch current, ScoreWatchUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(update);
        update.Validate(current);
        return await _retry.RunWriteAsync(
            async (write, ct) =>
            {
                var (changed, _) = await WriteOnceAsync(current.LeadId, update, current.Version, ct, write).ConfigureAwait(false);
                return changed || write.CommitInDoubt is null ? changed : await HoldsAsync(current, update, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// After a commit whose reply was lost: whether the watch holds what this update wrote (moved past the version read, with exactly
    /// this state, crossing, owed action and retry time; or removed), so the caller learns that its move, and the crossings recorded
    /// with it, were saved.
    /// </summary>
    private async ValueTask<bool> HoldsAsync(ScoreWatch current, ScoreWatchUpdate update, CancellationToken cancellationToken)
    {
        var found = await ReadAsync("WHERE lead_id = $1", current.LeadId.Value, null, 1, cancellationToken).ConfigureAwait(false);
        if (update.CrossingAt is null && update.RetryAt is null)
        {
            return found.Count == 0;
        }

        return found.Count == 1 && found[0] is var held && held.Version != current.Version && held.State == update.State
            && Same(held.CrossingAt, update.CrossingAt) && held.OwedFrom == update.OwedFrom && Same(held.RetryAt, update.RetryAt);
    }

    private static bool Same(DateTimeOffset? a, DateTimeOffset? b) =>
        a is { } x ? b is { } y && x.UtcTicks == y.UtcTicks && x.Offset == y.Offset : b is null;

    private async ValueTask<(bool Changed, ScoreWatch? Watch)> WriteOnceAsync(LeadId leadId, ScoreWatchUpdate update, long? expectedVersion, CancellationToken cancellationToken, StoreWrite? storeWrite = null)
    {
        string s = _schema;
        var watch = new ScoreWatch(leadId, update.State, update.CrossingAt, 0) { OwedFrom = update.OwedFrom, RetryAt = update.RetryAt };
        bool remove = update.CrossingAt is null && update.RetryAt is null;
        string write = (remove, expectedVersion) switch
        {
            (true, null) => $"DELETE FROM {s}.score_watch WHERE lead_id = $1 RETURNING version",
            (true, _) => $"DELETE FROM {s}.score_watch WHERE lead_id = $1 AND version = $6 RETURNING version",
            (false, null) => $"""
                INSERT INTO {s}.score_watch AS w (lead_id, state, wake_at, wake_ticks, wake_offset, crossing_ticks, crossing_offset, owed_from, retry_ticks, retry_offset, version)
                VALUES ($1, $2, $3, $4, $5, $7, $8, $9, $10, $11, nextval('{s}.score_watch_version'))
                ON CONFLICT (lead_id) DO UPDATE SET state = EXCLUDED.state, wake_at = EXCLUDED.wake_at, wake_ticks = EXCLUDED.wake_ticks,
                    wake_offset = EXCLUDED.wake_offset, crossing_ticks = EXCLUDED.crossing_ticks, crossing_offset = EXCLUDED.crossing_offset,
                    owed_from = EXCLUDED.owed_from, retry_ticks = EXCLUDED.retry_ticks, retry_offset = EXCLUDED.retry_offset, version = EXCLUDED.version
                RETURNING version
                """,
            _ => $"""
                UPDATE {s}.score_watch SET state = $2, wake_at = $3, wake_ticks = $4, wake_offset = $5, crossing_ticks = $7, crossing_offset = $8,
                    owed_from = $9, retry_ticks = $10, retry_offset = $11, version = nextval('{s}.score_watch_version')
                WHERE lead_id = $1 AND version = $6
                RETURNING version
                """,
        };

        // Recording: the crossings go into the outbox in the same statement, only when the watch moved.
        var crossings = RecordsDecisions && expectedVersion is not null ? update.Crossings : [];
        string sql = crossings.Count == 0
            ? write
            : $"""
                WITH moved AS ({write}),
                recorded AS (
                    INSERT INTO {s}.decision_outbox (key, lead_id, kind, payload)
                    SELECT c.key, $1, c.kind, c.payload::jsonb FROM unnest($12::text[], $13::text[], $14::text[]) WITH ORDINALITY AS c (key, kind, payload, n)
                    WHERE EXISTS (SELECT 1 FROM moved) ORDER BY c.n
                    ON CONFLICT (key) DO NOTHING)
                SELECT version FROM moved
                """;
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = _timeouts.CreateBatch(conn);
        var cmd = new NpgsqlBatchCommand(sql);
        var wake = remove ? default : watch.WakeAt;
        cmd.Parameters.Add(new NpgsqlParameter { Value = leadId.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (short)update.State, NpgsqlDbType = NpgsqlDbType.Smallint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = wake.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = wake.UtcTicks, NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (short)wake.TotalOffsetMinutes, NpgsqlDbType = NpgsqlDbType.Smallint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = expectedVersion ?? 0L, NpgsqlDbType = NpgsqlDbType.Bigint });
        AddInstant(cmd, update.CrossingAt);
        cmd.Parameters.Add(new NpgsqlParameter { Value = update.OwedFrom is { } owed ? (short)owed : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
        AddInstant(cmd, update.RetryAt);
        if (crossings.Count > 0)
        {
            var payloads = crossings.Select(c => (Key: DecisionKeys.For(c, c.CrossedAt.UtcTicks), Payload: DecisionPayload.Write(c))).ToArray();
            cmd.Parameters.Add(new NpgsqlParameter { Value = payloads.Select(p => p.Key).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter { Value = payloads.Select(p => p.Payload.Kind).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter { Value = payloads.Select(p => p.Payload.Json).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        }

        batch.BatchCommands.Add(cmd);
        storeWrite?.Committing();
        bool found;
        long version = 0;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // past the timeouts' result
            found = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            version = found && !remove ? reader.GetInt64(0) : 0;
        }

        storeWrite?.Committed();
        return remove || !found ? (found, null) : (true, watch with { Version = version });
    }

    private static void AddInstant(NpgsqlBatchCommand cmd, DateTimeOffset? at)
    {
        cmd.Parameters.Add(new NpgsqlParameter { Value = at is { } t ? t.UtcTicks : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = at is { } o ? (short)o.TotalOffsetMinutes : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<ScoreWatch?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default) =>
        _retry.RunAsync(
            async ct =>
            {
                var found = await ReadAsync($"WHERE lead_id = $1", leadId.Value, null, 1, ct).ConfigureAwait(false);
                return found.Count == 0 ? null : found[0];
            },
            cancellationToken);

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<IReadOnlyList<ScoreWatch>> GetDueAsync(DateTimeOffset asOf, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        return _retry.RunAsync(ct => ReadAsync("WHERE wake_ticks <= $2 ORDER BY wake_ticks, lead_id", null, asOf.UtcTicks, maxCount, ct), cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public async ValueTask<DateTimeOffset?> GetNextWakeAsync(CancellationToken cancellationToken = default)
    {
        var first = await _retry.RunAsync(ct => ReadAsync("ORDER BY wake_ticks, lead_id", null, null, 1, ct), cancellationToken).ConfigureAwait(false);
        return first.Count == 0 ? null : first[0].WakeAt;
    }

    private async ValueTask<IReadOnlyList<ScoreWatch>> ReadAsync(string where, string? lead, long? ticks, int limit, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM {_schema}.score_watch {where} LIMIT $3", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = lead ?? string.Empty, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ticks ?? 0L, NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = limit, NpgsqlDbType = NpgsqlDbType.Integer });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<ScoreWatch>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new ScoreWatch(new LeadId(reader.GetString(0)), (QualificationState)reader.GetInt16(1), Instant(reader, 2), reader.GetInt64(7))
            {
                OwedFrom = reader.IsDBNull(4) ? null : (QualificationState)reader.GetInt16(4),
                RetryAt = Instant(reader, 5),
            });
        }

        return list;
    }

    /// <summary>The instant kept as UTC ticks (column <paramref name="ordinal"/>) and offset minutes (the next column), or <see langword="null"/>.</summary>
    private static DateTimeOffset? Instant(NpgsqlDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        var offset = TimeSpan.FromMinutes(reader.GetInt16(ordinal + 1));
        return new DateTimeOffset(reader.GetInt64(ordinal) + offset.Ticks, offset);
    }
}
