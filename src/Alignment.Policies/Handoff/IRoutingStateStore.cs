using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;

namespace Alignment.Policies.Handoff;

/// <summary>
/// Shared routing state: each lead's current handoff, rep capacity counters, rotation cursors and open service-level timers.
/// A decision runs inside the store's unit of work (a lock, or one database
/// transaction), so that several hosts routing at once never exceed a cap, never assign a lead twice and never skip one.
/// </summary>
/// <remarks>Implementations are thread-safe, and every method is atomic: a failed call leaves nothing behind and can be retried.</remarks>
public interface IRoutingStateStore
{
    /// <summary>
    /// Whether the store writes the decisions its changes make into an <see cref="IDecisionOutbox"/>, in the same unit of work:
    /// <see cref="AlignmentDecision.Routed"/> for every handoff <see cref="DecideAsync(CompiledRoutingPolicy, LeadId, int?, Func{HandoffAssignment?, RoutingState, HandoffAssignment}, CancellationToken)"/> saves (key <c>routed:{lead}:{epoch}</c>) and
    /// the decision an <see cref="UpdateAsync"/> names (key <c>{kind}:{lead}:{epoch}</c>). When <see langword="true"/>, the router
    /// publishes nothing itself: a <see cref="DecisionRelay"/> delivers from the outbox. <see langword="false"/> by default.
    /// </summary>
    bool RecordsDecisions => false;

    /// <summary>Finds a lead's current handoff.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The handoff, or <see langword="null"/> when the lead was never routed.</returns>
    ValueTask<HandoffAssignment?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a routing decision atomically. The store takes its lock, reads the lead's current handoff and, unless it already
    /// has the answer, loads the policy's <see cref="RoutingState"/>, frees the capacity the current handoff holds, calls
    /// <paramref name="decide"/>, and saves the new handoff, the replaced one (as history) and every changed counter together.
    /// </summary>
    /// <param name="policy">The policy whose state to load.</param>
    /// <param name="leadId">The lead.</param>
    /// <param name="expectedEpoch">
    /// <see langword="null"/> for a routing request: a lead whose handoff is still open gets it back unchanged (idempotent); a lead
    /// without a handoff, or whose handoff is <see cref="HandoffAssignment.IsClosed">closed</see> (accepted, rejected, recycled), is
    /// decided afresh at the next epoch, and the closed handoff is kept as history. Otherwise the epoch of the handoff to replace:
    /// when the current one has another epoch, it is returned unchanged (someone else rerouted first).
    /// </param>
    /// <param name="decide">Makes the decision from the current handoff and the loaded state; returns the handoff with the next epoch.</param>
    /// <param name="cancellationToken">Cancels the call; nothing is saved.</param>
    /// <returns>The handoff in force after the call.</returns>
    ValueTask<HandoffAssignment> DecideAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes a routing decision atomically, as <see cref="DecideAsync(CompiledRoutingPolicy, LeadId, int?, Func{HandoffAssignment?, RoutingState, HandoffAssignment}, CancellationToken)"/>
    /// does, telling the store what the decision can touch, so that a store that locks only that (the PostgreSQL store locks
    /// those pools and reps) lets decisions in other pools run at the same time. The default implementation ignores
    /// <paramref name="footprint"/>.
    /// </summary>
    /// <param name="policy">The policy whose state to load.</param>
    /// <param name="leadId">The lead.</param>
    /// <param name="expectedEpoch">As for the other overload.</param>
    /// <param name="footprint">
    /// What <paramref name="decide"/> can read and change: <see cref="CompiledRoutingPolicy.GetFootprint"/> of
    /// <paramref name="policy"/> for the facts and phase <paramref name="decide"/> routes with (the facts of the handoff at
    /// <paramref name="expectedEpoch"/> for a reroute), or <see cref="CompiledRoutingPolicy.GetWholeFootprint"/>. The store frees
    /// the current handoff's capacity itself, so its rep need not be in it.
    /// </param>
    /// <param name="decide">Makes the decision from the current handoff and the loaded state; returns the handoff with the next epoch.</param>
    /// <param name="cancellationToken">Cancels the call; nothing is saved.</param>
    /// <returns>The handoff in force after the call.</returns>
    ValueTask<HandoffAssignment> DecideWithinAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, RoutingFootprint footprint, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default) =>
        DecideAsync(policy, leadId, expectedEpoch, decide, cancellationToken);

    /// <summary>
    /// Updates a lead's current handoff atomically (first touch, accept, reject, escalation mark); when the update leaves a
    /// status that holds capacity, the rep's open count goes down in the same unit of work.
    /// </summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="expectedEpoch">The epoch of the handoff to update.</param>
    /// <param name="update">Returns the updated handoff (same lead and epoch).</param>
    /// <param name="decision">
    /// The decision the update makes (for example <see cref="AlignmentDecision.SlaBreached"/>), from the handoff before and after it;
    /// a store that <see cref="RecordsDecisions">records decisions</see> writes it in the same unit of work, others ignore it.
    /// <see langword="null"/> for none.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated handoff, or <see langword="null"/> when the lead has no handoff at that epoch.</returns>
    ValueTask<HandoffAssignment?> UpdateAsync(LeadId leadId, int expectedEpoch, Func<HandoffAssignment, HandoffAssignment> update, Func<HandoffAssignment, HandoffAssignment, AlignmentDecision?>? decision = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the handoffs whose service-level clock runs (status <see cref="HandoffStatus.Assigned"/>), earliest due first, then by
    /// lead id (ordinal), so that every store hands the SLA check the same order.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The handoffs.</returns>
    ValueTask<IReadOnlyList<HandoffAssignment>> ListAwaitingFirstTouchAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists a rep's open handoffs: those assigned to the rep and not yet answered (status <see cref="HandoffStatus.Assigned"/>,
    /// still awaiting the first touch, or <see cref="HandoffStatus.Touched"/>, touched but neither accepted nor rejected),
    /// earliest service-level due time first (handoffs without one last), then oldest decision first.
    /// </summary>
    /// <param name="rep">The rep.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The handoffs.</returns>
    ValueTask<IReadOnlyList<HandoffAssignment>> ListOpenAsync(RepId rep, CancellationToken cancellationToken = default);

    /// <summary>Reads a rep's capacity counters.</summary>
    /// <param name="rep">The rep.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The counters (all zero for a rep the store has not seen).</returns>
    ValueTask<RepLoad> GetRepLoadAsync(RepId rep, CancellationToken cancellationToken = default);
}
