namespace Alignment.Decisions;

/// <summary>Receives every decision Alignment makes, so the CRM can persist or publish it. Alignment never owns the CRM's records.</summary>
/// <remarks>Implementations must be thread-safe. A sink that throws fails the operation that published the decision.</remarks>
public interface IDecisionSink
{
    /// <summary>Receives one decision.</summary>
    /// <param name="decision">The decision.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the decision is accepted.</returns>
    ValueTask PublishAsync(AlignmentDecision decision, CancellationToken cancellationToken = default);
}
