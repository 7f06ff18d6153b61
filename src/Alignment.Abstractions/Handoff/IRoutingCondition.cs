namespace Alignment.Handoff;

/// <summary>
/// The extension point for a routing condition of the host's own: a match a policy rule can reference besides its lead-field
/// <c>match</c>, with <c>"conditions": ["name"]</c> (every condition listed must hold for the rule to apply).
/// </summary>
/// <remarks>
/// Synchronous, pure, thread-safe and without I/O, like a scoring rule. An exception it throws is rethrown as an
/// <c>InvalidOperationException</c> naming the plugin, the rule and the lead id, with it as the inner exception.
/// </remarks>
public interface IRoutingCondition
{
    /// <summary>The stable name a policy uses to refer to the condition (for example <c>strategic-account</c>); matched exactly.</summary>
    string Name { get; }

    /// <summary>Whether the lead meets the condition.</summary>
    /// <param name="lead">The lead's routing facts.</param>
    /// <returns><see langword="true"/> when the rule may apply to the lead.</returns>
    bool Matches(in RoutingPluginLead lead);
}
