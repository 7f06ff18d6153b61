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
        while (true)
        {
            if (!_items.TryGetValue(lifecycle.LeadId, out var current))
            {
                // Not stored yet: only a caller that read nothing (version 0) may add it.
                if (expectedVersion != 0)
                {
                    return ValueTask.FromResult(false);
                }

                if (_items.TryAdd(lifecycle.LeadId, lifecycle))
                {
                    return ValueTask.FromResult(true);
                }

                continue; // another writer added it meanwhile: compare against theirs
            }

            // Stored: the caller must have read the version now stored (0 included: a lifecycle saved before any move).
            if (current.Version != expectedVersion)
            {
                return ValueTask.FromResult(false);
            }

            if (_items.TryUpdate(lifecycle.LeadId, lifecycle, current))
            {
                return ValueTask.FromResult(true);
            }
        }
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
