using System.Collections.Concurrent;
using Alignment.Leads;

namespace Alignment.Policies.Nurture;

/// <summary>An <see cref="ILeadSnapshotSource"/> over snapshots held in memory; the host (or a test) puts the latest snapshot of each lead.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InMemoryLeadSnapshotSource : ILeadSnapshotSource
{
    private readonly ConcurrentDictionary<LeadId, LeadSnapshot> _items = new();

    /// <summary>Stores or replaces a lead's snapshot.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is null.</exception>
    public void Put(LeadSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _items[snapshot.Lead.Id] = snapshot;
    }

    /// <inheritdoc />
    public ValueTask<LeadSnapshot?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_items.TryGetValue(leadId, out var s) ? s : null);
    }
}
