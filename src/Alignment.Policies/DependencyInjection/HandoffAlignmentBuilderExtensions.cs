using System.Diagnostics.Metrics;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Handoff;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds handoff routing to an Alignment host.</summary>
public static class HandoffAlignmentBuilderExtensions
{
    /// <summary>
    /// Registers handoff routing with <see cref="HandoffOptions"/> bound from a configuration section (keys: PolicyJson, RosterJson, …), validated at start-up
    /// exactly as with the <see cref="AddHandoff(IAlignmentBuilder, Action{HandoffOptions})"/> overload.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="section">The configuration section, for example <c>configuration.GetSection("Alignment:Handoff")</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IAlignmentBuilder AddHandoff(this IAlignmentBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptions<HandoffOptions>().Bind(section);
        return builder.AddHandoff(static _ => { });
    }

    /// <summary>
    /// Registers handoff routing: <see cref="HandoffOptions"/> (validated at start-up: the policy and roster must compile), the
    /// <see cref="CompiledRoutingPolicy"/>, an <see cref="InMemoryRoutingStateStore"/> as <see cref="IRoutingStateStore"/> unless the host
    /// registered another (for example the PostgreSQL store; the in-memory one records its decisions in the
    /// <see cref="InMemoryDecisionOutbox"/> when <c>UseInMemoryDecisionOutbox</c> registered one), and a <see cref="HandoffRouter"/> that is also the <see cref="IHandoffPolicy"/>.
    /// The router uses the registered <see cref="ILifecycleStore"/>, and an <see cref="INurturePolicy"/>, <see cref="IHandoffEscalationHandler"/>
    /// and <see cref="IMeterFactory"/> when there are any. Calling it twice is harmless; the configurations add up.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="configure">Sets the policy, roster and options.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IAlignmentBuilder AddHandoff(this IAlignmentBuilder builder, Action<HandoffOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<HandoffOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HandoffOptions>, HandoffOptionsValidator>());
        services.AddAlignment(); // the shared defaults (TimeProvider, decision sink, lifecycle store), registered in one place
        services.TryAddSingleton<IRoutingStateStore>(static sp => new InMemoryRoutingStateStore(sp.GetService<IDecisionOutbox>() as InMemoryDecisionOutbox));
        services.TryAddSingleton(static sp => HandoffOptionsValidator.Compile(sp.GetRequiredService<IOptions<HandoffOptions>>().Value, sp.GetServices<IRoutingStrategy>(), sp.GetServices<IRoutingCondition>()));
        services.TryAddSingleton(static sp => new HandoffRouter(
            sp.GetRequiredService<CompiledRoutingPolicy>(),
            new HandoffRouterServices
            {
                Store = sp.GetRequiredService<IRoutingStateStore>(),
                Decisions = sp.GetRequiredService<IDecisionSink>(),
                TimeProvider = sp.GetRequiredService<TimeProvider>(),
                Lifecycle = sp.GetService<ILifecycleStore>(),
                Nurture = sp.GetService<INurturePolicy>(),
                Escalation = sp.GetService<IHandoffEscalationHandler>(),
                MeterFactory = sp.GetService<IMeterFactory>(),
                LoggerFactory = sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>(),
            },
            sp.GetRequiredService<IOptions<HandoffOptions>>().Value));
        services.TryAddSingleton<IHandoffPolicy>(static sp => sp.GetRequiredService<HandoffRouter>());
        return builder;
    }

    /// <summary>
    /// Registers a plugin routing strategy built by the container (so its constructor dependencies are injected), which the routing
    /// policy's rules can name with <c>"strategy": {"plugin": "name"}</c>. Registering the same type twice is harmless.
    /// </summary>
    /// <typeparam name="TStrategy">The strategy type.</typeparam>
    /// <param name="builder">The Alignment builder.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAlignmentBuilder AddRoutingStrategy<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TStrategy>(this IAlignmentBuilder builder)
        where TStrategy : class, IRoutingStrategy
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IRoutingStrategy, TStrategy>());
        return builder;
    }

    /// <summary>
    /// Registers a plugin routing condition built by the container, which the routing policy's rules can name in <c>"conditions"</c>.
    /// Registering the same type twice is harmless.
    /// </summary>
    /// <typeparam name="TCondition">The condition type.</typeparam>
    /// <param name="builder">The Alignment builder.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAlignmentBuilder AddRoutingCondition<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TCondition>(this IAlignmentBuilder builder)
        where TCondition : class, IRoutingCondition
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IRoutingCondition, TCondition>());
        return builder;
    }
}
