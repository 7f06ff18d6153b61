using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;

namespace Alignment.Cli.Demo;

/// <summary>
/// The demo's routing state: the in-memory store, except that routing a lead whose last handoff is over (accepted and worked,
/// rejected, recycled, or waiting in a queue) decides again instead of returning the old handoff. In the demo a lead is routed
/// only when it (again) becomes an MQL, so a recycled lead that comes back gets a fresh owner, and a queued lead is picked up
/// by the next sweep.
/// </summary>
/// <param name="inner">The store that keeps the state.</param>
internal sealed class ReopeningRoutingStateStore(IRoutingStateStore inner) : IRoutingStateStore
{
    /// <inheritdoc />
    public bool RecordsDecisions => inner.RecordsDecisions;

    /// <inheritdoc />
    public ValueTask<HandoffAssignment?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default) => inner.FindAsync(leadId, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<HandoffAssignment> DecideAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default)
    {
        if (expectedEpoch is null && await inner.FindAsync(leadId, cancellationToken).ConfigureAwait(false) is { } current
            && current.Status is HandoffStatus.Accepted or HandoffStatus.Rejected or HandoffStatus.Recycled or HandoffStatus.Queued)
        {
            expectedEpoch = current.Epoch;
        }

        return await inner.DecideAsync(policy, leadId, expectedEpoch, decide, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<HandoffAssignment?> UpdateAsync(LeadId leadId, int expectedEpoch, Func<HandoffAssignment, HandoffAssignment> update, Func<HandoffAssignment, HandoffAssignment, AlignmentDecision?>? decision = null, CancellationToken cancellationToken = default) =>
        inner.UpdateAsync(leadId, expectedEpoch, update, decision, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<HandoffAssignment>> ListAwaitingFirstTouchAsync(CancellationToken cancellationToken = default) => inner.ListAwaitingFirstTouchAsync(cancellationToken);

    public ValueTask<IReadOnlyList<HandoffAssignment>> ListOpenAsync(RepId rep, CancellationToken cancellationToken = default) => inner.ListOpenAsync(rep, cancellationToken);

    /// <inheritdoc />
    public ValueTask<RepLoad> GetRepLoadAsync(RepId rep, CancellationToken cancellationToken = default) => inner.GetRepLoadAsync(rep, cancellationToken);
}
