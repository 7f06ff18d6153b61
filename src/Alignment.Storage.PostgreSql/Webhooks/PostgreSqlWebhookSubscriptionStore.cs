using Alignment.Webhooks;
using Npgsql;
using NpgsqlTypes;

namespace Alignment.Storage.PostgreSql.Webhooks;

/// <summary>
/// An <see cref="IWebhookSubscriptionStore"/> on PostgreSQL (table <c>webhook_subscription</c>), shared by every instance of a host and
/// kept across restarts. The signing secret is stored as given (it is needed to sign): protect the database accordingly.
/// </summary>
/// <remarks>Thread-safe. Call <see cref="MigrateAsync"/> once at start-up (it is idempotent).</remarks>
public sealed class PostgreSqlWebhookSubscriptionStore : IWebhookSubscriptionStore
{
    private const string Columns = "id, tenant, url, secret, events";
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly StoreRetry _retry;

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
        if (await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
        {
            throw new ArgumentException($"Subscription {subscription.Id} exists already.", nameof(subscription));
        }
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<IReadOnlyList<WebhookSubscription>> ListAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return _retry.RunAsync(ct => QueryAsync($"SELECT {Columns} FROM {_schema}.webhook_subscription WHERE tenant = $1 ORDER BY seq", [tenant], ct), cancellationToken);
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
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private async ValueTask<IReadOnlyList<WebhookSubscription>> QueryAsync(string sql, string[] args, CancellationToken cancellationToken)
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
}
