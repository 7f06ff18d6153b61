using Alignment.Decisions;
using System.Runtime.CompilerServices;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Storage.PostgreSql.Decisions;
using Npgsql;
using NpgsqlTypes;

namespace Alignment.Storage.PostgreSql.Lifecycle;

/// <summary>
/// An <see cref="ILifecycleStore"/> on PostgreSQL, for CRMs whose hosts move leads through the lifecycle from several machines.
/// Each lead is one row (its stage and version) and its history one row per transition, so the funnel can also be queried
/// with SQL. A save is one transaction that updates the lead's row only while it is still at the version the caller read, so
/// two hosts never overwrite each other's transition: the second gets <see langword="false"/> and reads again.
/// </summary>
/// <remarks>
/// Thread-safe. Call <see cref="MigrateAsync"/> once at start-up (it is idempotent). Times keep their 100 ns ticks and their
/// offset exactly (the <c>at</c> column, a <c>timestamptz</c> at microsecond precision, is there for queries). A lifecycle is
/// rebuilt from its history through <see cref="LeadLifecycle.Transition"/>, so a row edited by hand into an impossible
/// history is reported, never returned.
/// </remarks>
public sealed class PostgreSqlLifecycleStore : ILifecycleStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly StoreTimeouts _timeouts;
    private readonly StoreRetry _retry;

    /// <summary>Creates the store.</summary>
    /// <param name="dataSource">The connection source (the host owns and disposes it).</param>
    /// <param name="schema">The schema the tables live in.</param>
    /// <param name="options">The timeouts of its write transactions; <see langword="null"/> for the defaults (read once, here).</param>
    /// <param name="recordDecisions">
    /// Whether to write a <see cref="AlignmentDecision.StageChanged"/> for each transition a save adds into the schema's
    /// <c>decision_outbox</c>, in the save's transaction (<see cref="RecordsDecisions"/>), for a <see cref="DecisionRelay"/> over a
    /// <see cref="PostgreSqlDecisionOutbox"/> to deliver.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier, or an option is out of range; or <paramref name="dataSource"/> multiplexes (<c>Multiplexing=true</c>).</exception>
    public PostgreSqlLifecycleStore(NpgsqlDataSource dataSource, string schema = "alignment", PostgreSqlStoreOptions? options = null, bool recordDecisions = false)
    {
        RecordsDecisions = recordDecisions;
        ArgumentNullException.ThrowIfNull(dataSource);
        StoreTimeouts.ThrowIfMultiplexing(dataSource, nameof(PostgreSqlLifecycleStore), nameof(dataSource));
        SchemaName.Validate(schema, nameof(schema));
        _dataSource = dataSource;
        _schema = schema;
        _timeouts = new StoreTimeouts(options, nameof(options));
        _retry = new StoreRetry(options, store: nameof(PostgreSqlLifecycleStore));
    }

    /// <inheritdoc />
    public bool RecordsDecisions { get; }

    /// <summary>Test seam: the retry pipeline every call of the store runs through.</summary>
    internal StoreRetry Retry => _retry;

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
    /// <exception cref="InvalidOperationException">The stored history is not one the lifecycle allows (names the lead and the transition).</exception>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public ValueTask<LeadLifecycle?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default) =>
        _retry.RunAsync(ct => FindOnceAsync(leadId, ct), cancellationToken);

    private async ValueTask<LeadLifecycle?> FindOnceAsync(LeadId leadId, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(SelectSql("WHERE l.lead_id = $1"), conn);
        cmd.Parameters.Add(Text(leadId.Value));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var lifecycle in ReadLifecyclesAsync(reader, cancellationToken).ConfigureAwait(false))
        {
            return lifecycle;
        }

        return null;
    }

    /// <summary>The transaction-local setting in which a save's claim notes whether it changed the lead's row ("1") or not ("0").</summary>
    private const string ClaimedSetting = "alignment.lifecycle_claimed";

    /// <summary>The condition that lets a save's later statements write only when its claim changed the row.</summary>
    private const string IfClaimed = $"current_setting('{ClaimedSetting}') = '1'";

    /// <inheritdoc />
    /// <remarks>
    /// A retry after a commit whose reply was lost recognises the save the earlier attempt made (the stored history begins with
    /// exactly this lifecycle's transitions, whatever was added after them) and returns <see langword="true"/>, so the caller
    /// still publishes the stage change. A save that adds no transition to <paramref name="expectedVersion"/> cannot be told
    /// from another writer's, and returns <see langword="false"/> then.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="lifecycle"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedVersion"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">A retry found a stored history the lifecycle does not allow (names the lead and the transition).</exception>
    /// <exception cref="NpgsqlException">The database failed after the retries. Nothing was saved, unless the connection was lost during the commit itself; a new call then returns <see langword="false"/> (read the lead again).</exception>
    public ValueTask<bool> TrySaveAsync(LeadLifecycle lifecycle, int expectedVersion, CancellationToken cancellationToken = default) =>
        _retry.RunWriteAsync((write, ct) => TrySaveOnceAsync(lifecycle, expectedVersion, write, ct), cancellationToken);

    private async ValueTask<bool> TrySaveOnceAsync(LeadLifecycle lifecycle, int expectedVersion, StoreWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        string s = _schema;
        // One round trip: BEGIN, the settings, the claim of the row, the history and the decisions, and COMMIT. The claim notes in
        // the transaction whether it changed the row, and the statements after it write only when it did.
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // The row lock taken by the insert or update holds off every other writer of this lead until commit; under READ COMMITTED
        // a writer that waited re-checks the version against the committed row and updates nothing.
        string claim = expectedVersion == 0
            ? $"""
              INSERT INTO {s}.lead_lifecycle (lead_id, stage, version, updated_at) VALUES ($1, $2, $3, $4)
              ON CONFLICT (lead_id) DO UPDATE SET stage = EXCLUDED.stage, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
              WHERE {s}.lead_lifecycle.version = 0
              """
            : $"UPDATE {s}.lead_lifecycle SET stage = $2, version = $3, updated_at = $4 WHERE lead_id = $1 AND version = $5";
        var history = lifecycle.History;
        await using var batch = new NpgsqlBatch(conn);
        _timeouts.AddBegin(batch);
        var cmd = new NpgsqlBatchCommand($"WITH claimed AS ({claim} RETURNING 1) SELECT set_config('{ClaimedSetting}', (SELECT count(*) FROM claimed)::text, true)");
        batch.BatchCommands.Add(cmd);
        cmd.Parameters.Add(Text(lifecycle.LeadId.Value));
        cmd.Parameters.Add(new NpgsqlParameter { Value = (short)lifecycle.Stage, NpgsqlDbType = NpgsqlDbType.Smallint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = lifecycle.Version, NpgsqlDbType = NpgsqlDbType.Integer });
        cmd.Parameters.Add(new NpgsqlParameter { Value = history.IsEmpty ? DBNull.Value : history[^1].At.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        if (expectedVersion != 0)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = expectedVersion, NpgsqlDbType = NpgsqlDbType.Integer });
        }

        // The history is written whole: the saved lifecycle is exactly what the caller passed, as in the in-memory store.
        var delete = new NpgsqlBatchCommand($"DELETE FROM {s}.lead_lifecycle_transition WHERE lead_id = $1 AND {IfClaimed}");
        delete.Parameters.Add(Text(lifecycle.LeadId.Value));
        batch.BatchCommands.Add(delete);
        if (!history.IsEmpty)
        {
            var insert = new NpgsqlBatchCommand($"""
                INSERT INTO {s}.lead_lifecycle_transition (lead_id, seq, from_stage, to_stage, at, at_ticks, offset_minutes, actor, reason, model_version)
                SELECT $1, t.seq, t.from_stage, t.to_stage, t.at, t.at_ticks, t.offset_minutes, t.actor, t.reason, t.model_version
                FROM unnest($2::int[], $3::smallint[], $4::smallint[], $5::timestamptz[], $6::bigint[], $7::smallint[], $8::smallint[], $9::text[], $10::text[])
                    AS t (seq, from_stage, to_stage, at, at_ticks, offset_minutes, actor, reason, model_version)
                WHERE {IfClaimed}
                """);
            insert.Parameters.Add(Text(lifecycle.LeadId.Value));
            insert.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Range(0, history.Length).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = history.Select(t => (short)t.From).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = history.Select(t => (short)t.To).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = history.Select(t => t.At.ToUniversalTime()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            insert.Parameters.Add(new NpgsqlParameter { Value = history.Select(t => t.At.UtcTicks).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = history.Select(t => (short)t.At.TotalOffsetMinutes).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = history.Select(t => (short)t.Actor).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter { Value = history.Select(t => t.Reason).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            insert.Parameters.Add(new NpgsqlParameter { Value = history.Select(t => (object?)t.ModelVersion ?? DBNull.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            batch.BatchCommands.Add(insert);
        }

        for (int i = expectedVersion; RecordsDecisions && i < history.Length; i++)
        {
            var changed = new AlignmentDecision.StageChanged(lifecycle.LeadId, history[i]);
            batch.BatchCommands.Add(PostgreSqlDecisionOutbox.Insert(s, DecisionKeys.For(changed, i + 1), changed, IfClaimed));
        }

        // A claim that changed nothing commits an empty transaction.
        batch.BatchCommands.Add(StoreTimeouts.Commit());
        write.Committing();
        bool claimed;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // past the settings
            claimed = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.GetString(0) == "1";
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
            {
                // The rest of the batch runs, and a failure of it surfaces, before the answer.
            }
        }

        write.Committed();
        if (!claimed)
        {
            // Another writer got there first, unless an earlier attempt of this call did.
            return write.CommitInDoubt is not null && lifecycle.Version > expectedVersion && await HoldsSavedAsync(conn, lifecycle, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// Whether the stored history begins with <paramref name="lifecycle"/>'s: then its transitions were saved (later saves only
    /// append to the history they read). Times are compared exactly, offset included.
    /// </summary>
    private async Task<bool> HoldsSavedAsync(NpgsqlConnection conn, LeadLifecycle lifecycle, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(SelectSql("WHERE l.lead_id = $1"), conn);
        cmd.Parameters.Add(Text(lifecycle.LeadId.Value));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var stored in ReadLifecyclesAsync(reader, cancellationToken).ConfigureAwait(false))
        {
            if (stored.Version < lifecycle.Version)
            {
                return false;
            }

            for (int i = 0; i < lifecycle.Version; i++)
            {
                if (stored.History[i] != lifecycle.History[i] || !stored.History[i].At.EqualsExact(lifecycle.History[i].At))
                {
                    return false;
                }
            }

            return true;
        }

        return false;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A stored history is not one the lifecycle allows (names the lead and the transition).</exception>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async IAsyncEnumerable<LeadLifecycle> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(SelectSql(string.Empty), conn);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var lifecycle in ReadLifecyclesAsync(reader, cancellationToken).ConfigureAwait(false))
        {
            yield return lifecycle;
        }
    }

    /// <summary>Every lead row with its transitions (none: one row of nulls), lead after lead, oldest transition first.</summary>
    private string SelectSql(string where) => $"""
        SELECT l.lead_id, l.stage, l.version, t.seq, t.from_stage, t.to_stage, t.at_ticks, t.offset_minutes, t.actor, t.reason, t.model_version
        FROM {_schema}.lead_lifecycle l LEFT JOIN {_schema}.lead_lifecycle_transition t ON t.lead_id = l.lead_id
        {where}
        ORDER BY l.lead_id, t.seq
        """;

    /// <summary>Rebuilds lifecycles from the rows of <see cref="SelectSql"/>, replaying each history through the state machine.</summary>
    private static async IAsyncEnumerable<LeadLifecycle> ReadLifecyclesAsync(NpgsqlDataReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        LeadLifecycle? current = null;
        (LifecycleStage Stage, int Version) stored = default;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var leadId = new LeadId(reader.GetString(0));
            if (current is null || current.LeadId != leadId)
            {
                if (current is not null)
                {
                    yield return Checked(current, stored);
                }

                current = LeadLifecycle.Start(leadId);
                stored = ((LifecycleStage)reader.GetInt16(1), reader.GetInt32(2));
            }

            if (reader.IsDBNull(3))
            {
                continue; // a lead saved before its first transition
            }

            current = Replay(current, reader);
        }

        if (current is not null)
        {
            yield return Checked(current, stored);
        }
    }

    private static LeadLifecycle Replay(LeadLifecycle lifecycle, NpgsqlDataReader reader)
    {
        int seq = reader.GetInt32(3);
        var from = (LifecycleStage)reader.GetInt16(4);
        var to = (LifecycleStage)reader.GetInt16(5);
        var offset = TimeSpan.FromMinutes(reader.GetInt16(7));
        string where = $"Stored lifecycle of lead {lifecycle.LeadId}, transition {seq}";
        if (seq != lifecycle.Version || from != lifecycle.Stage)
        {
            throw new InvalidOperationException($"{where}: expected transition {lifecycle.Version} from {lifecycle.Stage}, found transition {seq} from {from}.");
        }

        try
        {
            var at = new DateTimeOffset(reader.GetInt64(6) + offset.Ticks, offset);
            return lifecycle.Transition(to, at, (LifecycleActor)reader.GetInt16(8), reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidLifecycleTransitionException)
        {
            throw new InvalidOperationException($"{where} ({from} -> {to}) is not valid: {ex.Message}", ex);
        }
    }

    private static LeadLifecycle Checked(LeadLifecycle lifecycle, (LifecycleStage Stage, int Version) stored) =>
        lifecycle.Stage == stored.Stage && lifecycle.Version == stored.Version
            ? lifecycle
            : throw new InvalidOperationException(
                $"Stored lifecycle of lead {lifecycle.LeadId} says stage {stored.Stage} at version {stored.Version}, but its history leads to {lifecycle.Stage} at version {lifecycle.Version}.");

    private static NpgsqlParameter Text(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text };
}
