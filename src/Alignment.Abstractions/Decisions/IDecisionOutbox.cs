namespace Alignment.Decisions;

/// <summary>
/// The decisions that stores wrote together with their state changes and that are not yet delivered to the
/// <see cref="IDecisionSink"/>. A <see cref="DecisionRelay"/> reads them in order, publishes them and marks them delivered;
/// a crash between the commit and the delivery leaves them pending, so they are delivered after a restart.
/// </summary>
/// <remarks>Implementations are thread-safe. Run one relay at a time (the hosting worker holds a lease) to keep the order per lead.</remarks>
public interface IDecisionOutbox
{
    /// <summary>Reads up to <paramref name="maxCount"/> decisions not yet marked delivered, lowest <see cref="DecisionEnvelope.Sequence"/> first.</summary>
    /// <param name="maxCount">The most to return; at least 1.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pending decisions, oldest first; empty when none are pending.</returns>
    ValueTask<IReadOnlyList<DecisionEnvelope>> ReadPendingAsync(int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Marks decisions delivered, so they are not read again. Marking one twice, or one that does not exist, is harmless.</summary>
    /// <param name="sequences">The <see cref="DecisionEnvelope.Sequence"/> values of the delivered decisions.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the marks are saved.</returns>
    ValueTask MarkDeliveredAsync(IReadOnlyList<long> sequences, CancellationToken cancellationToken = default);
}
