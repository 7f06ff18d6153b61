using Alignment.Leads;

namespace Alignment.Handoff;

/// <summary>
/// Shared assignment state: who owns which lead, rotation cursors and capacity counters. The in-memory store is the
/// embedded default; a database store lets several CRM instances route at once.
/// </summary>
/// <remarks>Implementations are thread-safe, and every method is atomic: an assignment either happens completely or not at all.</remarks>
public interface IAssignmentStore
{
    /// <summary>Finds the decision already recorded for a lead.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The recorded decision, or <see langword="null"/> when the lead was never routed.</returns>
    ValueTask<HandoffDecision?> FindDecisionAsync(LeadId leadId, CancellationToken cancellationToken = default);

    /// <summary>Records a decision unless the lead already has one, and counts it against the rep's caps.</summary>
    /// <param name="decision">The decision.</param>
    /// <param name="maxOpenLeads">The rep's cap on open leads, checked atomically with the insert; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decision in force for the lead: <paramref name="decision"/> when it was recorded, or the earlier one.</returns>
    /// <exception cref="InvalidOperationException">The rep is at the cap; nothing was recorded.</exception>
    ValueTask<HandoffDecision> RecordAsync(HandoffDecision decision, int? maxOpenLeads, CancellationToken cancellationToken = default);

    /// <summary>Counts the leads a rep holds open.</summary>
    /// <param name="rep">The rep.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of open leads.</returns>
    ValueTask<int> CountOpenAsync(RepId rep, CancellationToken cancellationToken = default);

    /// <summary>Closes a lead for capacity purposes (accepted and worked, rejected, or reassigned).</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when an open assignment was closed.</returns>
    ValueTask<bool> CloseAsync(LeadId leadId, CancellationToken cancellationToken = default);

    /// <summary>Advances a pool's rotation cursor and returns its previous value, atomically.</summary>
    /// <param name="pool">The pool's key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The cursor before the increment (0 for a new pool).</returns>
    ValueTask<long> NextInRotationAsync(string pool, CancellationToken cancellationToken = default);
}
