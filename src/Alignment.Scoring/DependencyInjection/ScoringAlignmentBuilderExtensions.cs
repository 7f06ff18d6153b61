using System.Diagnostics.CodeAnalysis;
using Alignment.Leads;
using Alignment.Scoring;
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
    public static IAlignmentBuilder AddScoring(this IAlignmentBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        AddCore(builder.Services, builder.Services.AddOptions<ScoringOptions>().Bind(section));
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
        options.ValidateOnStart();
        services.TryAddSingleton(AttributeSchema.Empty);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ScoringOptions>, ScoringOptionsValidator>());
        services.TryAddSingleton(sp => ScoringServiceFactory.Load(
            sp.GetRequiredService<IOptions<ScoringOptions>>().Value, sp.GetRequiredService<AttributeSchema>(), sp.GetServices<IScoringRule>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton<ILeadScorer>(sp => sp.GetRequiredService<ScoringModel>());
        services.TryAddSingleton<IScoreCrossingCalculator>(sp => sp.GetRequiredService<ScoringModel>());
    }
}
