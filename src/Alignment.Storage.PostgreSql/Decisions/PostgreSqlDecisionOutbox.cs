using Alignment.Decisions;
using Npgsql;
using NpgsqlTypes;

namespace Alignment.Storage.PostgreSql.Decisions;

/// <summary>
/// An <see cref="IDecisionOutbox"/> on PostgreSQL: the <c>decision_outbox</c> table, into which a
/// <see cref="PostgreSqlRoutingStateStore"/> created with <c>recordDecisions: true</c> writes each routing and service-level decision
/// in the transaction of the change that made it. A <see cref="DecisionRelay"/> delivers from it; delivered rows keep their
/// <c>delivered_at</c> (an audit trail, and what keeps a retried change from recording its decision twice) until
/// <see cref="PurgeDeliveredAsync"/> removes them.
/// </summary>
/// <remarks>Thread-safe. Run <see cref="PostgreSqlAlignmentSchema.MigrateAsync"/> once at start-up (schema version 3 or later).</remarks>
public sealed class PostgreSqlDecisionOutbox : IDecisionOutbox
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly StoreRetry _retry;
    private readonly StoreTimeouts _timeouts;

    /// <summary>Creates the outbox.</summary>
    /// <param name="dataSource">The connection source (the host owns and disposes it).</param>
    /// <param name="schema">The schema the table lives in: the routing store's.</param>
    /// <param name="options">Timeouts and retries; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier, or an option is out of range.</exception>
    public PostgreSqlDecisionOutbox(NpgsqlDataSource dataSource, string schema = "alignment", PostgreSqlStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        SchemaName.Validate(schema, nameof(schema));
        _dataSource = dataSource;
        Schema = schema;
        _timeouts = new StoreTimeouts(options, nameof(options));
        _retry = new StoreRetry(options, store: nameof(PostgreSqlDecisionOutbox));
    }

    /// <summary>The schema of the table.</summary>
    public string Schema { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is less than 1.</exception>
    /// <exception cref="InvalidDataException">A row cannot be read (the message names its sequence and key).</exception>
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<IReadOnlyList<DecisionEnvelope>> ReadPendingAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        return _retry.RunAsync(ct => ReadPendingOnceAsync(maxCount, ct), cancellationToken);
    }

    private async ValueTask<IReadOnlyList<DecisionEnvelope>> ReadPendingOnceAsync(int maxCount, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = _timeouts.CreateBatch(conn);
        var read = new NpgsqlBatchCommand($"SELECT seq, key, kind, payload::text FROM {Schema}.decision_outbox WHERE delivered_at IS NULL ORDER BY seq LIMIT $1");
        read.Parameters.Add(new NpgsqlParameter { Value = maxCount });
        batch.BatchCommands.Add(read);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // past the timeouts' set_config

        var list = new List<DecisionEnvelope>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            long seq = reader.GetInt64(0);
            string key = reader.GetString(1);
            list.Add(new DecisionEnvelope(seq, key, DecisionPayload.Read(seq, key, reader.GetString(2), reader.GetString(3))));
        }

        return list;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="sequences"/> is null.</exception>
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask MarkDeliveredAsync(IReadOnlyList<long> sequences, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        long[] seqs = [.. sequences];
        return new ValueTask(_retry.RunAsync(async ct =>
        {
            await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var batch = _timeouts.CreateBatch(conn);
            var mark = new NpgsqlBatchCommand($"UPDATE {Schema}.decision_outbox SET delivered_at = now() WHERE seq = ANY($1) AND delivered_at IS NULL");
            mark.Parameters.Add(new NpgsqlParameter { Value = seqs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            batch.BatchCommands.Add(mark);
            return await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken).AsTask());
    }

    /// <summary>Deletes the delivered decisions recorded before <paramref name="recordedBefore"/> (a retention job; pending ones are kept).</summary>
    /// <param name="recordedBefore">The cut-off; keep at least a day, so a late retry of a change still finds its key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of rows deleted.</returns>
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<int> PurgeDeliveredAsync(DateTimeOffset recordedBefore, CancellationToken cancellationToken = default) =>
        _retry.RunAsync(async ct =>
        {
            await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var batch = _timeouts.CreateBatch(conn);
            var purge = new NpgsqlBatchCommand($"DELETE FROM {Schema}.decision_outbox WHERE delivered_at IS NOT NULL AND recorded_at < $1");
            purge.Parameters.Add(new NpgsqlParameter { Value = recordedBefore.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            batch.BatchCommands.Add(purge);
            return await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// The command that records a decision in the caller's transaction; a key already there records nothing, and so does a
    /// <paramref name="onlyWhen"/> condition that is false when the command runs (a SQL expression without parameters).
    /// </summary>
    internal static NpgsqlBatchCommand Insert(string schema, string key, AlignmentDecision decision, string? onlyWhen = null)
    {
        var (kind, json) = DecisionPayload.Write(decision);
        var insert = new NpgsqlBatchCommand(onlyWhen is null
            ? $"INSERT INTO {schema}.decision_outbox (key, lead_id, kind, payload) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (key) DO NOTHING"
            : $"INSERT INTO {schema}.decision_outbox (key, lead_id, kind, payload) SELECT $1, $2, $3, $4::jsonb WHERE {onlyWhen} ON CONFLICT (key) DO NOTHING");
        insert.Parameters.Add(new NpgsqlParameter { Value = key });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)decision.LeadId?.Value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = kind });
        insert.Parameters.Add(new NpgsqlParameter { Value = json });
        return insert;
    }

    /// <summary>
    /// Wraps a data-modifying statement (an <c>INSERT … ON CONFLICT DO NOTHING</c> or an <c>UPDATE … WHERE version = …</c>, without
    /// <c>RETURNING</c>) so that it records the decision only when it changed a row, in its own transaction, and returns the number
    /// of rows it changed as its one column. The decision's four parameters follow the statement's
    /// <paramref name="statementParameters"/>; add them to the command with <see cref="AddParameters"/>.
    /// </summary>
    internal static string RecordIfChanged(string schema, string statement, int statementParameters)
    {
        int p = statementParameters + 1;
        return $"""
            WITH changed AS ({statement} RETURNING 1),
                 recorded AS (INSERT INTO {schema}.decision_outbox (key, lead_id, kind, payload) SELECT ${p}, ${p + 1}, ${p + 2}, ${p + 3}::jsonb FROM changed ON CONFLICT (key) DO NOTHING)
            SELECT count(*)::int FROM changed
            """;
    }

    /// <summary>
    /// Runs a batch made by <see cref="StoreTimeouts.CreateBatch"/> with <paramref name="cmd"/> added last (built with
    /// <see cref="RecordIfChanged"/> when <paramref name="recording"/>), which commits as it ends; returns the rows it changed.
    /// </summary>
    internal static async Task<int> RunChangingAsync(NpgsqlBatch batch, NpgsqlBatchCommand cmd, bool recording, StoreWrite write, CancellationToken cancellationToken)
    {
        batch.BatchCommands.Add(cmd);
        write.Committing();
        int changed;
        if (recording)
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // past the timeouts' row
            changed = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? reader.GetInt32(0) : 0;
        }
        else
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            changed = cmd.RecordsAffected;
        }

        write.Committed();
        return changed;
    }

    /// <summary>Adds a decision's key, lead, kind and payload to a command built with <see cref="RecordIfChanged"/>.</summary>
    internal static void AddParameters(NpgsqlParameterCollection parameters, string key, AlignmentDecision decision)
    {
        var (kind, json) = DecisionPayload.Write(decision);
        parameters.Add(new NpgsqlParameter { Value = key, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = (object?)decision.LeadId?.Value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = kind, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = json, NpgsqlDbType = NpgsqlDbType.Text });
    }
}
