using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Alignment.Collections;
using Alignment.Decisions;
using Alignment.Leads;

namespace Alignment.Lifecycle;

/// <summary>The embedded, in-process <see cref="ILifecycleStore"/>: thread-safe, lost on restart.</summary>
public sealed class InMemoryLifecycleStore : ILifecycleStore
{
    // Sharded: a ConcurrentDictionary grows by locking every writer out while it copies all its entries, which at a million leads
    // stalls every save for tens of milliseconds; a shard grows alone, a sixty-fourth at a time (Shards, ShardedDictionary). A
    // shard is made at its first use, so that a store with no leads yet holds one array, not 64 dictionaries.
    private readonly ConcurrentDictionary<LeadId, LeadLifecycle>?[] _shards = new ConcurrentDictionary<LeadId, LeadLifecycle>?[Shards.Count];
    private readonly InMemoryDecisionOutbox? _outbox;
    private readonly Lock _gate = new();

    /// <summary>Creates a store.</summary>
    /// <param name="outbox">
    /// Where to write a <see cref="AlignmentDecision.StageChanged"/> for each transition a save adds, under one lock with the save
    /// (<see cref="ILifecycleStore.RecordsDecisions"/>), for a <see cref="DecisionRelay"/> to deliver; <see langword="null"/> to
    /// record none (the engines publish them directly).
    /// </param>
    public InMemoryLifecycleStore(InMemoryDecisionOutbox? outbox = null) => _outbox = outbox;

    /// <inheritdoc />
    bool ILifecycleStore.RecordsDecisions => _outbox is not null;

    /// <inheritdoc />
    public ValueTask<LeadLifecycle?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // A read makes no shard: an unknown lead in a shard not made yet is simply not found.
        var shard = Volatile.Read(ref _shards[Shards.Of(leadId.GetHashCode())]);
        return ValueTask.FromResult(shard is not null && shard.TryGetValue(leadId, out var l) ? l : null);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="lifecycle"/> is null.</exception>
    public ValueTask<bool> TrySaveAsync(LeadLifecycle lifecycle, int expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        cancellationToken.ThrowIfCancellationRequested();
        if (_outbox is null)
        {
            return ValueTask.FromResult(TrySave(lifecycle, expectedVersion));
        }

        // Recording: the save and its decisions under one lock, so the outbox holds each lead's stage changes in order.
        lock (_gate)
        {
            if (!TrySave(lifecycle, expectedVersion))
            {
                return ValueTask.FromResult(false);
            }

            for (int i = expectedVersion; i < lifecycle.History.Length; i++)
            {
                var changed = new AlignmentDecision.StageChanged(lifecycle.LeadId, lifecycle.History[i]);
                _outbox.Append(DecisionKeys.For(changed, i + 1), changed);
            }

            return ValueTask.FromResult(true);
        }
    }

    private ConcurrentDictionary<LeadId, LeadLifecycle> Items(LeadId leadId)
    {
        ref var shard = ref _shards[Shards.Of(leadId.GetHashCode())];
        if (Volatile.Read(ref shard) is { } made)
        {
            return made;
        }

        var mine = new ConcurrentDictionary<LeadId, LeadLifecycle>();
        return Interlocked.CompareExchange(ref shard, mine, null) ?? mine; // the first writer's shard, whoever made it
    }

    private bool TrySave(LeadLifecycle lifecycle, int expectedVersion)
    {
        var items = Items(lifecycle.LeadId);
        while (true)
        {
            if (!items.TryGetValue(lifecycle.LeadId, out var current))
            {
                // Not stored yet: only a caller that read nothing (version 0) may add it.
                if (expectedVersion != 0)
                {
                    return false;
                }

                if (items.TryAdd(lifecycle.LeadId, lifecycle))
                {
                    return true;
                }

                continue; // another writer added it meanwhile: compare against theirs
            }

            // Stored: the caller must have read the version now stored (0 included: a lifecycle saved before any move).
            if (current.Version != expectedVersion)
            {
                return false;
            }

            if (items.TryUpdate(lifecycle.LeadId, lifecycle, current))
            {
                return true;
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LeadLifecycle> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Each shard's values copied up front (a ConcurrentDictionary's Values is a snapshot), one shard after another: a lead
        // saved meanwhile may or may not be listed, as the interface allows.
        LeadLifecycle[] all = [.. _shards.SelectMany(static s => s?.Values ?? [])];
        foreach (var item in all)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
