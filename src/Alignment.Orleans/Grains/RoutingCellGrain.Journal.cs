using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace Alignment.Orleans.Grains;

/// <summary>
/// What one save of a <see cref="RoutingCellGrain"/> changed, written instead of its whole state: the counters, rotations,
/// holders and commits it set or removed, the decisions it added to the outbox, and the few values that are always written.
/// </summary>
[GenerateSerializer]
[Alias("alignment.cell-delta.v1")]
internal sealed class CellDelta
{
    /// <summary>The save's number: one more than the save before it.</summary>
    [Id(0)] public long Sequence { get; set; }

    /// <summary>The <see cref="Link"/> of the save before it (the snapshot's when that one was a snapshot).</summary>
    [Id(1)] public Guid Previous { get; set; }

    /// <summary>This save's own random link, which the next one names: a delta left by a history that was not continued is not replayed.</summary>
    [Id(2)] public Guid Link { get; set; }

    [Id(3)] public RepLoadRecord[] Reps { get; set; } = [];
    [Id(4)] public PoolRotationRecord[] Pools { get; set; } = [];
    [Id(5)] public HolderRecord[] Holders { get; set; } = [];
    [Id(6)] public string[] RemovedHolders { get; set; } = [];
    [Id(7)] public string[] AppliedLeads { get; set; } = [];
    [Id(8)] public Guid[] AppliedCommits { get; set; } = [];
    [Id(9)] public string[] ForgottenLeads { get; set; } = [];

    /// <summary>The whole list of aborted commits when it changed; <see langword="null"/> when it did not.</summary>
    [Id(10)] public Guid[]? Aborted { get; set; }

    [Id(11)] public bool Reminder { get; set; }

    /// <summary>The decisions added to the outbox by this save.</summary>
    [Id(12)] public RecordedDecision[] Outbox { get; set; } = [];

    /// <summary>The sequence of the oldest decision still in the outbox: those before it were acknowledged.</summary>
    [Id(13)] public long OutboxFrom { get; set; }

    [Id(14)] public long OutboxSequence { get; set; }
}

/// <content>
/// How the cell saves. A cell's state grows with its open handoffs (thousands in a busy cell), and writing all of it on every
/// decision made each decision cost O(open handoffs) in serialising and storage traffic. So a save writes only what changed, a
/// <see cref="CellDelta"/>, into one of <see cref="JournalSlots"/> records kept beside the state (a ring, through the same grain
/// storage, so any Orleans provider keeps it); every <see cref="JournalSlots"/>-th save writes the whole state instead (the
/// snapshot, which names the last save it holds). An activation reads the snapshot and the ring and replays, in order, the deltas
/// after the snapshot that link to it one after the other. Each write is one record, so a save is whole or absent; after a
/// failed write the activation writes nothing more and is dropped, so the saved history has no gap.
/// </content>
internal sealed partial class RoutingCellGrain
{
    /// <summary>How many deltas the ring holds: a snapshot is written at least this often.</summary>
    internal const int JournalSlots = 64;

    private readonly HashSet<string> _changedReps = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedPools = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedHolders = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedApplied = new(StringComparer.Ordinal);
    private readonly GrainState<CellDelta>[] _slots = new GrainState<CellDelta>[JournalSlots];
    private IGrainStorage _storage = null!;
    private long _journalSequence;
    private Guid _journalLink;
    private int _abortedSaved;
    private Guid _abortedLastSaved;
    private long _outboxSaved;
    private bool _journalBroken;

    /// <summary>The state name of a ring slot, beside the snapshot's <c>cell</c>.</summary>
    internal static string SlotName(long sequence) => "cell-log-" + (sequence % JournalSlots).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void SetRep(RepLoadRecord rep)
    {
        S.Reps[rep.Rep] = rep;
        _changedReps.Add(rep.Rep);
    }

    private void SetPool(PoolRotationRecord pool)
    {
        S.Pools[pool.Pool] = pool;
        _changedPools.Add(pool.Pool);
    }

    private void SetHolder(HolderRecord holder)
    {
        S.Holders[holder.Lead] = holder;
        _changedHolders.Add(holder.Lead);
    }

    private void RemoveHolder(string lead)
    {
        if (S.Holders.Remove(lead))
        {
            _changedHolders.Add(lead);
        }
    }

    private void SetApplied(string lead, Guid commit)
    {
        S.Applied[lead] = commit;
        _changedApplied.Add(lead);
    }

    private void RemoveApplied(string lead)
    {
        if (S.Applied.Remove(lead))
        {
            _changedApplied.Add(lead);
        }
    }

    /// <summary>Reads the ring and replays the deltas saved after the snapshot the runtime loaded.</summary>
    private async Task RecoverAsync()
    {
        _storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(AlignmentOrleans.StorageName);
        var id = this.GetGrainId();
        var reads = new Task[JournalSlots];
        for (int i = 0; i < JournalSlots; i++)
        {
            _slots[i] = new GrainState<CellDelta>(new CellDelta());
            reads[i] = _storage.ReadStateAsync(SlotName(i), id, _slots[i]);
        }

        await Task.WhenAll(reads);
        _journalSequence = S.JournalSequence;
        _journalLink = S.JournalLink;
        while (true)
        {
            var slot = _slots[(_journalSequence + 1) % JournalSlots];
            if (!slot.RecordExists || slot.State is not { } delta || delta.Sequence != _journalSequence + 1 || delta.Previous != _journalLink)
            {
                break;
            }

            Replay(delta);
            _journalSequence = delta.Sequence;
            _journalLink = delta.Link;
        }

        MarkSaved();
    }

