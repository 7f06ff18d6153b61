using System.Collections.Concurrent;
using Alignment.Handoff;
using Alignment.Leads;

namespace Alignment.Policies.Tests.Nurture.TestDoubles;

/// <summary>A minimal in-memory IAssignmentStore test double (no caps).</summary>
public sealed class StubAssignmentStore : IAssignmentStore
{
    private readonly ConcurrentDictionary<LeadId, HandoffDecision> _decisions = new();
    private readonly ConcurrentDictionary<string, long> _cursors = new();

    public ValueTask<HandoffDecision?> FindDecisionAsync(LeadId leadId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_decisions.TryGetValue(leadId, out var d) ? d : null);

    public ValueTask<HandoffDecision> RecordAsync(HandoffDecision decision, int? maxOpenLeads, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_decisions.GetOrAdd(decision.LeadId, decision));

    public ValueTask<int> CountOpenAsync(RepId rep, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_decisions.Values.Count(d => d is HandoffDecision.Assigned a && a.Rep == rep));

    public ValueTask<bool> CloseAsync(LeadId leadId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(false);

    /// <summary>Forgets a lead's decision, as a host does when sales hands the lead back (so the next MQL is routed afresh).</summary>
    public void Forget(LeadId leadId) => _decisions.TryRemove(leadId, out _);

    public ValueTask<long> NextInRotationAsync(string pool, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_cursors.AddOrUpdate(pool, 1, static (_, v) => v + 1) - 1);
}
