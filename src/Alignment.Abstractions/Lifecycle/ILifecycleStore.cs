using Alignment.Leads;

namespace Alignment.Lifecycle;

/// <summary>Durable lifecycle state of leads, with optimistic concurrency so that two hosts never overwrite each other's transition.</summary>
/// <remarks>Implementations are thread-safe.</remarks>
public interface ILifecycleStore
{
    /// <summary>
    /// Whether the store writes a <see cref="Decisions.AlignmentDecision.StageChanged"/> for each transition a save adds into an
    /// <see cref="Decisions.IDecisionOutbox"/>, in the same unit of work as the save (key <c>stage-changed:{lead}:{n}</c> for the
    /// lead's n-th transition). When <see langword="true"/>, the engines publish no stage change themselves: a
    /// <see cref="Decisions.DecisionRelay"/> delivers them. <see langword="false"/> by default.
    /// </summary>
    bool RecordsDecisions => false;

    /// <summary>Finds a lead's lifecycle.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lifecycle, or <see langword="null"/> when the store has never seen the lead.</returns>
    ValueTask<LeadLifecycle?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default);

    /// <summary>Saves a lifecycle if the stored one is still at <paramref name="expectedVersion"/>.</summary>
    /// <param name="lifecycle">The new lifecycle.</param>
    /// <param name="expectedVersion">The <see cref="LeadLifecycle.Version"/> the caller read: 0 for a lead the store has never seen, and also for a stored lifecycle that has no transition yet.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when saved; <see langword="false"/> when another writer got there first (read again and retry).</returns>
    ValueTask<bool> TrySaveAsync(LeadLifecycle lifecycle, int expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Lists every lead's lifecycle (for audits such as "leads without an owner or a track").</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The lifecycles, in no particular order.</returns>
    IAsyncEnumerable<LeadLifecycle> ListAsync(CancellationToken cancellationToken = default);
}
