namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <see cref="AlignmentServiceCollectionExtensions.AddAlignment(IServiceCollection)"/>; each engine package adds its
/// capability with an extension method on it (<c>AddScoring</c>, <c>AddSegmentation</c>, <c>AddHandoff</c>, <c>AddNurture</c>).
/// </summary>
public interface IAlignmentBuilder
{
    /// <summary>The service collection capabilities register into.</summary>
    IServiceCollection Services { get; }
}
