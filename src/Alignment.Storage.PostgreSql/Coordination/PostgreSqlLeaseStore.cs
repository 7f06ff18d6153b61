using Alignment.Coordination;
using Npgsql;
using NpgsqlTypes;

namespace Alignment.Storage.PostgreSql.Coordination;

/// <summary>
/// An <see cref="ILeaseStore"/> on PostgreSQL: one row per lease in <c>worker_lease</c>, acquired, renewed and taken over by one
/// conditional upsert. Expiry is measured by the database's clock, so the hosts' clocks need not agree.
/// </summary>
/// <remarks>
/// Thread-safe. Run <see cref="PostgreSqlAlignmentSchema.MigrateAsync"/> (or any store's <c>MigrateAsync</c>) once at start-up.
/// Transient failures are retried as in the other stores; an acquire that is retried after its commit was lost renews the
/// lease it took (same holder), so a retry never loses or doubles it.
/// </remarks>
public sealed class PostgreSqlLeaseStore : ILeaseStore
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
    public PostgreSqlLeaseStore(NpgsqlDataSource dataSource, string schema = "alignment", PostgreSqlStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        SchemaName.Validate(schema, nameof(schema));
        _dataSource = dataSource;
        _schema = schema;
        _timeouts = new StoreTimeouts(options, nameof(options));
        _retry = new StoreRetry(options, store: nameof(PostgreSqlLeaseStore));
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<LeaseGrant?> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        return _retry.RunAsync(ct => TryAcquireOnceAsync(name, holder, duration, ct), cancellationToken);
    }

    private async ValueTask<LeaseGrant?> TryAcquireOnceAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        string s = _schema;
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = _timeouts.CreateBatch(conn);

        // One instant for both the check and the new term's start: the row's old expiry must lie at or before the moment the new
        // expiry is counted from (clock_timestamp() moves between the VALUES and the WHERE, and across a wait for the row lock),
        // so a new term never starts before the previous one ran out.
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            INSERT INTO {s}.worker_lease AS l (name, holder, term, expires_at) VALUES ($1, $2, 1, clock_timestamp() + $3)
            ON CONFLICT (name) DO UPDATE SET
                holder = EXCLUDED.holder,
                expires_at = EXCLUDED.expires_at,
                term = CASE WHEN l.holder = EXCLUDED.holder THEN l.term ELSE l.term + 1 END
            WHERE l.holder = EXCLUDED.holder OR l.expires_at <= EXCLUDED.expires_at - $3
            RETURNING term, expires_at
            """)
        {
            Parameters =
            {
                new NpgsqlParameter { Value = name, NpgsqlDbType = NpgsqlDbType.Text },
                new NpgsqlParameter { Value = holder, NpgsqlDbType = NpgsqlDbType.Text },
                new NpgsqlParameter { Value = duration, NpgsqlDbType = NpgsqlDbType.Interval },
            },
        });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // past the timeouts' set_config row
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new LeaseGrant(name, holder, new DateTimeOffset(reader.GetFieldValue<DateTime>(1), TimeSpan.Zero), reader.GetInt64(0));
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<bool> ReleaseAsync(string name, string holder, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        return _retry.RunAsync(ct => ReleaseOnceAsync(name, holder, ct), cancellationToken);
    }

    private async ValueTask<bool> ReleaseOnceAsync(string name, string holder, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = _timeouts.CreateBatch(conn);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            $"UPDATE {_schema}.worker_lease SET expires_at = '-infinity' WHERE name = $1 AND holder = $2 AND expires_at > clock_timestamp()")
        {
            Parameters =
            {
                new NpgsqlParameter { Value = name, NpgsqlDbType = NpgsqlDbType.Text },
                new NpgsqlParameter { Value = holder, NpgsqlDbType = NpgsqlDbType.Text },
            },
        });
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return batch.BatchCommands[1].RecordsAffected == 1;
    }
}
