using System.Runtime.CompilerServices;
using Alignment.Leads;
using Npgsql;
using NpgsqlTypes;

namespace Alignment.Storage.PostgreSql.Leads;

/// <summary>
/// An <see cref="ILeadDocumentStore"/> on PostgreSQL, for hosts that ingest leads on several machines: one row per lead in
/// <c>lead_document</c> (its version, its JSON text and when it was saved) and one row per answered idempotency key in
/// <c>ingest_receipt</c>. A save is one transaction that first claims the receipt's key and then writes the document only while
/// it is still at the version the caller read, so two hosts never overwrite each other and a repeated request changes nothing.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe. Call <see cref="MigrateAsync"/> once at start-up (it is idempotent). The JSON and the response are kept as
/// <c>text</c>, exactly as given (not <c>jsonb</c>, which would reorder keys and drop white space); PostgreSQL text cannot hold
/// the character U+0000, which JSON text never contains unescaped. Times keep their 100 ns ticks and their UTC offset exactly
/// (the <c>updated_at</c> and <c>at</c> columns, <c>timestamptz</c> at microsecond precision, are there for queries).
/// </para>
/// <para>
/// Receipts are removed by <see cref="PurgeReceiptsAsync"/> (the HTTP integration's retention pass calls it).
/// </para>
/// </remarks>
public sealed class PostgreSqlLeadDocumentStore : ILeadDocumentStore
{
    private const string DocumentColumns = "lead_id, version, document, updated_ticks, updated_offset";
    private const string ReceiptColumns = "idempotency_key, lead_id, request_hash, response, at_ticks, at_offset";
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly StoreTimeouts _timeouts;
    private readonly StoreRetry _retry;

