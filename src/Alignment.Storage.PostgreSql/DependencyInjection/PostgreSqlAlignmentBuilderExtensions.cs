using Alignment.Policies.Handoff;
using Alignment.Storage.PostgreSql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Puts Alignment's shared handoff state in PostgreSQL.</summary>
public static class PostgreSqlAlignmentBuilderExtensions
{
    /// <summary>
    /// Registers a <see cref="PostgreSqlRoutingStateStore"/> as the <see cref="IRoutingStateStore"/> (replacing the in-memory default,
    /// before or after <c>AddHandoff</c>). Call <see cref="PostgreSqlRoutingStateStore.MigrateAsync"/> once at start-up.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="schema">The schema of the tables.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty.</exception>
    public static IAlignmentBuilder UsePostgreSqlRoutingState(this IAlignmentBuilder builder, string connectionString, string schema = "alignment")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        builder.Services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.TryAddSingleton(sp => new PostgreSqlRoutingStateStore(sp.GetRequiredService<NpgsqlDataSource>(), schema));
        builder.Services.Replace(ServiceDescriptor.Singleton<IRoutingStateStore>(static sp => sp.GetRequiredService<PostgreSqlRoutingStateStore>()));
        return builder;
    }
}
