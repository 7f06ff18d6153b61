using Company.Rule;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the plugin's rules with an Alignment host.</summary>
public static class RuleRegistration
{
    /// <summary>
    /// Registers <see cref="IntentSurgeRule"/> (built by the container, with the host's <c>AttributeSchema</c>) so that models can
    /// refer to it as <c>"rule": "intent-surge"</c>.
    /// </summary>
    /// <param name="builder">The Alignment builder (<c>services.AddAlignment()</c>).</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAlignmentBuilder AddIntentSurgeRule(this IAlignmentBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddScoringRule<IntentSurgeRule>();
    }
}
