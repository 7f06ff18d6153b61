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
    /// default is <see cref="AttributeSchema.Empty"/>), and plugin rules from <see cref="ScoringBuilder.AddScoringRule{TRule}"/>.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder to register plugin rules with.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ScoringBuilder AddScoring(this IAlignmentBuilder builder, Action<LeadScoringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(builder.Services, builder.Services.AddOptions<LeadScoringOptions>().Configure(configure));
    }

    /// <summary>Registers scoring with options bound from a configuration section (keys <c>ModelPath</c> or <c>ModelJson</c>).</summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="section">The configuration section, for example <c>configuration.GetSection("Alignment:Scoring")</c>.</param>
    /// <returns>A builder to register plugin rules with.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ScoringBuilder AddScoring(this IAlignmentBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        return AddCore(builder.Services, builder.Services.AddOptions<LeadScoringOptions>().Bind(section));
    }

    private static ScoringBuilder AddCore(IServiceCollection services, OptionsBuilder<LeadScoringOptions> options)
    {
        options.ValidateOnStart();
        services.TryAddSingleton(AttributeSchema.Empty);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LeadScoringOptions>, LeadScoringOptionsValidator>());
        services.TryAddSingleton(sp => ScoringServiceFactory.Load(
            sp.GetRequiredService<IOptions<LeadScoringOptions>>().Value, sp.GetRequiredService<AttributeSchema>(), sp.GetServices<IScoringRule>()));
        services.TryAddSingleton<ILeadScorer>(sp => sp.GetRequiredService<ScoringModel>());
        return new ScoringBuilder(services);
    }
}