    /// <summary>Creates the store.</summary>
    /// <param name="dataSource">The connection source (the host owns and disposes it).</param>
    /// <param name="schema">The schema the tables live in.</param>
    /// <param name="options">The timeouts of its write transactions and its retries; <see langword="null"/> for the defaults (read once, here).</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier, or an option is out of range.</exception>
    public PostgreSqlLeadDocumentStore(NpgsqlDataSource dataSource, string schema = "alignment", PostgreSqlStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        SchemaName.Validate(schema, nameof(schema));
        _dataSource = dataSource;
        _schema = schema;
        _timeouts = new StoreTimeouts(options, nameof(options));
        _retry = new StoreRetry(options, store: nameof(PostgreSqlLeadDocumentStore));
    }

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
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<LeadDocument?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _retry.RunAsync(ct => FindOnceAsync(leadId, ct), cancellationToken);
    }

    private async ValueTask<LeadDocument?> FindOnceAsync(LeadId leadId, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadDocumentAsync(conn, null, leadId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="idempotencyKey"/> is null.</exception>
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<IngestReceipt?> FindReceiptAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        cancellationToken.ThrowIfCancellationRequested();
        return _retry.RunAsync(ct => FindReceiptOnceAsync(idempotencyKey, ct), cancellationToken);
    }

    private async ValueTask<IngestReceipt?> FindReceiptOnceAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadReceiptAsync(conn, null, idempotencyKey, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The receipt's key is claimed first (an insert that waits for a concurrent save of the same key to end), then the document
    /// is inserted (expected version 0) or updated while its version is still the one expected; when either finds the row taken,
    /// the transaction is rolled back and nothing is saved. A retry after a commit whose reply was lost recognises the save the
    /// earlier attempt made (the same receipt, or without one the same document at the same version) and returns
    /// <see cref="LeadDocumentSave.Saved"/>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedVersion"/> is negative.</exception>
    /// <exception cref="ArgumentException">The document's version is not <paramref name="expectedVersion"/> + 1, its JSON is empty, or the receipt is for another lead or has an empty key.</exception>
    /// <exception cref="NpgsqlException">The database failed after the retries. Nothing was saved, unless the connection was lost during the commit itself and the retry could not tell (the document has moved on since): read the lead again.</exception>
    public ValueTask<LeadDocumentSave> SaveAsync(LeadDocument document, long expectedVersion, IngestReceipt? receipt, CancellationToken cancellationToken = default)
    {
        LeadDocumentRules.Check(document, expectedVersion, receipt);
        cancellationToken.ThrowIfCancellationRequested();
        return _retry.RunWriteAsync((write, ct) => SaveOnceAsync(document, expectedVersion, receipt, write, ct), cancellationToken);
    }

    private async ValueTask<LeadDocumentSave> SaveOnceAsync(LeadDocument document, long expectedVersion, IngestReceipt? receipt, StoreWrite write, CancellationToken cancellationToken)
    {
        string s = _schema;
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (receipt is null)
        {
            return await SaveAloneAsync(conn, document, expectedVersion, write, cancellationToken).ConfigureAwait(false);
        }

        await using var tx = await _timeouts.BeginAsync(conn, cancellationToken).ConfigureAwait(false);

        // The key first: an insert of a key another transaction is inserting waits for it to end, then inserts or finds it taken.
        if (receipt is not null)
        {
            await using var claim = new NpgsqlCommand(
                $"""
                INSERT INTO {s}.ingest_receipt ({ReceiptColumns}, at) VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (idempotency_key) DO UPDATE SET lead_id = EXCLUDED.lead_id, request_hash = EXCLUDED.request_hash, response = EXCLUDED.response,
                    at_ticks = EXCLUDED.at_ticks, at_offset = EXCLUDED.at_offset, at = EXCLUDED.at, pending_until_ticks = NULL
                WHERE {s}.ingest_receipt.pending_until_ticks IS NOT NULL
                """,
                conn,
                tx);
            claim.Parameters.Add(Text(receipt.IdempotencyKey));
            claim.Parameters.Add(Text(receipt.LeadId.Value));
            claim.Parameters.Add(Text(receipt.RequestHash));
            claim.Parameters.Add(Text(receipt.ResponseJson));
            AddInstant(claim.Parameters, receipt.At);
            if (await claim.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                // Taken (the transaction rolls back on dispose), unless by an earlier attempt of this call: receipts are only ever
                // written with their document, so finding exactly this receipt means that attempt committed both.
                return write.CommitInDoubt is not null && Same(await ReadReceiptAsync(conn, tx, receipt.IdempotencyKey, cancellationToken).ConfigureAwait(false), receipt)
                    ? LeadDocumentSave.Saved
                    : LeadDocumentSave.ReceiptExists;
            }
        }

        // The row lock taken by the insert or update holds off every other writer of this lead until commit; under READ COMMITTED
        // a writer that waited re-checks the version against the committed row and writes nothing.
        await using (var save = new NpgsqlCommand(SaveSql(expectedVersion), conn, tx))
        {
            AddSaveParameters(save.Parameters, document, expectedVersion);
            if (await save.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                // Another writer came first; the receipt rolls back with the transaction. An earlier attempt of this call would
                // have been recognised by its receipt above.
                return LeadDocumentSave.VersionConflict;
            }
        }

        write.Committing();
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        write.Committed();
        return LeadDocumentSave.Saved;
    }

    /// <inheritdoc />
    /// <remarks>
    /// One round trip: the insert, and the stored document when the lead has one, in one statement (batched with the timeouts).
    /// A retry after a commit whose reply was lost recognises the document the earlier attempt saved (version 1, the same text and
    /// time) and returns <see langword="null"/>; when the lead has moved past version 1 by then, whose first document it was can no
    /// longer be told, and the call throws.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="ArgumentException">The document's version is not 1, or its JSON is empty.</exception>
    /// <exception cref="InvalidOperationException">The insert found the lead stored and the read after it did not (no lead document is ever deleted).</exception>
    /// <exception cref="NpgsqlException">The database failed after the retries (nothing was saved, unless the connection was lost during the commit itself); or the connection was lost during the commit and the lead moved past version 1 before the retry could tell whether this call's document was saved (the message names the store and the lead; read the lead again).</exception>
    public ValueTask<LeadDocument?> AddOrFindAsync(LeadDocument document, CancellationToken cancellationToken = default)
    {
        LeadDocumentRules.Check(document, 0, null);
        cancellationToken.ThrowIfCancellationRequested();
        return _retry.RunWriteAsync((write, ct) => AddOrFindOnceAsync(document, write, ct), cancellationToken);
    }

    private async ValueTask<LeadDocument?> AddOrFindOnceAsync(LeadDocument document, StoreWrite write, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        int added;
        LeadDocument? stored = null;
        await using (var batch = _timeouts.CreateBatch(conn))
        {
            // The statement's snapshot does not see its own insert: the document read is one stored before it, or none.
            var cmd = new NpgsqlBatchCommand($"""
                WITH added AS ({SaveSql(0)} RETURNING 1)
                SELECT (SELECT count(*) FROM added)::int, d.lead_id, d.version, d.document, d.updated_ticks, d.updated_offset
                FROM (SELECT 1) AS one LEFT JOIN {_schema}.lead_document d ON d.lead_id = $1
                """);
            AddSaveParameters(cmd.Parameters, document, 0);
            batch.BatchCommands.Add(cmd);
            write.Committing(); // the batch commits as it ends
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // past the timeouts' row
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            added = reader.GetInt32(0);
            if (added == 0 && !reader.IsDBNull(1))
            {
                stored = ReadDocument(reader, first: 1);
            }
        }

        write.Committed();
        if (added == 1)
        {
            return null;
        }

        // Not added and none seen: another writer's insert committed after the statement began (it waited for it); read it.
        stored ??= await ReadDocumentAsync(conn, null, document.LeadId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{nameof(PostgreSqlLeadDocumentStore)}.{nameof(AddOrFindAsync)}, lead {document.LeadId}: the insert found the lead stored, and the read that followed did not.");
        if (write.CommitInDoubt is null)
        {
            return stored;
        }

        if (stored.Version > 1)
        {
            throw write.OutcomeUnknown(
                $"{nameof(PostgreSqlLeadDocumentStore)}.{nameof(AddOrFindAsync)}, lead {document.LeadId}: the connection was lost while committing its first document, " +
                $"and the retry found version {stored.Version}, so whether this call's document was saved is unknown. Read the lead again.");
        }

        bool ours = string.Equals(stored.Json, document.Json, StringComparison.Ordinal) && stored.UpdatedAt.EqualsExact(document.UpdatedAt);
        return ours ? null : stored;
    }

    /// <summary>
    /// A save without a receipt: the timeouts and the one insert or update in one batch, which the server runs as one implicit
    /// transaction, so the save costs one round trip.
    /// </summary>
    private async ValueTask<LeadDocumentSave> SaveAloneAsync(NpgsqlConnection conn, LeadDocument document, long expectedVersion, StoreWrite write, CancellationToken cancellationToken)
    {
        await using (var batch = _timeouts.CreateBatch(conn))
        {
            var save = new NpgsqlBatchCommand(SaveSql(expectedVersion));
            AddSaveParameters(save.Parameters, document, expectedVersion);
            batch.BatchCommands.Add(save);
            write.Committing(); // the batch commits as it ends
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            write.Committed();
            if (save.RecordsAffected == 1)
            {
                return LeadDocumentSave.Saved;
            }
        }

        // Another writer came first, unless an earlier attempt of this call did (its commit's reply was lost).
        return write.CommitInDoubt is not null && await HoldsSavedAsync(conn, null, document, write, cancellationToken).ConfigureAwait(false)
            ? LeadDocumentSave.Saved
            : LeadDocumentSave.VersionConflict;
    }

    private string SaveSql(long expectedVersion) => expectedVersion == 0
        ? $"INSERT INTO {_schema}.lead_document ({DocumentColumns}, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (lead_id) DO NOTHING"
        : $"UPDATE {_schema}.lead_document SET version = $2, document = $3, updated_ticks = $4, updated_offset = $5, updated_at = $6 WHERE lead_id = $1 AND version = $7";

    private static void AddSaveParameters(NpgsqlParameterCollection parameters, LeadDocument document, long expectedVersion)
    {
        parameters.Add(Text(document.LeadId.Value));
        parameters.Add(new NpgsqlParameter { Value = document.Version, NpgsqlDbType = NpgsqlDbType.Bigint });
        parameters.Add(Text(document.Json));
        AddInstant(parameters, document.UpdatedAt);
        if (expectedVersion != 0)
        {
            parameters.Add(new NpgsqlParameter { Value = expectedVersion, NpgsqlDbType = NpgsqlDbType.Bigint });
        }
    }

    /// <summary>
    /// After a commit whose reply was lost: whether the stored document is exactly the one this call saved (same version, JSON
    /// and time, offset included). Throws when it has moved past that version: who wrote that version can no longer be told.
    /// </summary>
    private async Task<bool> HoldsSavedAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, LeadDocument document, StoreWrite write, CancellationToken cancellationToken)
    {
        var stored = await ReadDocumentAsync(conn, tx, document.LeadId, cancellationToken).ConfigureAwait(false);
        if (stored is not null && stored.Version > document.Version)
        {
            throw write.OutcomeUnknown(
                $"{nameof(PostgreSqlLeadDocumentStore)}.{nameof(SaveAsync)}, lead {document.LeadId}: the connection was lost while committing version {document.Version}, " +
                $"and the retry found version {stored.Version}, so whether this call's document was saved is unknown. Read the lead again.");
        }

        return stored is not null && stored.Version == document.Version && string.Equals(stored.Json, document.Json, StringComparison.Ordinal)
            && stored.UpdatedAt.EqualsExact(document.UpdatedAt);
    }

    private static bool Same(IngestReceipt? stored, IngestReceipt receipt) =>
        stored is not null && stored.LeadId == receipt.LeadId && string.Equals(stored.RequestHash, receipt.RequestHash, StringComparison.Ordinal)
        && string.Equals(stored.ResponseJson, receipt.ResponseJson, StringComparison.Ordinal) && stored.At.EqualsExact(receipt.At);

    /// <inheritdoc />
    /// <remarks>
    /// One insert of a pending row (<c>pending_until_ticks</c> set), or the take-over of a lapsed one, in one statement: a concurrent
    /// claim of the same key waits for it on the unique index and then finds the key pending. Not retried.
    /// </remarks>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async ValueTask<IngestKeyClaim> ClaimKeyAsync(string idempotencyKey, DateTimeOffset now, TimeSpan hold, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(hold, TimeSpan.Zero);
        string s = _schema;
        var until = now + hold;
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        for (int attempt = 1; ; attempt++)
        {
            await using (var claim = new NpgsqlCommand(
                $"""
                INSERT INTO {s}.ingest_receipt ({ReceiptColumns}, at, pending_until_ticks) VALUES ($1, '', '', '', $2, $3, $4, $5)
                ON CONFLICT (idempotency_key) DO UPDATE SET at_ticks = EXCLUDED.at_ticks, at_offset = EXCLUDED.at_offset, at = EXCLUDED.at,
                    pending_until_ticks = EXCLUDED.pending_until_ticks
                WHERE {s}.ingest_receipt.pending_until_ticks IS NOT NULL AND {s}.ingest_receipt.pending_until_ticks <= $2
                """,
                conn))
            {
                claim.Parameters.Add(Text(idempotencyKey));
                AddInstant(claim.Parameters, now);
                claim.Parameters.Add(new NpgsqlParameter { Value = until.UtcTicks, NpgsqlDbType = NpgsqlDbType.Bigint });
                if (await claim.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    return new IngestKeyClaim(IngestKeyClaimStatus.Claimed, null, until);
                }
            }

            await using (var read = new NpgsqlCommand($"SELECT pending_until_ticks FROM {s}.ingest_receipt WHERE idempotency_key = $1", conn))
            {
                read.Parameters.Add(Text(idempotencyKey));
                object? pending = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                if (pending is long ticks)
                {
                    return new IngestKeyClaim(IngestKeyClaimStatus.Pending, null, new DateTimeOffset(ticks, TimeSpan.Zero));
                }

                if (pending is DBNull && await ReadReceiptAsync(conn, null, idempotencyKey, cancellationToken).ConfigureAwait(false) is { } receipt)
                {
                    return new IngestKeyClaim(IngestKeyClaimStatus.Answered, receipt, null);
                }
            }

            // Released or purged between the two statements: claim again (a few times at most).
            if (attempt == 5)
            {
                throw new InvalidOperationException($"{nameof(PostgreSqlLeadDocumentStore)}.{nameof(ClaimKeyAsync)}: the key '{idempotencyKey}' kept changing while it was claimed.");
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public async ValueTask<bool> ReleaseKeyAsync(string idempotencyKey, DateTimeOffset claimedUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        return await _retry.RunAsync(
            async ct =>
            {
                await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                await using var cmd = new NpgsqlCommand($"DELETE FROM {_schema}.ingest_receipt WHERE idempotency_key = $1 AND pending_until_ticks = $2", conn);
                cmd.Parameters.Add(Text(idempotencyKey));
                cmd.Parameters.Add(new NpgsqlParameter { Value = claimedUntil.UtcTicks, NpgsqlDbType = NpgsqlDbType.Bigint });
                return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<int> PurgeReceiptsAsync(DateTimeOffset answeredBefore, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return _retry.RunAsync(
            async ct =>
            {
                await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                await using var cmd = new NpgsqlCommand(
                    $"""
                    DELETE FROM {_schema}.ingest_receipt WHERE idempotency_key IN (
                        SELECT idempotency_key FROM {_schema}.ingest_receipt WHERE pending_until_ticks IS NULL AND at_ticks < $1
                        ORDER BY at_ticks LIMIT $2 FOR UPDATE SKIP LOCKED)
                    """,
                    conn);
                cmd.Parameters.Add(new NpgsqlParameter { Value = answeredBefore.UtcTicks, NpgsqlDbType = NpgsqlDbType.Bigint });
                cmd.Parameters.Add(new NpgsqlParameter { Value = max, NpgsqlDbType = NpgsqlDbType.Integer });
                return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Streams the rows as the server sends them, on one connection held until the enumeration ends; not retried.</remarks>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async IAsyncEnumerable<LeadDocument> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT {DocumentColumns} FROM {_schema}.lead_document", conn);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ReadDocument(reader);
        }
    }

    private async Task<LeadDocument?> ReadDocumentAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, LeadId leadId, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {DocumentColumns} FROM {_schema}.lead_document WHERE lead_id = $1", conn, tx);
        cmd.Parameters.Add(Text(leadId.Value));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadDocument(reader) : null;
    }

    private async Task<IngestReceipt?> ReadReceiptAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {ReceiptColumns} FROM {_schema}.ingest_receipt WHERE idempotency_key = $1 AND pending_until_ticks IS NULL", conn, tx);
        cmd.Parameters.Add(Text(idempotencyKey));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new IngestReceipt(reader.GetString(0), new LeadId(reader.GetString(1)), reader.GetString(2), reader.GetString(3), Instant(reader.GetInt64(4), reader.GetInt16(5)));
    }

    /// <summary>A document from the reader's row, whose <see cref="DocumentColumns"/> start at column <paramref name="first"/>.</summary>
    private static LeadDocument ReadDocument(NpgsqlDataReader reader, int first = 0) =>
        new(new LeadId(reader.GetString(first)), reader.GetInt64(first + 1), reader.GetString(first + 2), Instant(reader.GetInt64(first + 3), reader.GetInt16(first + 4)));

    /// <summary>The instant from its UTC ticks and its offset in minutes, exactly as it was given.</summary>
    private static DateTimeOffset Instant(long utcTicks, short offsetMinutes)
    {
        var offset = TimeSpan.FromMinutes(offsetMinutes);
        return new DateTimeOffset(utcTicks + offset.Ticks, offset);
    }

    /// <summary>Adds an instant as three parameters: its UTC ticks, its offset in minutes and the <c>timestamptz</c> for queries.</summary>
    private static void AddInstant(NpgsqlParameterCollection parameters, DateTimeOffset at)
    {
        parameters.Add(new NpgsqlParameter { Value = at.UtcTicks, NpgsqlDbType = NpgsqlDbType.Bigint });
        parameters.Add(new NpgsqlParameter { Value = (short)at.TotalOffsetMinutes, NpgsqlDbType = NpgsqlDbType.Smallint });
        parameters.Add(new NpgsqlParameter { Value = at.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
    }

    private static NpgsqlParameter Text(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text };
}
