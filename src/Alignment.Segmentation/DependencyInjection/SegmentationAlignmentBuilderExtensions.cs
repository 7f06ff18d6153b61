using Alignment.Leads;
using Alignment.Models;
using Alignment.Segmentation;
using Alignment.Segmentation.Collateral;
using Alignment.Segmentation.DependencyInjection;
using Alignment.Segmentation.Playbooks;
using Alignment.Segmentation.Rules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers segmentation: the rule-based model, the collateral library and the playbook advisor.</summary>
public static class SegmentationAlignmentBuilderExtensions
{
    /// <summary>
    /// Registers segmentation with <see cref="SegmentationOptions"/> bound from a configuration section (keys: the options' property names), validated at start-up
    /// exactly as with the <see cref="AddSegmentation(IAlignmentBuilder, Action{SegmentationOptions})"/> overload.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="section">The configuration section, for example <c>configuration.GetSection("Alignment:Segmentation")</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IAlignmentBuilder AddSegmentation(this IAlignmentBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptions<SegmentationOptions>().Bind(section);
        return builder.AddSegmentation(static _ => { });
    }

    /// <summary>
    /// Registers, unless already registered: <see cref="SegmentationModel"/> (loaded once from the configured JSON, against the
    /// <see cref="Alignment.Leads.AttributeSchema"/> in the container, the same one scoring uses; <see cref="Alignment.Leads.AttributeSchema.Empty"/>
    /// when the host registers none) as itself and as
    /// <see cref="ISegmenter"/>, a <see cref="CollateralLibrary"/> and a <see cref="PlaybookAdvisor"/>, all singletons. The options are
    /// validated at start-up (including <see cref="SegmentationOptions.Limits"/>, and that <see cref="SegmentationOptions.ModelPath"/> is
    /// readable and within <see cref="Alignment.Models.ModelReadLimits.MaxBytes"/>: it is read no further); the model is validated when first resolved and throws a <see cref="Alignment.Models.ModelException"/> listing
    /// every problem. Calling it twice is harmless.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="configure">Sets the options (at least <see cref="SegmentationOptions.ModelPath"/> or <see cref="SegmentationOptions.ModelJson"/>).</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IAlignmentBuilder AddSegmentation(this IAlignmentBuilder builder, Action<SegmentationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<SegmentationOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SegmentationOptions>, SegmentationOptionsValidator>());
        services.AddAlignment(); // the shared defaults (TimeProvider, decision sink, lifecycle store), registered in one place
        services.TryAddSingleton(AttributeSchema.Empty); // the leads' custom attributes: a host registers its own, shared with scoring
        services.TryAddSingleton(static sp => SegmentationModelFile.Load(
            sp.GetRequiredService<IOptions<SegmentationOptions>>().Value, sp.GetRequiredService<AttributeSchema>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton<ISegmenter>(static sp => sp.GetRequiredService<SegmentationModel>());
        services.TryAddSingleton(static sp => new CollateralLibrary(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<SegmentationOptions>>().Value.CollateralExpiryMonths));
        services.TryAddSingleton(static sp => new PlaybookAdvisor(sp.GetRequiredService<SegmentationModel>(), sp.GetRequiredService<CollateralLibrary>()));
        return builder;
    }
}
