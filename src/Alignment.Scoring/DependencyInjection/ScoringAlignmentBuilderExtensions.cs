using System.Diagnostics.CodeAnalysis;
using Alignment.Leads;
using Alignment.Models.Challengers;
using Alignment.Models.Registry;
using Alignment.Scoring;
using Alignment.Scoring.Governance;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds lead scoring to Alignment.</summary>
public static class ScoringAlignmentBuilderExtensions
{
    /// <summary>
    /// Registers the compiled scoring model as <see cref="ScoringModel"/> and <see cref="ILeadScorer"/> (singletons), with options
    /// validated at start-up. The leads' <see cref="AttributeSchema"/> is taken from the container (register yours before; the
    /// default is <see cref="AttributeSchema.Empty"/>), and plugin rules from <see cref="AddScoringRule{TRule}"/>.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidOperationException"><c>AddScoringFromRegistry</c> was called already.</exception>
    public static IAlignmentBuilder AddScoring(this IAlignmentBuilder builder, Action<ScoringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddCore(builder.Services, builder.Services.AddOptions<ScoringOptions>().Configure(configure));
        return builder;
    }

    /// <summary>Registers scoring with options bound from a configuration section (keys <c>ModelPath</c> or <c>ModelJson</c>).</summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="section">The configuration section, for example <c>configuration.GetSection("Alignment:Scoring")</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidOperationException"><c>AddScoringFromRegistry</c> was called already.</exception>
    public static IAlignmentBuilder AddScoring(this IAlignmentBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        AddCore(builder.Services, builder.Services.AddOptions<ScoringOptions>().Bind(section));
        return builder;
    }

    /// <summary>
    /// Registers scoring from the model registry instead of one model read at start-up: each lead is scored with the model its tenant
    /// has active in the <see cref="IModelRegistry"/> (an <see cref="InMemoryModelRegistry"/> unless one is registered, for example by
    /// <c>UsePostgreSqlModelRegistry</c>), and a new activation or a rollback takes effect without a restart. Registers
    /// <see cref="ActiveScoringModels"/>, <see cref="ILeadScorer"/> and <see cref="IScoreCrossingCalculator"/> (each lead through its
    /// tenant's model) and the models as an <see cref="IActiveModels"/>, which <c>AddAlignmentWorker</c> refreshes from the registry
    /// and loads for its <c>ModelTenants</c> before the host starts. When an <see cref="IChallengerLedger"/> is registered (for example
    /// by <c>UsePostgreSqlChallengerLedger</c>) the models keep the champion/challenger comparison in it
    /// (<see cref="ActiveScoringModels.ChallengerLedger"/>), and <c>AddAlignmentWorker</c>'s <c>ChallengerFlush</c> worker writes it. The models compile against the container's
    /// <see cref="AttributeSchema"/> and plugin rules, as with <see cref="AddScoring(IAlignmentBuilder, Action{ScoringOptions})"/>;
    /// use one or the other (calling both throws). Calling it twice is harmless (the first <paramref name="tenantOf"/> stays).
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="tenantOf">Tells a lead's tenant (or business unit), for example from its account or a custom attribute.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidOperationException"><c>AddScoring</c> was called already.</exception>
    public static IAlignmentBuilder AddScoringFromRegistry(this IAlignmentBuilder builder, Func<Lead, string> tenantOf)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tenantOf);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(ActiveScoringModels)))
        {
            return builder;
        }

        if (services.Any(d => d.ServiceType == typeof(ScoringModel)))
        {
            throw new InvalidOperationException("AddScoringFromRegistry: AddScoring was called already. A host scores with one model read at start-up (AddScoring) or with each tenant's model from the registry (AddScoringFromRegistry), not both: the first would win silently and hot swap would never take effect.");
        }

        builder.UseInMemoryModelRegistry();
        services.TryAddSingleton(AttributeSchema.Empty);
        services.AddSingleton(sp => new ActiveScoringModels(sp.GetRequiredService<IModelRegistry>(), new ScoringModelOptions
        {
            Schema = sp.GetRequiredService<AttributeSchema>(),
            PluginRules = [.. sp.GetServices<IScoringRule>()],
            MeterFactory = sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
        })
        {
            ChallengerLedger = sp.GetService<IChallengerLedger>(),
            TimeProvider = sp.GetService<TimeProvider>() ?? TimeProvider.System,
        });
        services.AddSingleton<IActiveModels>(static sp => sp.GetRequiredService<ActiveScoringModels>().Models);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChallengerBuffer, ActiveScoringModels>(static sp => sp.GetRequiredService<ActiveScoringModels>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<ActiveScoringModels>().ScorerFor(tenantOf));
        services.TryAddSingleton(sp => sp.GetRequiredService<ActiveScoringModels>().CrossingsFor(tenantOf));
        return builder;
    }

    /// <summary>
    /// Registers a plugin scoring rule built by the container (so its constructor dependencies are injected) that models can refer
    /// to by name. Registering the same type twice is harmless.
    /// </summary>
    /// <typeparam name="TRule">The rule type.</typeparam>
    /// <param name="builder">The Alignment builder.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAlignmentBuilder AddScoringRule<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TRule>(this IAlignmentBuilder builder)
        where TRule : class, IScoringRule
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IScoringRule, TRule>());
        return builder;
    }

    /// <summary>Registers a plugin scoring rule built by a factory.</summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="factory">Creates the rule from the container.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IAlignmentBuilder AddScoringRule(this IAlignmentBuilder builder, Func<IServiceProvider, IScoringRule> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddSingleton(factory);
        return builder;
    }

    private static void AddCore(IServiceCollection services, OptionsBuilder<ScoringOptions> options)
    {
        if (services.Any(d => d.ServiceType == typeof(ActiveScoringModels)))
        {
            throw new InvalidOperationException("AddScoring: AddScoringFromRegistry was called already. A host scores with one model read at start-up (AddScoring) or with each tenant's model from the registry (AddScoringFromRegistry), not both.");
        }

        options.ValidateOnStart();
        services.TryAddSingleton(AttributeSchema.Empty);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScoringOptions>, ScoringOptionsValidator>());
        services.TryAddSingleton(sp => ScoringServiceFactory.Load(
            sp.GetRequiredService<IOptions<ScoringOptions>>().Value, sp.GetRequiredService<AttributeSchema>(), sp.GetServices<IScoringRule>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton<ILeadScorer>(sp => sp.GetRequiredService<ScoringModel>());
        services.TryAddSingleton<IScoreCrossingCalculator>(sp => sp.GetRequiredService<ScoringModel>());
    }
}
