namespace Alignment.Decisions;

/// <summary>
/// A decision waiting in an <see cref="IDecisionOutbox"/>: written in the same transaction as the state change that caused it,
/// delivered to the <see cref="IDecisionSink"/> at least once, in <see cref="Sequence"/> order.
/// </summary>
/// <param name="Sequence">The outbox's position of the decision: increasing in the order the decisions were committed for one lead.</param>
/// <param name="Key">
/// The idempotency key: stable across redeliveries and retries (for example <c>routed:lead-42:3</c> for the third routing
/// decision of lead <c>lead-42</c>), so an idempotent sink that remembers keys sees each decision exactly once.
/// </param>
/// <param name="Decision">The decision.</param>
public sealed record DecisionEnvelope(long Sequence, string Key, AlignmentDecision Decision);
