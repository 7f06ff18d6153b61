using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Alignment.Leads;

namespace Alignment.Lifecycle;

/// <summary>The embedded, in-process <see cref="ILifecycleStore"/>: thread-safe, lost on restart.</summary>
public sealed class InMemoryLifecycleStore : ILifecycleStore
{
    private readonly ConcurrentDictionary<LeadId, LeadLifecycle> _items = new();

    /// <inheritdoc />
    public ValueTask<LeadLifecycle?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_items.TryGetValue(leadId, out var l) ? l : null);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="lifecycle"/> is null.</exception>
    public ValueTask<bool> TrySaveAsync(LeadLifecycle lifecycle, int expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        cancellationToken.ThrowIfCancellationRequested();
        if (expectedVersion == 0)
        {
            return ValueTask.FromResult(_items.TryAdd(lifecycle.LeadId, lifecycle));
        }

        while (_items.TryGetValue(lifecycle.LeadId, out var current))
        {
            if (current.Version != expectedVersion)
            {
                return ValueTask.FromResult(false);
            }

            if (_items.TryUpdate(lifecycle.LeadId, lifecycle, current))
            {
                return ValueTask.FromResult(true);
            }
        }

        return ValueTask.FromResult(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LeadLifecycle> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var item in _items.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
