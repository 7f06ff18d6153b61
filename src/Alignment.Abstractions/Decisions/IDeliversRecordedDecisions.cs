namespace Alignment.Decisions;

/// <summary>
/// Marks a store that records the decisions its changes make (its <c>RecordsDecisions</c> is <see langword="true"/>, so the engines
/// publish none themselves) and delivers them to the host's <see cref="IDecisionSink"/> itself, rather than through an
/// <see cref="IDecisionOutbox"/> and a <see cref="DecisionRelay"/>: a host that uses only such stores needs no outbox. The Orleans
/// routing store is one (its cells keep the outbox).
/// </summary>
public interface IDeliversRecordedDecisions
{
}
