using Alignment.Orleans;
using Alignment.Policies.Nurture;
using Alignment.Lifecycle;
using Alignment.Orleans.Campaigns;
using Alignment.Orleans.Lifecycle;
using Alignment.Orleans.Nurture;
using Alignment.Orleans.Sla;
using Alignment.Policies.Handoff;
using Alignment.Policies.Nurture.Campaigns;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Puts Alignment's routing state in an Orleans cluster.</summary>
public static class OrleansAlignmentBuilderExtensions
{
    /// <summary>
    /// Registers an <see cref="OrleansRoutingStateStore"/> as the <see cref="IRoutingStateStore"/> (replacing the in-memory default
    /// or a PostgreSQL store, before or after <c>AddHandoff</c>), over the host's <see cref="IGrainFactory"/>: the cluster client of
    /// a host that calls <c>UseOrleansClient</c>, or the silo itself for a host that calls <c>UseOrleans</c>. The routers, the
    /// SLA worker and the HTTP endpoints are unchanged; only where the routing state lives changes. By default the store records its
    /// decisions (<see cref="OrleansRoutingStateStore.RecordsDecisions"/>; no <c>IDecisionOutbox</c> is needed for them) and, while
    /// the host runs, the host is subscribed to the
    /// tenant's cells (<see cref="OrleansRoutingStateStore.SubscribeAsync"/>): its <see cref="HandoffRouter"/> (when it has one)
    /// handles the breaches the cells' service-level clocks find, and its <c>IDecisionSink</c> publishes the decisions, so a host
    /// that crashes after a commit loses none.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="tenant">The tenant whose routing state the store keeps.</param>
    /// <param name="recordDecisions">
    /// Whether the store records its decisions in the cells' outboxes, delivered by the running host's subscription (the default).
    /// Pass <see langword="false"/> for a service provider used without running its hosted services: the router then publishes each
    /// decision itself once saved (a host that crashes in between loses that publication).
    /// </param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    /// <remarks>
    /// Every silo registers a grain storage provider named <see cref="AlignmentOrleans.StorageName"/> (for example
    /// <c>siloBuilder.AddRedisGrainStorage(AlignmentOrleans.StorageName, ...)</c>); a silo without one fails the first decision
    /// with Orleans' own error naming the provider.
    /// </remarks>
    public static IAlignmentBuilder UseOrleansRoutingState(this IAlignmentBuilder builder, string tenant = "default", bool recordDecisions = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        builder.Services.TryAddSingleton(sp => new OrleansRoutingStateStore(sp.GetRequiredService<IGrainFactory>(), tenant, recordDecisions));
        builder.Services.Replace(ServiceDescriptor.Singleton<IRoutingStateStore>(static sp => sp.GetRequiredService<OrleansRoutingStateStore>()));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CellSubscriptionService>());
        return builder;
    }

    /// <summary>
    /// Registers an <see cref="OrleansLifecycleStore"/> as the <see cref="ILifecycleStore"/> (replacing the in-memory default or a
    /// PostgreSQL store): each lead's lifecycle in a grain of its own in the host's cluster, so that hosts moving one lead at once
    /// are ordered without a database lock.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="tenant">The tenant whose lifecycles the store keeps.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    public static IAlignmentBuilder UseOrleansLifecycleStore(this IAlignmentBuilder builder, string tenant = "default")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        builder.Services.Replace(ServiceDescriptor.Singleton<ILifecycleStore>(sp => new OrleansLifecycleStore(sp.GetRequiredService<IGrainFactory>(), tenant)));
        return builder;
    }

    /// <summary>
    /// Registers an <see cref="OrleansCampaignStore"/> as the <see cref="ICampaignStore"/> (replacing the in-memory default or a
    /// PostgreSQL store): each campaign membership in a grain of its own in the host's cluster.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="tenant">The tenant whose campaigns the store keeps.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    public static IAlignmentBuilder UseOrleansCampaignStore(this IAlignmentBuilder builder, string tenant = "default")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        builder.Services.Replace(ServiceDescriptor.Singleton<ICampaignStore>(sp => new OrleansCampaignStore(sp.GetRequiredService<IGrainFactory>(), tenant)));
        return builder;
    }

    /// <summary>
    /// Registers an <see cref="OrleansNurtureStore"/> as the <see cref="INurtureStore"/> (replacing the in-memory default or a
    /// PostgreSQL store, before or after <c>AddNurture</c>): each lead's enrolments and sent steps in a grain of its own in the host's
    /// cluster, and the tenant's due steps in 16 partition grains, so several hosts' nurture schedulers claim due steps at once without
    /// a database lock and never the same one. The nurture engine publishes its decisions itself (the store records none).
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="tenant">The tenant whose enrolments the store keeps.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    public static IAlignmentBuilder UseOrleansNurtureStore(this IAlignmentBuilder builder, string tenant = "default")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        builder.Services.Replace(ServiceDescriptor.Singleton<INurtureStore>(sp => new OrleansNurtureStore(sp.GetRequiredService<IGrainFactory>(), tenant)));
        return builder;
    }
}
