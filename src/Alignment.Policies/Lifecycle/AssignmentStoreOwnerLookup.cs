using Alignment.Handoff;
using Alignment.Leads;

namespace Alignment.Policies.Lifecycle;

/// <summary>An <see cref="ILeadOwnerLookup"/> over an <see cref="IAssignmentStore"/>: the lead's recorded routing decision.</summary>
/// <remarks>Thread-safe when the store is.</remarks>
public sealed class AssignmentStoreOwnerLookup : ILeadOwnerLookup
{
    private readonly IAssignmentStore _store;

    /// <summary>Creates the lookup.</summary>
    /// <param name="store">The assignment store.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    public AssignmentStoreOwnerLookup(IAssignmentStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <inheritdoc />
    public async ValueTask<string?> FindOwnerAsync(LeadId leadId, CancellationToken cancellationToken = default) =>
        await _store.FindDecisionAsync(leadId, cancellationToken).ConfigureAwait(false) switch
        {
            HandoffDecision.Assigned a => $"rep {a.Rep}",
            HandoffDecision.Queued q => $"queue '{q.Queue}'",
            _ => null,
        };
}
