using Alignment.Coordination;
using Alignment.Decisions;
using Alignment.Diagnostics;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Models.Challengers;
using Alignment.Models.Registry;
using Alignment.Segmentation.Collateral;
using Alignment.Scoring;
using Alignment.Policies.Handoff;
using Alignment.Policies.Nurture;
using Alignment.Policies.Nurture.Campaigns;
using Alignment.Storage.PostgreSql;
using Alignment.Storage.PostgreSql.Content;
using Alignment.Storage.PostgreSql.Coordination;
using Alignment.Storage.PostgreSql.Decisions;
using Alignment.Storage.PostgreSql.Leads;
using Alignment.Storage.PostgreSql.Scoring;
using Alignment.Storage.PostgreSql.Lifecycle;
using Alignment.Storage.PostgreSql.Models;
using Alignment.Storage.PostgreSql.Nurture;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Puts Alignment's shared lifecycle, handoff, nurture, campaign and lead document state in PostgreSQL.</summary>
/// <remarks>
/// <para>
/// Every <c>Use…</c> method registers one <see cref="NpgsqlDataSource"/> only if none is registered yet (<c>TryAdd</c>), so all
/// Alignment stores share one data source and one connection pool: the first connection string given wins for all of them,
/// and a data source the host registered itself is used as is (so Alignment's tables go to that database and share its pool;
/// the stores never change its connections' settings, see <see cref="PostgreSqlStoreOptions"/>). To keep them apart, construct
/// the stores with their own data source instead.
/// </para>
/// <para>
/// The stores read <see cref="PostgreSqlStoreOptions"/> (set them with <see cref="ConfigurePostgreSqlStores"/>), validated at
/// start-up. Create or upgrade the tables once at start-up with <see cref="PostgreSqlAlignmentSchema.MigrateAsync"/> or any
/// store's <c>MigrateAsync</c>.
/// </para>
/// </remarks>
public static class PostgreSqlAlignmentBuilderExtensions
{
    /// <summary>
    /// Sets the <see cref="PostgreSqlStoreOptions"/> of the PostgreSQL stores (every <c>Use…</c> method of this class reads them):
    /// the timeouts of their write transactions (<see cref="PostgreSqlStoreOptions.StatementTimeout"/>,
    /// <see cref="PostgreSqlStoreOptions.LockTimeout"/>) and their retries of transient failures
    /// (<see cref="PostgreSqlStoreOptions.MaxRetries"/>, <see cref="PostgreSqlStoreOptions.RetryDelay"/>), and how many routing
    /// decisions of one pool may share a transaction (<see cref="PostgreSqlStoreOptions.MaxDecisionsPerTransaction"/>).
    /// Options are validated at start-up; an out-of-range value fails it with an <see cref="OptionsValidationException"/> naming the option.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    public static IAlignmentBuilder ConfigurePostgreSqlStores(this IAlignmentBuilder builder, Action<PostgreSqlStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddOptions(builder.Services).Configure(configure);
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="PostgreSqlRoutingStateStore"/> as the <see cref="IRoutingStateStore"/> (replacing the in-memory default,
    /// before or after <c>AddHandoff</c>). Call <see cref="PostgreSqlRoutingStateStore.MigrateAsync"/> once at start-up.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="connectionString">The Npgsql connection string; unless the host registered an <see cref="NpgsqlDataSource"/>, the one <see cref="AlignmentDataSource.Create"/> makes of it (statements prepared, pooled connections not reset) becomes the container's.</param>
    /// <param name="schema">The schema of the tables.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, or <paramref name="schema"/> is not a plain lower-case identifier.</exception>
    public static IAlignmentBuilder UsePostgreSqlRoutingState(this IAlignmentBuilder builder, string connectionString, string schema = "alignment")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        SchemaName.Validate(schema, nameof(schema));
        AddShared(builder.Services, connectionString, schema);
        builder.Services.TryAddSingleton(sp => new PostgreSqlRoutingStateStore(sp.GetRequiredService<NpgsqlDataSource>(), schema, sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value, RecordsInto(sp, schema)));
        builder.Services.Replace(ServiceDescriptor.Singleton<IRoutingStateStore>(static sp => sp.GetRequiredService<PostgreSqlRoutingStateStore>()));
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="PostgreSqlLifecycleStore"/> as the <see cref="ILifecycleStore"/> (replacing the in-memory default of
    /// <c>AddAlignment</c>, before or after it). Call <see cref="PostgreSqlLifecycleStore.MigrateAsync"/> once at start-up.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="connectionString">The Npgsql connection string (shared with the other PostgreSQL stores when they use the same one); unless the host registered an <see cref="NpgsqlDataSource"/>, the one <see cref="AlignmentDataSource.Create"/> makes of it (statements prepared, pooled connections not reset) becomes the container's.</param>
    /// <param name="schema">The schema of the tables.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, or <paramref name="schema"/> is not a plain lower-case identifier.</exception>
    public static IAlignmentBuilder UsePostgreSqlLifecycleStore(this IAlignmentBuilder builder, string connectionString, string schema = "alignment")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        SchemaName.Validate(schema, nameof(schema));
        AddShared(builder.Services, connectionString, schema);
        builder.Services.TryAddSingleton(sp => new PostgreSqlLifecycleStore(sp.GetRequiredService<NpgsqlDataSource>(), schema, sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value, RecordsInto(sp, schema)));
        builder.Services.Replace(ServiceDescriptor.Singleton<ILifecycleStore>(static sp => sp.GetRequiredService<PostgreSqlLifecycleStore>()));
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="PostgreSqlLeadDocumentStore"/> as the <see cref="ILeadDocumentStore"/> (replacing the in-memory default
    /// of <c>AddAlignment</c>, before or after it): the leads the host received and the receipts of its idempotent requests, shared
    /// by every instance. Call <see cref="PostgreSqlLeadDocumentStore.MigrateAsync"/> once at start-up.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="connectionString">The Npgsql connection string (shared with the other PostgreSQL stores when they use the same one); unless the host registered an <see cref="NpgsqlDataSource"/>, the one <see cref="AlignmentDataSource.Create"/> makes of it (statements prepared, pooled connections not reset) becomes the container's.</param>
    /// <param name="schema">The schema of the tables.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, or <paramref name="schema"/> is not a plain lower-case identifier.</exception>
    public static IAlignmentBuilder UsePostgreSqlLeadDocumentStore(this IAlignmentBuilder builder, string connectionString, string schema = "alignment")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        SchemaName.Validate(schema, nameof(schema));
        AddShared(builder.Services, connectionString, schema);
        builder.Services.TryAddSingleton(sp => new PostgreSqlLeadDocumentStore(sp.GetRequiredService<NpgsqlDataSource>(), schema, sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value));
        builder.Services.Replace(ServiceDescriptor.Singleton<ILeadDocumentStore>(static sp => sp.GetRequiredService<PostgreSqlLeadDocumentStore>()));
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="PostgreSqlNurtureStore"/> as the <see cref="INurtureStore"/> (replacing the in-memory default of
    /// <c>AddNurture</c>, before or after it). Call <see cref="PostgreSqlNurtureStore.MigrateAsync"/> once at start-up.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="connectionString">The Npgsql connection string (shared with the other PostgreSQL stores when they use the same one); unless the host registered an <see cref="NpgsqlDataSource"/>, the one <see cref="AlignmentDataSource.Create"/> makes of it (statements prepared, pooled connections not reset) becomes the container's.</param>
    /// <param name="schema">The schema of the tables.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, or <paramref name="schema"/> is not a plain lower-case identifier.</exception>
    public static IAlignmentBuilder UsePostgreSqlNurtureStore(this IAlignmentBuilder builder, string connectionString, string schema = "alignment")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        SchemaName.Validate(schema, nameof(schema));
        AddShared(builder.Services, connectionString, schema);
        builder.Services.TryAddSingleton(sp => new PostgreSqlNurtureStore(sp.GetRequiredService<NpgsqlDataSource>(), schema, sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value, RecordsInto(sp, schema)));
        builder.Services.Replace(ServiceDescriptor.Singleton<INurtureStore>(static sp => sp.GetRequiredService<PostgreSqlNurtureStore>()));
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="PostgreSqlCampaignStore"/> as the <see cref="ICampaignStore"/> (replacing any registered one, before
    /// or after it was added). Call <see cref="PostgreSqlCampaignStore.MigrateAsync"/> once at start-up.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="connectionString">The Npgsql connection string (shared with the other PostgreSQL stores when they use the same one); unless the host registered an <see cref="NpgsqlDataSource"/>, the one <see cref="AlignmentDataSource.Create"/> makes of it (statements prepared, pooled connections not reset) becomes the container's.</param>
    /// <param name="schema">The schema of the tables.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, or <paramref name="schema"/> is not a plain lower-case identifier.</exception>
    public static IAlignmentBuilder UsePostgreSqlCampaignStore(this IAlignmentBuilder builder, string connectionString, string schema = "alignment")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        SchemaName.Validate(schema, nameof(schema));
        AddShared(builder.Services, connectionString, schema);
        builder.Services.TryAddSingleton(sp => new PostgreSqlCampaignStore(sp.GetRequiredService<NpgsqlDataSource>(), schema, sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value, RecordsInto(sp, schema)));
        builder.Services.Replace(ServiceDescriptor.Singleton<ICampaignStore>(static sp => sp.GetRequiredService<PostgreSqlCampaignStore>()));
        return builder;
    }

    /// <summary>
    /// Keeps the leases of the single-leader workers (Alignment.Hosting's SLA check and decay watch) in PostgreSQL
    /// (<see cref="PostgreSqlLeaseStore"/>), so exactly one instance of the host runs each, and another takes over when it dies.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="connectionString">The database (the data source is shared with the other PostgreSQL stores).</param>
    /// <param name="schema">The schema of the Alignment tables.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, or <paramref name="schema"/> is not a plain lower-case identifier.</exception>
    public static IAlignmentBuilder UsePostgreSqlLeaseStore(this IAlignmentBuilder builder, string connectionString, string schema = "alignment")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        SchemaName.Validate(schema, nameof(schema));
        AddShared(builder.Services, connectionString, schema);
        builder.Services.TryAddSingleton(sp => new PostgreSqlLeaseStore(sp.GetRequiredService<NpgsqlDataSource>(), schema, sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value));
        builder.Services.Replace(ServiceDescriptor.Singleton<ILeaseStore>(static sp => sp.GetRequiredService<PostgreSqlLeaseStore>()));
        return builder;
    }

    /// <summary>
    /// Keeps the score watches of the decay worker (Alignment.Hosting) in PostgreSQL (<see cref="PostgreSqlScoreWatchStore"/>),
    /// so a lead's next threshold crossing survives a restart and a take-over. With <see cref="UsePostgreSqlDecisionOutbox"/> (same
    /// schema) the store records each <see cref="AlignmentDecision.ScoreCrossed"/> in the transaction that moves the watch.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="connectionString">The database (the data source is shared with the other PostgreSQL stores).</param>
    /// <param name="schema">The schema of the Alignment tables.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, or <paramref name="schema"/> is not a plain lower-case identifier.</exception>
    public static IAlignmentBuilder UsePostgreSqlScoreWatchStore(this IAlignmentBuilder builder, string connectionString, string schema = "alignment")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        SchemaName.Validate(schema, nameof(schema));
        AddShared(builder.Services, connectionString, schema);
        builder.Services.TryAddSingleton(sp => new PostgreSqlScoreWatchStore(sp.GetRequiredService<NpgsqlDataSource>(), schema, sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value, RecordsInto(sp, schema)));
        builder.Services.Replace(ServiceDescriptor.Singleton<IScoreWatchStore>(static sp => sp.GetRequiredService<PostgreSqlScoreWatchStore>()));
        return builder;
    }

    /// <summary>
    /// Records the routing, service-level, stage, nurture (enrolment, step, exit), campaign and score-crossing decisions in the
    /// <c>decision_outbox</c> table, in the transaction of the change that made each one, instead of publishing them directly:
    /// registers a <see cref="PostgreSqlDecisionOutbox"/> as <see cref="IDecisionOutbox"/> and a <see cref="DecisionRelay"/> to the
    /// registered <see cref="IDecisionSink"/>, and makes the PostgreSQL routing, lifecycle, nurture, campaign and score-watch stores
    /// (<see cref="UsePostgreSqlRoutingState"/>, <see cref="UsePostgreSqlLifecycleStore"/>, <see cref="UsePostgreSqlNurtureStore"/>,
    /// <see cref="UsePostgreSqlCampaignStore"/>, <see cref="UsePostgreSqlScoreWatchStore"/>, same schema) record. <c>AddAlignmentWorker</c> runs the relay
    /// on one instance at a time; a crash between a commit and the delivery loses nothing: the decision is delivered after the restart.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="connectionString">The PostgreSQL connection string (used when no <see cref="NpgsqlDataSource"/> is registered yet).</param>
    /// <param name="schema">The schema: the routing store's.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, or <paramref name="schema"/> is not a plain lower-case identifier.</exception>
    public static IAlignmentBuilder UsePostgreSqlDecisionOutbox(this IAlignmentBuilder builder, string connectionString, string schema = "alignment")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        SchemaName.Validate(schema, nameof(schema));
        AddShared(builder.Services, connectionString, schema);
        builder.Services.TryAddSingleton(sp => new PostgreSqlDecisionOutbox(sp.GetRequiredService<NpgsqlDataSource>(), schema, sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value));
        builder.Services.Replace(ServiceDescriptor.Singleton<IDecisionOutbox>(static sp => sp.GetRequiredService<PostgreSqlDecisionOutbox>()));
        builder.Services.TryAddSingleton(static sp => new DecisionRelay(sp.GetRequiredService<IDecisionOutbox>(), sp.GetRequiredService<IDecisionSink>()));
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="PostgreSqlModelRegistry"/> as the <see cref="IModelRegistry"/> (replacing any registered one, before
    /// or after it was added): the releases, approvals and activation history of every tenant's models in the tables of schema
    /// version 5, shared by every host on the database. Call <see cref="PostgreSqlModelRegistry.MigrateAsync"/> once at start-up.
    /// Activations are dated by the registered <see cref="TimeProvider"/>, or the system clock.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="connectionString">The Npgsql connection string (shared with the other PostgreSQL stores when they use the same one); unless the host registered an <see cref="NpgsqlDataSource"/>, the one <see cref="AlignmentDataSource.Create"/> makes of it (statements prepared, pooled connections not reset) becomes the container's.</param>
    /// <param name="schema">The schema of the tables.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, or <paramref name="schema"/> is not a plain lower-case identifier.</exception>
    public static IAlignmentBuilder UsePostgreSqlModelRegistry(this IAlignmentBuilder builder, string connectionString, string schema = "alignment")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        SchemaName.Validate(schema, nameof(schema));
        AddShared(builder.Services, connectionString, schema);
        builder.Services.TryAddSingleton(sp => new PostgreSqlModelRegistry(sp.GetRequiredService<NpgsqlDataSource>(), schema, sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value, sp.GetService<TimeProvider>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IModelRegistry>(static sp => sp.GetRequiredService<PostgreSqlModelRegistry>()));
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="PostgreSqlChallengerLedger"/> as the <see cref="IChallengerLedger"/> (replacing any registered one, before
    /// or after it was added): the champion/challenger comparison of every tenant in the tables of schema version 9, shared by every
    /// host on the database and kept across restarts. Call <see cref="PostgreSqlModelRegistry.MigrateAsync"/> (or
    /// <see cref="PostgreSqlAlignmentSchema.MigrateAsync"/>) once at start-up.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="connectionString">The Npgsql connection string (shared with the other PostgreSQL stores when they use the same one); unless the host registered an <see cref="NpgsqlDataSource"/>, the one <see cref="AlignmentDataSource.Create"/> makes of it (statements prepared, pooled connections not reset) becomes the container's.</param>
    /// <param name="schema">The schema of the tables.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, or <paramref name="schema"/> is not a plain lower-case identifier.</exception>
    public static IAlignmentBuilder UsePostgreSqlChallengerLedger(this IAlignmentBuilder builder, string connectionString, string schema = "alignment")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        SchemaName.Validate(schema, nameof(schema));
        AddShared(builder.Services, connectionString, schema);
        builder.Services.TryAddSingleton(sp => new PostgreSqlChallengerLedger(sp.GetRequiredService<NpgsqlDataSource>(), schema, sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value));
        builder.Services.Replace(ServiceDescriptor.Singleton<IChallengerLedger>(static sp => sp.GetRequiredService<PostgreSqlChallengerLedger>()));
        return builder;
    }

    /// <summary>
    /// Registers a <see cref="PostgreSqlContentStore"/> as the <see cref="IContentStore"/> (replacing any registered one, before or
    /// after it was added): every tenant's collateral, usages and suggestions in the tables of schema version 13, shared by every host
    /// on the database and kept across restarts. Call <see cref="PostgreSqlAlignmentSchema.MigrateAsync"/> once at start-up.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="connectionString">The Npgsql connection string (shared with the other PostgreSQL stores when they use the same one); unless the host registered an <see cref="NpgsqlDataSource"/>, the one <see cref="AlignmentDataSource.Create"/> makes of it (statements prepared, pooled connections not reset) becomes the container's.</param>
    /// <param name="schema">The schema of the tables.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty, or <paramref name="schema"/> is not a plain lower-case identifier.</exception>
    public static IAlignmentBuilder UsePostgreSqlContentStore(this IAlignmentBuilder builder, string connectionString, string schema = "alignment")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        SchemaName.Validate(schema, nameof(schema));
        AddShared(builder.Services, connectionString, schema);
        builder.Services.TryAddSingleton(sp => new PostgreSqlContentStore(sp.GetRequiredService<NpgsqlDataSource>(), schema, sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value, RecordsInto(sp, schema)));
        builder.Services.Replace(ServiceDescriptor.Singleton<IContentStore>(static sp => sp.GetRequiredService<PostgreSqlContentStore>()));
        return builder;
    }

    private static bool RecordsInto(IServiceProvider services, string schema)
    {
        if (services.GetService<IDecisionOutbox>() is not PostgreSqlDecisionOutbox outbox)
        {
            return false;
        }

        return outbox.Schema == schema
            ? true
            : throw new InvalidOperationException($"The PostgreSQL decision outbox is in schema '{outbox.Schema}' but a store that records decisions is in '{schema}': a decision must be written in the transaction of its change, so both must use the same schema.");
    }

    /// <summary>The data source (one for every store, unless the host registered its own) and the validated options.</summary>
    internal static void AddShared(IServiceCollection services, string connectionString, string schema)
    {
        services.TryAddSingleton(_ => AlignmentDataSource.Create(connectionString));
        // One health probe per schema the stores use (reachable, schema at the expected version), for Alignment.Hosting's health check.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreHealthProbe, PostgreSqlStoreHealthProbe>(sp => new PostgreSqlStoreHealthProbe(sp.GetRequiredService<NpgsqlDataSource>(), schema)));
        AddOptions(services);
    }

    private static OptionsBuilder<PostgreSqlStoreOptions> AddOptions(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStoreOptions>, PostgreSqlStoreOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<PostgreSqlStoreOptions>, UseHostLoggerFactory>());
        return services.AddOptions<PostgreSqlStoreOptions>().ValidateOnStart();
    }

    /// <summary>Fills <see cref="PostgreSqlStoreOptions.LoggerFactory"/> with the host's, unless the host set one.</summary>
    private sealed class UseHostLoggerFactory(IServiceProvider services) : IPostConfigureOptions<PostgreSqlStoreOptions>
    {
        public void PostConfigure(string? name, PostgreSqlStoreOptions options) => options.LoggerFactory ??= services.GetService<ILoggerFactory>();
    }
}
