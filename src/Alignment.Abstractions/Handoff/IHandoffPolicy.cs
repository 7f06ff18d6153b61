namespace Alignment.Handoff;

/// <summary>Routes a qualified lead to exactly one rep or queue.</summary>
/// <remarks>Implementations are thread-safe; shared state (rotation cursors, capacity counters) lives in an <see cref="IAssignmentStore"/>.</remarks>
public interface IHandoffPolicy
{
    /// <summary>Routes one lead. Routing the same lead again returns the decision already made.</summary>
    /// <param name="request">The lead and what rules match on.</param>
    /// <param name="cancellationToken">Cancels the call; no partial assignment is left behind.</param>
    /// <returns>The decision.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    ValueTask<HandoffDecision> RouteAsync(HandoffRequest request, CancellationToken cancellationToken = default);
}
