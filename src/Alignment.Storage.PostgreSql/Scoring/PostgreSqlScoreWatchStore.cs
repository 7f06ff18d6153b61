using Alignment.Leads;
using Alignment.Scoring;
using Npgsql;
using NpgsqlTypes;

namespace Alignment.Storage.PostgreSql.Scoring;

/// <summary>
/// An <see cref="IScoreWatchStore"/> on PostgreSQL: one row per watched lead in <c>score_watch</c>, indexed by wake time so
/// "what is due" and "when is the next one" read the front of an index, never every lead.
/// </summary>
/// <remarks>
/// Thread-safe. Run <see cref="PostgreSqlAlignmentSchema.MigrateAsync"/> once at start-up. Wake times keep their ticks and
/// offset exactly. Versions come from one sequence, so a version is never reused, even after a watch is removed and set again.
/// Every call is one statement, retried on transient failures: <see cref="SetAsync"/> is idempotent, and a
/// <see cref="TryUpdateAsync"/> retried after its commit was lost answers <see langword="false"/> (the version moved), which the
/// caller treats like any concurrent change.
/// </remarks>
public sealed class PostgreSqlScoreWatchStore : IScoreWatchStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly StoreRetry _retry;
    private readonly StoreTimeouts _timeouts;

    /// <summary>Creates the store.</summary>
    /// <param name="dataSource">The connection source (the host owns and disposes it).</param>
    /// <param name="schema">The schema the tables live in.</param>
    /// <param name="options">Timeouts and retries; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier, or an option is out of range.</exception>
    public PostgreSqlScoreWatchStore(NpgsqlDataSource dataSource, string schema = "alignment", PostgreSqlStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        SchemaName.Validate(schema, nameof(schema));
        _dataSource = dataSource;
        _schema = schema;
        _timeouts = new StoreTimeouts(options, nameof(options));
        _retry = new StoreRetry(options, store: nameof(PostgreSqlScoreWatchStore));
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public async ValueTask<ScoreWatch?> SetAsync(LeadId leadId, QualificationState state, DateTimeOffset? wakeAt, CancellationToken cancellationToken = default) =>
        (await _retry.RunAsync(ct => WriteOnceAsync(leadId, state, wakeAt, expectedVersion: null, ct), cancellationToken).ConfigureAwait(false)).Watch;

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public async ValueTask<bool> TryUpdateAsync(ScoreWatch current, QualificationState state, DateTimeOffset? wakeAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        return (await _retry.RunAsync(ct => WriteOnceAsync(current.LeadId, state, wakeAt, current.Version, ct), cancellationToken).ConfigureAwait(false)).Changed;
    }

    private async ValueTask<(bool Changed, ScoreWatch? Watch)> WriteOnceAsync(LeadId leadId, QualificationState state, DateTimeOffset? wakeAt, long? expectedVersion, CancellationToken cancellationToken)
    {
        string s = _schema;
        string sql = (wakeAt, expectedVersion) switch
        {
            (null, null) => $"DELETE FROM {s}.score_watch WHERE lead_id = $1",
            (null, _) => $"DELETE FROM {s}.score_watch WHERE lead_id = $1 AND version = $6",
            (_, null) => $"""
                INSERT INTO {s}.score_watch AS w (lead_id, state, wake_at, wake_ticks, wake_offset, version)
                VALUES ($1, $2, $3, $4, $5, nextval('{s}.score_watch_version'))
                ON CONFLICT (lead_id) DO UPDATE SET state = EXCLUDED.state, wake_at = EXCLUDED.wake_at, wake_ticks = EXCLUDED.wake_ticks,
                    wake_offset = EXCLUDED.wake_offset, version = EXCLUDED.version
                RETURNING version
                """,
            _ => $"""
                UPDATE {s}.score_watch SET state = $2, wake_at = $3, wake_ticks = $4, wake_offset = $5, version = nextval('{s}.score_watch_version')
                WHERE lead_id = $1 AND version = $6
                RETURNING version
                """,
        };
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = _timeouts.CreateBatch(conn);
        var cmd = new NpgsqlBatchCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = leadId.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (short)state, NpgsqlDbType = NpgsqlDbType.Smallint });
        var at = wakeAt ?? default;
        cmd.Parameters.Add(new NpgsqlParameter { Value = at.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = at.UtcTicks, NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (short)at.Offset.TotalMinutes, NpgsqlDbType = NpgsqlDbType.Smallint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = expectedVersion ?? 0L, NpgsqlDbType = NpgsqlDbType.Bigint });
        batch.BatchCommands.Add(cmd);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        if (wakeAt is not { } wake)
        {
            await reader.CloseAsync().ConfigureAwait(false);
            return (cmd.RecordsAffected == 1, null);
        }

        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? (true, new ScoreWatch(leadId, state, wake, reader.GetInt64(0)))
            : (false, null);
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
        await using var cmd = new NpgsqlCommand($"SELECT lead_id, state, wake_ticks, wake_offset, version FROM {_schema}.score_watch {where} LIMIT $3", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = lead ?? string.Empty, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ticks ?? 0L, NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = limit, NpgsqlDbType = NpgsqlDbType.Integer });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<ScoreWatch>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var offset = TimeSpan.FromMinutes(reader.GetInt16(3));
            var at = new DateTimeOffset(reader.GetInt64(2) + offset.Ticks, offset);
            list.Add(new ScoreWatch(new LeadId(reader.GetString(0)), (QualificationState)reader.GetInt16(1), at, reader.GetInt64(4)));
        }

        return list;
    }
}
