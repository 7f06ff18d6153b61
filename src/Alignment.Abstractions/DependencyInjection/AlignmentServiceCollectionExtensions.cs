using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Models.Registry;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Alignment's shared services.</summary>
public static class AlignmentServiceCollectionExtensions
{
    /// <summary>
    /// Registers what every Alignment capability shares, unless the host registered its own first:
    /// <see cref="TimeProvider.System"/>, an <see cref="InMemoryDecisionSink"/> as <see cref="IDecisionSink"/>, an
    /// <see cref="InMemoryLifecycleStore"/> as <see cref="ILifecycleStore"/> and an <see cref="InMemoryLeadDocumentStore"/> as
    /// <see cref="ILeadDocumentStore"/>. Calling it twice is harmless.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to add capabilities with.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IAlignmentBuilder AddAlignment(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDecisionSink, InMemoryDecisionSink>();
        services.TryAddSingleton<ILifecycleStore>(static sp => new InMemoryLifecycleStore(sp.GetService<IDecisionOutbox>() as InMemoryDecisionOutbox));
        services.TryAddSingleton<ILeadDocumentStore, InMemoryLeadDocumentStore>();
        return new AlignmentBuilder(services);
    }

    /// <summary>Registers Alignment's shared services, then lets <paramref name="configure"/> add capabilities.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adds capabilities, for example <c>a =&gt; a.AddScoring(...)</c>.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IServiceCollection AddAlignment(this IServiceCollection services, Action<IAlignmentBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        configure(services.AddAlignment());
        return services;
    }

    /// <summary>
    /// Records decisions in an <see cref="InMemoryDecisionOutbox"/> (registered as <see cref="IDecisionOutbox"/>) instead of
    /// publishing them directly: the in-memory stores that support it (routing state, lifecycle, nurture, score watches) append each decision under the lock
    /// of the change that made it, and a <see cref="DecisionRelay"/> (registered too; run by <c>AddAlignmentWorker</c>, or call
    /// <see cref="DecisionRelay.DeliverPendingAsync"/>) delivers them to the <see cref="IDecisionSink"/> in order. The same
    /// contract as a database outbox, within one process. Call it before the capabilities whose stores should record.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAlignmentBuilder UseInMemoryDecisionOutbox(this IAlignmentBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<InMemoryDecisionOutbox>();
        builder.Services.TryAddSingleton<IDecisionOutbox>(static sp => sp.GetRequiredService<InMemoryDecisionOutbox>());
        builder.Services.TryAddSingleton(static sp => new DecisionRelay(sp.GetRequiredService<IDecisionOutbox>(), sp.GetRequiredService<IDecisionSink>()));
        return builder;
    }

    /// <summary>
    /// Registers an <see cref="InMemoryModelRegistry"/> as the <see cref="IModelRegistry"/> the engines take their models from, unless
    /// one is registered already (<c>UsePostgreSqlModelRegistry</c> for a registry shared by several hosts). The in-memory registry
    /// is lost on restart: a file-based host fills it at start-up from a folder of signed releases (<c>ScoringReleaseFolder</c>).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAlignmentBuilder UseInMemoryModelRegistry(this IAlignmentBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<IModelRegistry>(static sp => new InMemoryModelRegistry(sp.GetService<TimeProvider>()));
        return builder;
    }

    private sealed class AlignmentBuilder(IServiceCollection services) : IAlignmentBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