    private void Replay(CellDelta delta)
    {
        foreach (var rep in delta.Reps)
        {
            S.Reps[rep.Rep] = rep;
        }

        foreach (var pool in delta.Pools)
        {
            S.Pools[pool.Pool] = pool;
        }

        foreach (string lead in delta.RemovedHolders)
        {
            S.Holders.Remove(lead);
        }

        foreach (var holder in delta.Holders)
        {
            S.Holders[holder.Lead] = holder;
        }

        foreach (string lead in delta.ForgottenLeads)
        {
            S.Applied.Remove(lead);
        }

        for (int i = 0; i < delta.AppliedLeads.Length; i++)
        {
            S.Applied[delta.AppliedLeads[i]] = delta.AppliedCommits[i];
        }

        if (delta.Aborted is { } aborted)
        {
            S.Aborted = [.. aborted];
        }

        S.Reminder = delta.Reminder;
        S.Outbox.RemoveAll(d => d.Sequence < delta.OutboxFrom);
        S.Outbox.AddRange(delta.Outbox);
        S.OutboxSequence = delta.OutboxSequence;
    }

    /// <summary>
    /// Saves what changed since the last save (every <see cref="JournalSlots"/>-th time, the whole state). When a write fails the
    /// activation is dropped and writes nothing more, so the next activation starts from what was saved.
    /// </summary>
    private async Task SaveAsync()
    {
        if (_journalBroken)
        {
            throw new InvalidOperationException($"Routing cell {this.GetPrimaryKeyString()} failed to save and is being deactivated; the call is refused.");
        }

        long sequence = _journalSequence + 1;
        var link = Guid.NewGuid();
        try
        {
            if (sequence - S.JournalSequence >= JournalSlots)
            {
                S.JournalSequence = sequence;
                S.JournalLink = link;
                await state.WriteStateAsync();
            }
            else
            {
                var slot = _slots[sequence % JournalSlots];
                slot.State = Delta(sequence, link);
                await _storage.WriteStateAsync(SlotName(sequence), this.GetGrainId(), slot);
            }
        }
        catch
        {
            _journalBroken = true;
            DeactivateOnIdle();
            throw;
        }

        _journalSequence = sequence;
        _journalLink = link;
        MarkSaved();
    }

    private CellDelta Delta(long sequence, Guid link)
    {
        var delta = new CellDelta
        {
            Sequence = sequence,
            Previous = _journalLink,
            Link = link,
            Reminder = S.Reminder,
            OutboxFrom = S.Outbox.Count > 0 ? S.Outbox[0].Sequence : S.OutboxSequence + 1,
            OutboxSequence = S.OutboxSequence,
        };
        if (_changedReps.Count > 0)
        {
            delta.Reps = [.. _changedReps.Select(r => S.Reps.GetValueOrDefault(r)).OfType<RepLoadRecord>()];
        }

        if (_changedPools.Count > 0)
        {
            delta.Pools = [.. _changedPools.Select(p => S.Pools.GetValueOrDefault(p)).OfType<PoolRotationRecord>()];
        }

        if (_changedHolders.Count > 0)
        {
            delta.Holders = [.. _changedHolders.Select(l => S.Holders.GetValueOrDefault(l)).OfType<HolderRecord>()];
            delta.RemovedHolders = [.. _changedHolders.Where(l => !S.Holders.ContainsKey(l))];
        }

        if (_changedApplied.Count > 0)
        {
            var set = _changedApplied.Where(S.Applied.ContainsKey).ToArray();
            delta.AppliedLeads = set;
            delta.AppliedCommits = [.. set.Select(l => S.Applied[l])];
            delta.ForgottenLeads = [.. _changedApplied.Where(l => !S.Applied.ContainsKey(l))];
        }

        if (S.Aborted.Count != _abortedSaved || (S.Aborted.Count > 0 && S.Aborted[^1] != _abortedLastSaved))
        {
            delta.Aborted = [.. S.Aborted];
        }

        if (S.OutboxSequence > _outboxSaved)
        {
            delta.Outbox = [.. S.Outbox.Where(d => d.Sequence > _outboxSaved)];
        }

        return delta;
    }

    /// <summary>What is in memory now is what is saved.</summary>
    private void MarkSaved()
    {
        _changedReps.Clear();
        _changedPools.Clear();
        _changedHolders.Clear();
        _changedApplied.Clear();
        _abortedSaved = S.Aborted.Count;
        _abortedLastSaved = S.Aborted.Count > 0 ? S.Aborted[^1] : Guid.Empty;
        _outboxSaved = S.OutboxSequence;
    }
}
