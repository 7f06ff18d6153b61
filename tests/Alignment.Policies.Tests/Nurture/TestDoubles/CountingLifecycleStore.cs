using Alignment.Leads;
using Alignment.Lifecycle;

namespace Alignment.Policies.Tests.Nurture.TestDoubles;

/// <summary>An in-memory lifecycle store that counts its reads.</summary>
public sealed class CountingLifecycleStore : ILifecycleStore
{
    private readonly InMemoryLifecycleStore _inner = new();

    public int Finds { get; private set; }

    public ValueTask<LeadLifecycle?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        Finds++;
        return _inner.FindAsync(leadId, cancellationToken);
    }

    public ValueTask<bool> TrySaveAsync(LeadLifecycle lifecycle, int expectedVersion, CancellationToken cancellationToken = default) =>
        _inner.TrySaveAsync(lifecycle, expectedVersion, cancellationToken);

    public IAsyncEnumerable<LeadLifecycle> ListAsync(CancellationToken cancellationToken = default) => _inner.ListAsync(cancellationToken);
}
