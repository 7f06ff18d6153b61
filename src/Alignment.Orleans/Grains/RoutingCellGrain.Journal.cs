using System.Globalization;
using System.Text;
using Orleans;
using Orleans.Runtime;

namespace Alignment.Orleans.Grains;

/// <summary>
/// What one save of a <see cref="RoutingCellGrain"/> changed, written instead of its whole state: the counters, rotations,
/// holders and commits it set or removed, the decisions it added to the outbox, and the few values that are always written.
/// </summary>
[GenerateSerializer]
[Alias("alignment.cell-delta.v1")]
internal sealed class CellDelta : JournalDelta
{
    /// <summary>The reps' counters set by the save.</summary>
    [Id(3)] public RepLoadRecord[] Reps { get; set; } = [];

    /// <summary>The pools' rotations set by the save.</summary>
    [Id(4)] public PoolRotationRecord[] Pools { get; set; } = [];

    /// <summary>The holders set by the save, beside <see cref="HolderLeads"/>.</summary>
    [Id(5)] public HolderRecord[] Holders { get; set; } = [];

    /// <summary>The leads (the keys) of <see cref="Holders"/>, in the same order.</summary>
    [Id(15)] public string[] HolderLeads { get; set; } = [];

    /// <summary>The leads whose holders the save removed.</summary>
    [Id(6)] public string[] RemovedHolders { get; set; } = [];

    /// <summary>The leads whose applied commit the save set, beside <see cref="AppliedCommits"/>.</summary>
    [Id(7)] public string[] AppliedLeads { get; set; } = [];

    /// <summary>The commits of <see cref="AppliedLeads"/>, in the same order.</summary>
    [Id(8)] public Guid[] AppliedCommits { get; set; } = [];

    /// <summary>The leads whose applied commit the save dropped (their lead grains confirmed them).</summary>
    [Id(9)] public string[] ForgottenLeads { get; set; } = [];

    /// <summary>The whole list of aborted commits when it changed; <see langword="null"/> when it did not.</summary>
    [Id(10)] public Guid[]? Aborted { get; set; }

    /// <summary>Whether the cell's reminder is registered (written on every save).</summary>
    [Id(11)] public bool Reminder { get; set; }

    /// <summary>The decisions added to the outbox by this save.</summary>
    [Id(12)] public RecordedDecision[] Outbox { get; set; } = [];

    /// <summary>The sequence of the oldest decision still in the outbox: those before it were acknowledged.</summary>
    [Id(13)] public long OutboxFrom { get; set; }

    /// <summary>The sequence of the last decision put in the outbox (written on every save).</summary>
    [Id(14)] public long OutboxSequence { get; set; }
}

/// <content>
/// How the cell saves (<see cref="GrainJournal{TState, TDelta}"/>). A cell's state grows with its open handoffs (thousands in a
/// busy cell), and writing all of it on every decision made each decision cost O(open handoffs) in serialising and storage
/// traffic. So a save writes only what changed, a <see cref="CellDelta"/>, and every 64th save the whole state. The changes are
/// marked where they are made (<see cref="SetRep"/>, <see cref="SetHolder"/>...); the aborted commits (rare) are written whole
/// when they change, and the outbox as the decisions added and the oldest one kept.
/// </content>
internal sealed partial class RoutingCellGrain
{
    private readonly HashSet<string> _changedReps = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedPools = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedHolders = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changedApplied = new(StringComparer.Ordinal);
    private GrainJournal<CellState, CellDelta>? _journal;
    private int _abortedSaved;
    private Guid _abortedLastSaved;
    private long _outboxSaved;

    /// <summary>The state name of the ring's records, followed by the slot's number.</summary>
    internal const string JournalPrefix = "cell-log-";

    private GrainJournal<CellState, CellDelta> Journal => _journal ??= new(state, JournalPrefix);

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

