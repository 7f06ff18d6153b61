using Alignment.Storage.PostgreSql;
using Alignment.Storage.PostgreSql.Webhooks;
using Alignment.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Puts the webhook subscriptions and deliveries of every tenant in PostgreSQL.</summary>
public static class PostgreSqlWebhookServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="PostgreSqlWebhookSubscriptionStore"/> and a <see cref="PostgreSqlWebhookDeliveryStore"/> as the
    /// <see cref="IWebhookSubscriptionStore"/> and <see cref="IWebhookDeliveryStore"/> of the host (replacing the in-memory defaults of
    /// <c>AddAlignmentWebhooks</c>, before or after it): subscriptions and undelivered deliveries survive a restart, and several
    /// instances share them (each claims different deliveries). Registers one <see cref="NpgsqlDataSource"/> only if none is registered
    /// yet, as the other <c>UsePostgreSql…</c> methods do. Call either store's <c>MigrateAsync</c> once at start-up.
    /// </summary>
    /// <param name="services">The host's services (webhook stores serve every tenant, keyed by tenant).</param>
    /// <param name="connectionString">The Npgsql connection string; unless the host registered an <see cref="NpgsqlDataSource"/>, the one <see cref="AlignmentDataSource.Create"/> makes of it (statements prepared, pooled connections not reset) becomes the container's.</param>
    /// <param name="schema">The schema of the tables.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, or <paramref name="schema"/> is not a plain lower-case identifier.</exception>
    public static IServiceCollection UsePostgreSqlWebhookStores(this IServiceCollection services, string connectionString, string schema = "alignment")
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        SchemaName.Validate(schema, nameof(schema));
        PostgreSqlAlignmentBuilderExtensions.AddShared(services, connectionString, schema);
        services.TryAddSingleton(sp => new PostgreSqlWebhookSubscriptionStore(sp.GetRequiredService<NpgsqlDataSource>(), schema, sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value));
        services.TryAddSingleton(sp => new PostgreSqlWebhookDeliveryStore(sp.GetRequiredService<NpgsqlDataSource>(), schema, sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value));
        services.Replace(ServiceDescriptor.Singleton<IWebhookSubscriptionStore>(static sp => sp.GetRequiredService<PostgreSqlWebhookSubscriptionStore>()));
        services.Replace(ServiceDescriptor.Singleton<IWebhookDeliveryStore>(static sp => sp.GetRequiredService<PostgreSqlWebhookDeliveryStore>()));
        return services;
    }
}
