using Alignment.Models;
using System.Diagnostics.Metrics;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Handoff;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Nurture;
using Alignment.Policies.Nurture.Campaigns;
using Alignment.Scoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds nurture policies, the lifecycle recorder and the lifecycle audit to Alignment.</summary>
public static class NurtureAlignmentBuilderExtensions
{
    /// <summary>
    /// Registers nurture with <see cref="NurtureOptions"/> bound from a configuration section (keys: PolicyJson, BatchSize, LeaseDuration, …), validated at start-up
    /// exactly as with the <see cref="AddNurture(IAlignmentBuilder, Action{NurtureOptions})"/> overload.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="section">The configuration section, for example <c>configuration.GetSection("Alignment:Nurture")</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IAlignmentBuilder AddNurture(this IAlignmentBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptions<NurtureOptions>().Configure(options => Bind(section, options));
        return builder.AddNurture(static _ => { });
    }

    // NurtureOptions.Policy is a compiled policy, set in code only: the configuration binding source generator cannot build one
    // (no public constructor; its tracks have required members), so it cannot bind the options type as a whole. Every other
    // setting is bound here, each through the generator's reflection-free GetValue/Bind (NurtureAlignmentBuilderExtensionsTests
    // checks that none is missed).
    private static void Bind(IConfiguration section, NurtureOptions options)
    {
        options.PolicyJson = section[nameof(NurtureOptions.PolicyJson)] ?? options.PolicyJson;
        var limits = section.GetSection(nameof(NurtureOptions.Limits));
        if (limits.GetChildren().Any())
        {
            ModelReadLimits bound = options.Limits ?? new ModelReadLimits();
            limits.Bind(bound);
            options.Limits = bound;
        }

        options.InstanceId = section[nameof(NurtureOptions.InstanceId)] ?? options.InstanceId;
        options.LeaseDuration = section.GetValue(nameof(NurtureOptions.LeaseDuration), options.LeaseDuration);
        options.BatchSize = section.GetValue(nameof(NurtureOptions.BatchSize), options.BatchSize);
        options.MissingLeadRetry = section.GetValue(nameof(NurtureOptions.MissingLeadRetry), options.MissingLeadRetry);
    }

    /// <summary>
    /// Registers the nurture engine (<see cref="NurtureEngine"/>, also as <see cref="INurturePolicy"/>), the
    /// <see cref="LifecycleRecorder"/> and the <see cref="LifecycleAudit"/>, with in-memory defaults the host may replace by
    /// registering its own first: <see cref="INurtureStore"/>, <see cref="ICampaignStore"/> (for <see cref="CampaignTracker"/>s),
    /// <see cref="INurtureContentProvider"/>, <see cref="INurtureStepHandler"/> and <see cref="ILeadSnapshotSource"/>. The options (including the JSON policy, with every
    /// error named by its JSON path) are validated at start-up. The engine needs an <see cref="ILeadScorer"/> (from the scoring
    /// package or the host) and uses an <see cref="IHandoffPolicy"/> when registered. The audit finds who in sales holds a lead
    /// through a registered <see cref="ILeadOwnerLookup"/>, else the handoff router's <see cref="IRoutingStateStore"/>.
    /// Calling it twice is harmless; the last <paramref name="configure"/> wins for each setting.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="configure">Sets the options (at least the policy).</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IAlignmentBuilder AddNurture(this IAlignmentBuilder builder, Action<NurtureOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<NurtureOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NurtureOptions>, NurtureOptionsValidator>());
        services.AddAlignment(); // the shared defaults (TimeProvider, decision sink, lifecycle store), registered in one place
        services.TryAddSingleton<INurtureStore>(static sp => new InMemoryNurtureStore(sp.GetService<IDecisionOutbox>() as InMemoryDecisionOutbox));
        services.TryAddSingleton<ICampaignStore>(static sp => new InMemoryCampaignStore(sp.GetService<IDecisionOutbox>() as InMemoryDecisionOutbox));
        services.TryAddSingleton<INurtureContentProvider, InMemoryNurtureContentLibrary>();
        services.TryAddSingleton<INurtureStepHandler, InMemoryNurtureOutbox>();
        services.TryAddSingleton<ILeadSnapshotSource, InMemoryLeadSnapshotSource>();
        services.TryAddSingleton(static sp => new LifecycleRecorder(
            sp.GetRequiredService<ILifecycleStore>(),
            sp.GetRequiredService<IDecisionSink>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(static sp =>
        {
            var options = sp.GetRequiredService<IOptions<NurtureOptions>>().Value;
            var policy = options.Policy ?? NurturePolicy.Load(options.PolicyJson ?? string.Empty, WithActions(new NurturePolicyLoadOptions { Document = "NurtureOptions.PolicyJson", Limits = options.Limits }, sp.GetServices<INurtureStepAction>()));
            return new NurtureEngine(
                policy,
                new NurtureEngineServices
                {
                    Store = sp.GetRequiredService<INurtureStore>(),
                    Lifecycle = sp.GetRequiredService<LifecycleRecorder>(),
                    Scorer = sp.GetService<ILeadScorer>() ?? throw new InvalidOperationException("The nurture engine needs an ILeadScorer for its MQL exit: add scoring (AddScoring) or register your own ILeadScorer."),
                    Content = sp.GetRequiredService<INurtureContentProvider>(),
                    StepHandler = sp.GetRequiredService<INurtureStepHandler>(),
                    Leads = sp.GetRequiredService<ILeadSnapshotSource>(),
                    Decisions = sp.GetRequiredService<IDecisionSink>(),
                    TimeProvider = sp.GetRequiredService<TimeProvider>(),
                    Handoff = Handoff(sp),
                    Owners = Owners(sp),
                    MeterFactory = sp.GetService<IMeterFactory>(),
                    LoggerFactory = sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>(),
                },
                options);
        });
        services.TryAddSingleton<INurturePolicy>(static sp => sp.GetRequiredService<NurtureEngine>());
        services.TryAddSingleton(static sp => new LifecycleAudit(
            sp.GetRequiredService<ILifecycleStore>(),
            sp.GetRequiredService<INurtureStore>(),
            Owners(sp)));
        return builder;
    }

    // The handoff router depends on the nurture policy too: hand the engine a policy resolved on first use, never a cycle.
    private static IHandoffPolicy? Handoff(IServiceProvider sp) =>
        sp.GetService<IServiceProviderIsService>() is { } isService
            ? (isService.IsService(typeof(IHandoffPolicy)) ? new DeferredHandoffPolicy(sp.GetRequiredService<IHandoffPolicy>) : null)
            : sp.GetService<IHandoffPolicy>();

    /// <summary>
    /// Registers a nurture step plugin built by the container (so its constructor dependencies are injected), which the nurture
    /// policy's steps can name with <c>"handler": "name"</c>. Registering the same type twice is harmless.
    /// </summary>
    /// <typeparam name="TAction">The plugin type.</typeparam>
    /// <param name="builder">The Alignment builder.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAlignmentBuilder AddNurtureStepAction<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TAction>(this IAlignmentBuilder builder)
        where TAction : class, INurtureStepAction
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<INurtureStepAction, TAction>());
        return builder;
    }

    private static NurturePolicyLoadOptions WithActions(NurturePolicyLoadOptions options, IEnumerable<INurtureStepAction> actions)
    {
        foreach (var a in actions)
        {
            options.Actions.Add(a);
        }

        return options;
    }

    private static ILeadOwnerLookup? Owners(IServiceProvider sp) =>
        sp.GetService<ILeadOwnerLookup>()
        ?? (sp.GetService<IRoutingStateStore>() is { } routing ? new RoutingStateOwnerLookup(routing) : null);
}
