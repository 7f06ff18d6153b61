namespace Alignment.Handoff;

/// <summary>
/// The extension point for a routing strategy of the host's own (an intent-data router, say): it chooses one rep among the eligible
/// members of a rule's pool. A policy rule refers to it by <see cref="Name"/> with <c>"strategy": {"plugin": "name"}</c>; the built-in
/// strategies (<c>roundRobin</c>, <c>weighted</c>, <c>loadBalanced</c>, <c>accountOwner</c>) are unchanged.
/// </summary>
/// <remarks>
/// The engine checks every pool member first (capacity, working hours, skills, language, territory, an excluded rep) and explains
/// those it passes over; the strategy only picks among the rest, and the decision is explained as chosen by the rule with
/// <c>plugin '<see cref="Name"/>'</c>. Like a scoring rule, a strategy is synchronous, pure (the same lead and candidates give the same
/// choice), thread-safe (one instance serves every router) and does no I/O. An exception it throws is rethrown as an
/// <c>InvalidOperationException</c> naming the plugin, the rule and the lead id, with it as the inner exception; so is an index out of range.
/// </remarks>
public interface IRoutingStrategy
{
    /// <summary>The stable name a policy uses to refer to the strategy (for example <c>intent-router</c>); matched exactly.</summary>
    string Name { get; }

    /// <summary>Chooses one of the eligible reps.</summary>
    /// <param name="lead">The lead's routing facts.</param>
    /// <param name="eligible">The pool members that may take the lead, in rep-id order; never empty.</param>
    /// <returns>The index in <paramref name="eligible"/> of the chosen rep, or -1 to choose none (the rule's queue takes the lead, or it falls through).</returns>
    int Choose(in RoutingPluginLead lead, ReadOnlySpan<RepId> eligible);
}
