using System.Collections.Concurrent;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Lifecycle;

namespace Alignment.Policies.Tests.Nurture.TestDoubles;

/// <summary>A minimal in-memory record of who owns which lead (no caps), and the owner lookup the lifecycle audit reads.</summary>
public sealed class StubAssignmentStore : ILeadOwnerLookup
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

    public async ValueTask<string?> FindOwnerAsync(LeadId leadId, CancellationToken cancellationToken = default) =>
        await FindDecisionAsync(leadId, cancellationToken) switch
        {
            HandoffDecision.Assigned a => $"rep {a.Rep}",
            HandoffDecision.Queued q => $"queue '{q.Queue}'",
            _ => null,
        };

    public ValueTask<long> NextInRotationAsync(string pool, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_cursors.AddOrUpdate(pool, 1, static (_, v) => v + 1) - 1);
}
