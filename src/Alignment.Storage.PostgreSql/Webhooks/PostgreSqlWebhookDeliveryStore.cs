using Alignment.Webhooks;
using Npgsql;
using NpgsqlTypes;

namespace Alignment.Storage.PostgreSql.Webhooks;

/// <summary>
/// An <see cref="IWebhookDeliveryStore"/> on PostgreSQL (table <c>webhook_delivery</c>): deliveries survive a restart, and several
/// instances share them. A claim locks each subscription's oldest pending delivery with <c>FOR UPDATE SKIP LOCKED</c> and moves its
/// next attempt to the end of the lease in the same statement, so two instances never claim the same delivery, and a subscription's
/// later delivery is never claimed while an earlier one is pending.
/// </summary>
/// <remarks>Thread-safe. Call <see cref="MigrateAsync"/> once at start-up (it is idempotent).</remarks>
public sealed class PostgreSqlWebhookDeliveryStore : IWebhookDeliveryStore
{
    private const string Columns =
        "id, tenant, subscription_id, url, event_kind, body, created_ticks, created_offset, status, attempts, next_ticks, next_offset, last_error, delivered_ticks, delivered_offset";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly StoreRetry _retry;

    /// <summary>Creates the store.</summary>
    /// <param name="dataSource">The connection source (the host owns and disposes it).</param>
    /// <param name="schema">The schema the table lives in.</param>
    /// <param name="options">The retries of its idempotent calls; <see langword="null"/> for the defaults (read once, here).</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier, or an option is out of range.</exception>
    public PostgreSqlWebhookDeliveryStore(NpgsqlDataSource dataSource, string schema = "alignment", PostgreSqlStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        SchemaName.Validate(schema, nameof(schema));
        _dataSource = dataSource;
        _schema = schema;
        _retry = new StoreRetry(options, store: nameof(PostgreSqlWebhookDeliveryStore));
    }

    /// <summary>Creates or upgrades the Alignment schema (every PostgreSQL store's tables) through <see cref="PostgreSqlAlignmentSchema.MigrateAsync"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the schema is at the expected version.</returns>
    /// <exception cref="InvalidOperationException">The schema is at a newer version than this release knows.</exception>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default) =>
        await PostgreSqlAlignmentSchema.MigrateAsync(_dataSource, _schema, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<bool> EnqueueAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return _retry.RunAsync(
            async ct =>
            {
                await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                await using var cmd = new NpgsqlCommand(
                    $"""
                    INSERT INTO {_schema}.webhook_delivery ({Columns})
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10, $11, $12, NULL, NULL) ON CONFLICT (id) DO NOTHING
                    """,
                    conn);
                cmd.Parameters.Add(Text(delivery.Id));
                cmd.Parameters.Add(Text(delivery.Tenant));
                cmd.Parameters.Add(Text(delivery.SubscriptionId));
                cmd.Parameters.Add(Text(delivery.Url.OriginalString));
                cmd.Parameters.Add(Text(delivery.EventKind));
                cmd.Parameters.Add(new NpgsqlParameter { Value = delivery.Body.ToArray(), NpgsqlDbType = NpgsqlDbType.Bytea });
                AddInstant(cmd, delivery.CreatedAt);
                cmd.Parameters.Add(new NpgsqlParameter { Value = delivery.Attempts, NpgsqlDbType = NpgsqlDbType.Integer });
                AddInstant(cmd, delivery.NextAttemptAt);
                cmd.Parameters.Add(NullableText(delivery.LastError));
                return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One statement: the oldest pending delivery of each subscription (by <c>seq</c>), those due, oldest first, locked with
    /// <c>FOR UPDATE SKIP LOCKED</c> (a row another instance is claiming is skipped, and one it has claimed since is no longer due
    /// when re-read), and their next attempt set to <paramref name="now"/> + <paramref name="lease"/>. Not retried.
    /// </remarks>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async ValueTask<IReadOnlyList<WebhookDelivery>> ClaimDueAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ArgumentOutOfRangeException.ThrowIfLessThan(lease, TimeSpan.Zero);
        string s = _schema;
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(
            $"""
            WITH heads AS (
                SELECT DISTINCT ON (tenant, subscription_id) id FROM {s}.webhook_delivery WHERE status = 0 ORDER BY tenant, subscription_id, seq
            ), due AS (
                SELECT d.id, d.seq, d.next_ticks AS old_ticks, d.next_offset AS old_offset FROM {s}.webhook_delivery d JOIN heads h ON h.id = d.id
                WHERE d.status = 0 AND d.next_ticks <= $1
                ORDER BY d.seq LIMIT $2
                FOR UPDATE OF d SKIP LOCKED
            )
            UPDATE {s}.webhook_delivery w SET next_ticks = $3, next_offset = $4 FROM due WHERE w.id = due.id
            RETURNING w.id, w.tenant, w.subscription_id, w.url, w.event_kind, w.body, w.created_ticks, w.created_offset, w.status, w.attempts,
                due.old_ticks, due.old_offset, w.last_error, w.delivered_ticks, w.delivered_offset, due.seq
            """,
            conn);
        var until = now + lease;
        cmd.Parameters.Add(new NpgsqlParameter { Value = now.UtcTicks, NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = max, NpgsqlDbType = NpgsqlDbType.Integer });
        cmd.Parameters.Add(new NpgsqlParameter { Value = until.UtcTicks, NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (short)until.TotalOffsetMinutes, NpgsqlDbType = NpgsqlDbType.Smallint });
        var claimed = new List<(long Seq, WebhookDelivery Delivery)>();
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                claimed.Add((reader.GetInt64(15), Read(reader) with { LeaseUntil = until }));
            }
        }

        return [.. claimed.OrderBy(c => c.Seq).Select(c => c.Delivery)];
    }

