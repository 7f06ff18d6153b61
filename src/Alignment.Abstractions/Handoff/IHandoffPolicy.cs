namespace Alignment.Handoff;

/// <summary>Routes a qualified lead to exactly one rep or queue.</summary>
/// <remarks>
/// Implementations are thread-safe and keep their shared state (owners, rotation cursors, capacity counters) in a store that
/// several CRM instances can share: the built-in router (<c>HandoffRouter</c> in Alignment.Policies) uses its
/// <c>IRoutingStateStore</c>, which runs each decision in one unit of work. A policy of your own keeps its state where it likes,
/// under the same promise: one decision per lead, however many instances route at once.
/// </remarks>
public interface IHandoffPolicy
{
    /// <summary>Routes one lead. Routing the same lead again returns the decision already made.</summary>
    /// <param name="request">The lead and what rules match on.</param>
    /// <param name="cancellationToken">Cancels the call; no partial assignment is left behind.</param>
    /// <returns>The decision.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    ValueTask<HandoffDecision> RouteAsync(HandoffRequest request, CancellationToken cancellationToken = default);
}
