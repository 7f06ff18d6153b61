using System.Diagnostics.CodeAnalysis;
using Alignment.Scoring;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Returned by <c>AddScoring</c>: registers plugin scoring rules that models can refer to by name.</summary>
public sealed class ScoringBuilder
{
    internal ScoringBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Registers a plugin rule built by the container, so its constructor dependencies are injected. Registering the same type twice is harmless.</summary>
    /// <typeparam name="TRule">The rule type.</typeparam>
    /// <returns>This builder.</returns>
    public ScoringBuilder AddScoringRule<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TRule>()
        where TRule : class, IScoringRule
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IScoringRule, TRule>());
        return this;
    }

    /// <summary>Registers a plugin rule built by a factory.</summary>
    /// <param name="factory">Creates the rule from the container.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public ScoringBuilder AddScoringRule(Func<IServiceProvider, IScoringRule> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.AddSingleton(factory);
        return this;
    }
}
