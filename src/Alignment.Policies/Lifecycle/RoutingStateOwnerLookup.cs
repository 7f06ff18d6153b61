using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;

namespace Alignment.Policies.Lifecycle;

/// <summary>
/// An <see cref="ILeadOwnerLookup"/> over the handoff router's <see cref="IRoutingStateStore"/>: the rep or queue of the lead's
/// handoff, unless sales rejected or recycled it (then sales holds nothing).
/// </summary>
/// <remarks>Thread-safe when the store is.</remarks>
public sealed class RoutingStateOwnerLookup : ILeadOwnerLookup
{
    private readonly IRoutingStateStore _store;

    /// <summary>Creates the lookup.</summary>
    /// <param name="store">The routing state.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    public RoutingStateOwnerLookup(IRoutingStateStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <inheritdoc />
    public async ValueTask<string?> FindOwnerAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        var handoff = await _store.FindAsync(leadId, cancellationToken).ConfigureAwait(false);
        if (handoff is null || handoff.Status is HandoffStatus.Rejected or HandoffStatus.Recycled)
        {
            return null;
        }

        return handoff.Decision switch
        {
            HandoffDecision.Assigned a => $"rep {a.Rep} ({handoff.Status})",
            HandoffDecision.Queued q => $"queue '{q.Queue}' ({handoff.Status})",
            _ => null,
        };
    }
}
