using System.Collections.Concurrent;
using System.Diagnostics;
using Alignment.Webhooks;
using Npgsql;
using NpgsqlTypes;

namespace Alignment.Storage.PostgreSql.Webhooks;

/// <summary>
/// An <see cref="IWebhookSubscriptionStore"/> on PostgreSQL (table <c>webhook_subscription</c>), shared by every instance of a host and
/// kept across restarts. The signing secret is stored as given (it is needed to sign): protect the database accordingly.
/// </summary>
/// <remarks>
/// Thread-safe. Call <see cref="MigrateAsync"/> once at start-up (it is idempotent). A tenant's list is read for every decision
/// the webhook sink publishes, so <see cref="ListAsync"/> keeps it for <see cref="ListCacheDuration"/>; see there what that means
/// for a subscription added through another instance.
/// </remarks>
public sealed class PostgreSqlWebhookSubscriptionStore : IWebhookSubscriptionStore
{
    private const string Columns = "id, tenant, url, secret, events";
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly StoreRetry _retry;
    private readonly ConcurrentDictionary<string, CachedList> _lists = new(StringComparer.Ordinal);
    private long _changes; // this instance's adds and removes: a list read before one of them is never answered after it

    /// <summary>Creates the store.</summary>
    /// <param name="dataSource">The connection source (the host owns and disposes it).</param>
    /// <param name="schema">The schema the table lives in.</param>
    /// <param name="options">The retries of its reads; <see langword="null"/> for the defaults (read once, here).</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier, or an option is out of range.</exception>
    public PostgreSqlWebhookSubscriptionStore(NpgsqlDataSource dataSource, string schema = "alignment", PostgreSqlStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        SchemaName.Validate(schema, nameof(schema));
        _dataSource = dataSource;
        _schema = schema;
        _retry = new StoreRetry(options, store: nameof(PostgreSqlWebhookSubscriptionStore));
    }

    /// <summary>
    /// How long <see cref="ListAsync"/> answers a tenant's list from memory before reading it again; one second by default;
    /// <see cref="TimeSpan.Zero"/> reads it every time. An add or remove through this instance is seen at once. One through
    /// another instance sharing the database is seen here within this time: a subscription added there receives the decisions
    /// this instance publishes from at most this long after it was added, and deliveries this instance enqueues for a
    /// subscription removed there meanwhile are parked by the dispatcher ("the subscription was removed"), never sent; and
    /// <c>GET /webhooks</c> answered by this instance may show the list as it was up to this long ago.
    /// <see cref="Microsoft.Extensions.DependencyInjection.PostgreSqlWebhookServiceCollectionExtensions"/> builds the store
    /// with the default; to set another, register a <see cref="PostgreSqlWebhookSubscriptionStore"/> singleton of your own before
    /// calling it (it adds its own only when none is registered).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or above one minute.</exception>
    public TimeSpan ListCacheDuration
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromMinutes(1));
            field = value;
        }
    } = TimeSpan.FromSeconds(1);

    /// <summary>Creates or upgrades the Alignment schema (every PostgreSQL store's tables) through <see cref="PostgreSqlAlignmentSchema.MigrateAsync"/>.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the schema is at the expected version.</returns>
    /// <exception cref="InvalidOperationException">The schema is at a newer version than this release knows.</exception>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default) =>
        await PostgreSqlAlignmentSchema.MigrateAsync(_dataSource, _schema, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    /// <remarks>Not retried: a retry after a lost commit reply could not tell its own row from another's.</remarks>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async ValueTask AddAsync(WebhookSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (!WebhookSubscription.IsValidUrl(subscription.Url))
        {
            throw new ArgumentException("A webhook URL must be an absolute http or https URL.", nameof(subscription));
        }

        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(
            $"INSERT INTO {_schema}.webhook_subscription ({Columns}) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant, id) DO NOTHING", conn);
        cmd.Parameters.Add(Text(subscription.Id));
        cmd.Parameters.Add(Text(subscription.Tenant));
        cmd.Parameters.Add(Text(subscription.Url.OriginalString));
        cmd.Parameters.Add(Text(subscription.Secret));
        cmd.Parameters.Add(new NpgsqlParameter { Value = subscription.Events.IsDefault ? [] : subscription.Events.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        int added;
        try
        {
            added = await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Changed(subscription.Tenant); // also when the reply was lost: the row may be there
        }

        if (added != 1)
        {
            throw new ArgumentException($"Subscription {subscription.Id} exists already.", nameof(subscription));
        }
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    /// <remarks>Answered from memory when read less than <see cref="ListCacheDuration"/> ago, and not changed through this instance since.</remarks>
    public ValueTask<IReadOnlyList<WebhookSubscription>> ListAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        cancellationToken.ThrowIfCancellationRequested();
        if (_lists.TryGetValue(tenant, out var cached) && cached.Changes == Volatile.Read(ref _changes)
            && Stopwatch.GetElapsedTime(cached.ReadAt) < ListCacheDuration)
        {
            return ValueTask.FromResult(cached.Subscriptions);
        }

        return ReadListAsync(tenant, cancellationToken);
    }

    private async ValueTask<IReadOnlyList<WebhookSubscription>> ReadListAsync(string tenant, CancellationToken cancellationToken)
    {
        long changes = Volatile.Read(ref _changes); // before the read: a change made during it makes this list stale at once
        long readAt = Stopwatch.GetTimestamp();
        var list = await _retry.RunAsync(ct => QueryAsync($"SELECT {Columns} FROM {_schema}.webhook_subscription WHERE tenant = $1 ORDER BY seq", [tenant], ct), cancellationToken).ConfigureAwait(false);
        var view = list.AsReadOnly(); // shared by every caller while cached: not to be cast back and changed
        if (ListCacheDuration > TimeSpan.Zero)
        {
            _lists[tenant] = new CachedList(view, readAt, changes);
        }

        return view;
    }

    private void Changed(string tenant)
    {
        Interlocked.Increment(ref _changes);
        _lists.TryRemove(tenant, out _);
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public async ValueTask<WebhookSubscription?> FindAsync(string tenant, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(id);
        var found = await _retry.RunAsync(
            ct => QueryAsync($"SELECT {Columns} FROM {_schema}.webhook_subscription WHERE tenant = $1 AND id = $2", [tenant, id], ct), cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async ValueTask<bool> RemoveAsync(string tenant, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(id);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"DELETE FROM {_schema}.webhook_subscription WHERE tenant = $1 AND id = $2", conn);
        cmd.Parameters.Add(Text(tenant));
        cmd.Parameters.Add(Text(id));
        try
        {
            return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
        finally
        {
            Changed(tenant); // also when the reply was lost: the row may be gone
        }
    }

    private async ValueTask<List<WebhookSubscription>> QueryAsync(string sql, string[] args, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (string arg in args)
        {
            cmd.Parameters.Add(Text(arg));
        }

        var list = new List<WebhookSubscription>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new WebhookSubscription(reader.GetString(0), reader.GetString(1), new Uri(reader.GetString(2), UriKind.Absolute), reader.GetString(3))
            {
                Events = [.. reader.GetFieldValue<string[]>(4)],
            });
        }

        return list;
    }

    private static NpgsqlParameter Text(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text };

    private sealed record CachedList(IReadOnlyList<WebhookSubscription> Subscriptions, long ReadAt, long Changes);
}