    private void SetHolder(string lead, HolderRecord holder)
    {
        S.Holders[lead] = holder;
        _changedHolders.Add(lead);
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

    /// <summary>Replays the deltas saved after the snapshot the runtime loaded.</summary>
    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await Journal.RecoverAsync(ServiceProvider, this.GetGrainId(), Replay, cancellationToken);
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

        for (int i = 0; i < delta.Holders.Length; i++)
        {
            S.Holders[delta.HolderLeads[i]] = delta.Holders[i];
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
        if (S.Outbox.Count > 0 && S.Outbox[0].Sequence < delta.OutboxFrom)
        {
            S.Outbox.RemoveAll(d => d.Sequence < delta.OutboxFrom);
        }

        S.Outbox.AddRange(delta.Outbox);
        S.OutboxSequence = delta.OutboxSequence;
    }

    /// <summary>Saves what changed since the last save; when the write fails the activation is dropped and saves nothing more.</summary>
    private async Task SaveAsync()
    {
        try
        {
            await Journal.SaveAsync(Delta);
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }

        MarkSaved();
    }

    private CellDelta Delta()
    {
        var delta = new CellDelta
        {
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
            (delta.HolderLeads, delta.Holders, delta.RemovedHolders) = Split(_changedHolders, S.Holders);
        }

        if (_changedApplied.Count > 0)
        {
            (delta.AppliedLeads, delta.AppliedCommits, delta.ForgottenLeads) = Split(_changedApplied, S.Applied);
        }

        if (S.Aborted.Count != _abortedSaved || (S.Aborted.Count > 0 && S.Aborted[^1] != _abortedLastSaved))
        {
            delta.Aborted = [.. S.Aborted];
        }

        if (S.OutboxSequence > _outboxSaved)
        {
            // The decisions added since the last save are at the end (an outbox nobody publishes can be long).
            int first = S.Outbox.Count;
            while (first > 0 && S.Outbox[first - 1].Sequence > _outboxSaved)
            {
                first--;
            }

            delta.Outbox = S.Outbox.GetRange(first, S.Outbox.Count - first).ToArray();
        }

        return delta;
    }

    public Task<CellDescription> DescribeAsync()
    {
        Journal.ThrowIfBroken();
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        foreach (var r in S.Reps.Values.OrderBy(r => r.Rep, StringComparer.Ordinal))
        {
            text.Append(c, $"rep {r.Rep} open {r.Open} day {r.DayKey}:{r.DayCount} total {r.AssignedTotal} v{r.Version}\n");
        }

        foreach (var p in S.Pools.Values.OrderBy(p => p.Pool, StringComparer.Ordinal))
        {
            text.Append(c, $"pool {p.Pool} last {p.LastRepId} [{string.Join(',', p.MemberIds)}] [{string.Join(',', p.Weights)}] v{p.Version}\n");
        }

        foreach (var h in S.Holders.Values.OrderBy(h => h.Lead, StringComparer.Ordinal))
        {
            text.Append(c, $"holder {h.Lead}@{h.Epoch} {h.Rep} {h.Status} {h.SlaDueAt:O} {h.Escalated} {h.Reroutes}\n");
        }

        foreach (var (lead, commit) in S.Applied.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            text.Append(c, $"applied {lead} {commit}\n");
        }

        text.Append(c, $"aborted {string.Join(',', S.Aborted)}\nreminder {S.Reminder}\noutbox {S.OutboxSequence}: {string.Join(',', S.Outbox.Select(d => d.Sequence + "=" + d.Key))}\n");
        return Task.FromResult(new CellDescription { State = text.ToString(), Sequence = Journal.Sequence, SnapshotSequence = S.JournalSequence, Replayed = Journal.Replayed });
    }

    /// <summary>The changed keys of <paramref name="map"/>, split in one pass into those set (with their values) and those removed.</summary>
    private static (string[] Keys, TValue[] Values, string[] Removed) Split<TValue>(HashSet<string> changed, Dictionary<string, TValue> map)
    {
        var keys = new List<string>(changed.Count);
        var values = new List<TValue>(changed.Count);
        var removed = new List<string>();
        foreach (string key in changed)
        {
            if (map.TryGetValue(key, out var value))
            {
                keys.Add(key);
                values.Add(value);
            }
            else
            {
                removed.Add(key);
            }
        }

        return ([.. keys], [.. values], [.. removed]);
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