    /// <inheritdoc />
    /// <remarks>
    /// One statement fenced by the claim (pending, the claim's attempts and lease end in <c>next_ticks</c>); retried after a lost
    /// connection, which is safe because a repeat of the same claim's mark finds it done and answers <see langword="true"/>.
    /// </remarks>
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<bool> MarkDeliveredAsync(WebhookDelivery claimed, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var lease = LeaseOf(claimed);
        return _retry.RunAsync(
            async ct =>
            {
                await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                await using var cmd = new NpgsqlCommand(
                    $"""
                    WITH marked AS (
                        UPDATE {_schema}.webhook_delivery SET status = 1, attempts = attempts + 1, delivered_ticks = $4, delivered_offset = $5, last_error = NULL
                        WHERE id = $1 AND status = 0 AND attempts = $2 AND next_ticks = $3 RETURNING id)
                    SELECT EXISTS (SELECT 1 FROM marked)
                        OR EXISTS (SELECT 1 FROM {_schema}.webhook_delivery WHERE id = $1 AND status = 1 AND attempts = $2 + 1 AND delivered_ticks = $4)
                    """,
                    conn);
                cmd.Parameters.Add(Text(claimed.Id));
                cmd.Parameters.Add(new NpgsqlParameter { Value = claimed.Attempts, NpgsqlDbType = NpgsqlDbType.Integer });
                cmd.Parameters.Add(new NpgsqlParameter { Value = lease.UtcTicks, NpgsqlDbType = NpgsqlDbType.Bigint });
                cmd.Parameters.Add(new NpgsqlParameter { Value = at.UtcTicks, NpgsqlDbType = NpgsqlDbType.Bigint });
                cmd.Parameters.Add(new NpgsqlParameter { Value = (short)at.TotalOffsetMinutes, NpgsqlDbType = NpgsqlDbType.Smallint });
                return (bool)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One statement fenced by the claim, as <see cref="MarkDeliveredAsync"/>. Not retried (a retry after a lost commit reply would find
    /// the attempt counted and answer <see langword="false"/>; the delivery is then as the first attempt left it).
    /// </remarks>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async ValueTask<bool> MarkFailedAsync(WebhookDelivery claimed, string reason, DateTimeOffset? retryAt, CancellationToken cancellationToken = default)
    {
        var lease = LeaseOf(claimed);
        ArgumentNullException.ThrowIfNull(reason);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(
            retryAt is null
                ? $"UPDATE {_schema}.webhook_delivery SET attempts = attempts + 1, last_error = $2, status = 2 WHERE id = $1 AND status = 0 AND attempts = $3 AND next_ticks = $4"
                : $"UPDATE {_schema}.webhook_delivery SET attempts = attempts + 1, last_error = $2, next_ticks = $5, next_offset = $6 WHERE id = $1 AND status = 0 AND attempts = $3 AND next_ticks = $4",
            conn);
        cmd.Parameters.Add(Text(claimed.Id));
        cmd.Parameters.Add(Text(reason));
        cmd.Parameters.Add(new NpgsqlParameter { Value = claimed.Attempts, NpgsqlDbType = NpgsqlDbType.Integer });
        cmd.Parameters.Add(new NpgsqlParameter { Value = lease.UtcTicks, NpgsqlDbType = NpgsqlDbType.Bigint });
        if (retryAt is { } next)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = next.UtcTicks, NpgsqlDbType = NpgsqlDbType.Bigint });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (short)next.TotalOffsetMinutes, NpgsqlDbType = NpgsqlDbType.Smallint });
        }

        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<IReadOnlyList<WebhookDelivery>> ListAsync(string tenant, WebhookDeliveryStatus? status = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return _retry.RunAsync<IReadOnlyList<WebhookDelivery>>(
            async ct =>
            {
                await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                await using var cmd = new NpgsqlCommand(
                    status is null
                        ? $"SELECT {Columns} FROM {_schema}.webhook_delivery WHERE tenant = $1 ORDER BY seq"
                        : $"SELECT {Columns} FROM {_schema}.webhook_delivery WHERE tenant = $1 AND status = $2 ORDER BY seq",
                    conn);
                cmd.Parameters.Add(Text(tenant));
                if (status is { } only)
                {
                    cmd.Parameters.Add(new NpgsqlParameter { Value = (short)only, NpgsqlDbType = NpgsqlDbType.Smallint });
                }

                var list = new List<WebhookDelivery>();
                await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    list.Add(Read(reader));
                }

                return list;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<bool> ReplayAsync(string tenant, string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(id);
        return _retry.RunAsync(
            async ct =>
            {
                await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                await using var cmd = new NpgsqlCommand(
                    $"""
                    WITH replayed AS (
                        UPDATE {_schema}.webhook_delivery SET status = 0, attempts = 0, next_ticks = $3, next_offset = $4, delivered_ticks = NULL, delivered_offset = NULL
                        WHERE tenant = $1 AND id = $2 AND status <> 0 RETURNING id)
                    SELECT EXISTS (SELECT 1 FROM replayed) OR EXISTS (SELECT 1 FROM {_schema}.webhook_delivery WHERE tenant = $1 AND id = $2)
                    """,
                    conn);
                cmd.Parameters.Add(Text(tenant));
                cmd.Parameters.Add(Text(id));
                cmd.Parameters.Add(new NpgsqlParameter { Value = now.UtcTicks, NpgsqlDbType = NpgsqlDbType.Bigint });
                cmd.Parameters.Add(new NpgsqlParameter { Value = (short)now.TotalOffsetMinutes, NpgsqlDbType = NpgsqlDbType.Smallint });
                return (bool)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<int> PurgeDeliveredAsync(DateTimeOffset deliveredBefore, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return _retry.RunAsync(
            async ct =>
            {
                await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                await using var cmd = new NpgsqlCommand(
                    $"""
                    DELETE FROM {_schema}.webhook_delivery WHERE id IN (
                        SELECT id FROM {_schema}.webhook_delivery WHERE status = 1 AND delivered_ticks < $1 ORDER BY delivered_ticks LIMIT $2 FOR UPDATE SKIP LOCKED)
                    """,
                    conn);
                cmd.Parameters.Add(new NpgsqlParameter { Value = deliveredBefore.UtcTicks, NpgsqlDbType = NpgsqlDbType.Bigint });
                cmd.Parameters.Add(new NpgsqlParameter { Value = max, NpgsqlDbType = NpgsqlDbType.Integer });
                return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    private static WebhookDelivery Read(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), new Uri(r.GetString(3), UriKind.Absolute), r.GetString(4), r.GetFieldValue<byte[]>(5), Instant(r.GetInt64(6), r.GetInt16(7)))
        {
            Status = (WebhookDeliveryStatus)r.GetInt16(8),
            Attempts = r.GetInt32(9),
            NextAttemptAt = Instant(r.GetInt64(10), r.GetInt16(11)),
            LastError = r.IsDBNull(12) ? null : r.GetString(12),
            DeliveredAt = r.IsDBNull(13) ? null : Instant(r.GetInt64(13), r.GetInt16(14)),
        };

    private static DateTimeOffset LeaseOf(WebhookDelivery claimed)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        return claimed.LeaseUntil ?? throw new ArgumentException($"Delivery '{claimed.Id}' was not returned by ClaimDueAsync (its LeaseUntil is null): only a claimed delivery can be marked.", nameof(claimed));
    }

    private static DateTimeOffset Instant(long utcTicks, short offsetMinutes)
    {
        var offset = TimeSpan.FromMinutes(offsetMinutes);
        return new DateTimeOffset(utcTicks + offset.Ticks, offset);
    }

    private static void AddInstant(NpgsqlCommand cmd, DateTimeOffset at)
    {
        cmd.Parameters.Add(new NpgsqlParameter { Value = at.UtcTicks, NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (short)at.TotalOffsetMinutes, NpgsqlDbType = NpgsqlDbType.Smallint });
    }

    private static NpgsqlParameter Text(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter NullableText(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}
