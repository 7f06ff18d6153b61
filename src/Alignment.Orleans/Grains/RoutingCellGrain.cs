using Alignment.Policies.Handoff;
using Orleans;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Alignment.Orleans.Grains;

/// <summary>The saved state of a <see cref="RoutingCellGrain"/>.</summary>
[GenerateSerializer]
[Alias("alignment.cell-state.v1")]
internal sealed class CellState : IJournaledState
{
    [Id(0)] public Dictionary<string, RepLoadRecord> Reps { get; set; } = [];
    [Id(1)] public Dictionary<string, PoolRotationRecord> Pools { get; set; } = [];

    /// <summary>The open handoffs holding capacity of this cell's reps, by lead.</summary>
    [Id(2)] public Dictionary<string, HolderRecord> Holders { get; set; } = [];

    /// <summary>Per lead, the last commit applied that its lead grain has not yet confirmed (see <see cref="IRoutingCellGrain.ForgetAsync"/>).</summary>
    [Id(3)] public Dictionary<string, Guid> Applied { get; set; } = [];

    /// <summary>Commits a recovering lead grain gave up: refused if they still arrive. Bounded; oldest dropped first.</summary>
    [Id(4)] public List<Guid> Aborted { get; set; } = [];

    /// <summary>Whether the cell's reminder is registered (see <see cref="RoutingCellGrain.ReceiveReminder"/>).</summary>
    [Id(5)] public bool Reminder { get; set; }

    /// <summary>Decisions a recording store saved with the changes this cell applied, not yet published by a host, oldest first.</summary>
    [Id(6)] public List<RecordedDecision> Outbox { get; set; } = [];

    /// <summary>The sequence of the last decision put in <see cref="Outbox"/>.</summary>
    [Id(7)] public long OutboxSequence { get; set; }

    /// <summary>The number of the last save this snapshot holds (see <see cref="CellDelta"/>): deltas after it are replayed.</summary>
    [Id(8)] public long JournalSequence { get; set; }

    /// <summary>The link of the last save this snapshot holds, which the next delta names.</summary>
    [Id(9)] public Guid JournalLink { get; set; }
}

/// <summary>
/// One routing cell: the single writer of its reps' counters, its pools' rotations and the handoffs holding its reps' capacity.
/// A decision reads what it needs (<see cref="ReadAsync"/>), decides in the caller's process with the unchanged engine, and
/// commits only if nothing it read changed in between (<see cref="ApplyAsync"/>), so caps hold without a lock.
/// </summary>
internal sealed partial class RoutingCellGrain(
    [PersistentState("cell", AlignmentOrleans.StorageName)] IPersistentState<CellState> state,
    IOptions<AlignmentOrleansOptions> options) : Grain, IRoutingCellGrain, IRemindable
{
    private const int MaxAborted = 4096;

    private CellState S => state.State;

    public Task<CellSnapshot> ReadAsync(string[] reps, string[] pools)
    {
        Journal.ThrowIfBroken();
        var snapshot = new CellSnapshot
        {
            Reps = [.. reps.Select(r => S.Reps.GetValueOrDefault(r)).OfType<RepLoadRecord>()],
            Pools = [.. pools.Select(p => S.Pools.GetValueOrDefault(p)).OfType<PoolRotationRecord>()],
        };
        return Task.FromResult(snapshot);
    }

    public async Task<bool> ApplyAsync(CellCommit commit)
    {
        Journal.ThrowIfBroken();
        if (S.Aborted.Contains(commit.Id))
        {
            return false;
        }

        if (S.Applied.TryGetValue(commit.Lead, out var applied) && applied == commit.Id)
        {
            return true;
        }

        for (int i = 0; i < commit.ReadReps.Length; i++)
        {
            if ((S.Reps.GetValueOrDefault(commit.ReadReps[i])?.Version ?? 0) != commit.ReadRepVersions[i])
            {
                return false;
            }
        }

        for (int i = 0; i < commit.ReadPools.Length; i++)
        {
            if ((S.Pools.GetValueOrDefault(commit.ReadPools[i])?.Version ?? 0) != commit.ReadPoolVersions[i])
            {
                return false;
            }
        }

        // The reminder first: a failure here leaves nothing changed (the changes below are saved together or dropped).
        if (commit.Holder?.AwaitsFirstTouch == true || commit.Decision is not null)
        {
            await EnsureReminderAsync();
        }

        foreach (var rep in commit.ChangedReps)
        {
            rep.Version = (S.Reps.GetValueOrDefault(rep.Rep)?.Version ?? 0) + 1;
            SetRep(rep);
        }

        foreach (var pool in commit.ChangedPools)
        {
            pool.Version = (S.Pools.GetValueOrDefault(pool.Pool)?.Version ?? 0) + 1;
            SetPool(pool);
        }

        if (commit.ReleasesEpoch is int released && S.Holders.TryGetValue(commit.Lead, out var old) && old.Epoch == released)
        {
            RemoveHolder(commit.Lead);
            if (commit.ReleaseCounts)
            {
                Release(old.Rep);
            }
        }

        if (commit.Holder is not null)
        {
            SetHolder(commit.Lead, commit.Holder);
            Watch(commit.Holder);
        }

        RecordInOutbox(commit.Decision);
        SetApplied(commit.Lead, commit.Id);
        await SaveAsync();
        return true;
    }

    public async Task<bool> ResolveAsync(string lead, Guid commit)
    {
        Journal.ThrowIfBroken();
        if (S.Applied.TryGetValue(lead, out var applied) && applied == commit)
        {
            return true;
        }

        if (!S.Aborted.Contains(commit))
        {
            if (S.Aborted.Count >= MaxAborted)
            {
                S.Aborted.RemoveAt(0);
            }

            S.Aborted.Add(commit);
            await SaveAsync();
        }

        return false;
    }

    public Task ForgetAsync(string lead, Guid commit)
    {
        Journal.ThrowIfBroken();
        // Not written at once: a forgotten entry that comes back after a restart is only answered true again for its own commit.
        if (S.Applied.TryGetValue(lead, out var applied) && applied == commit)
        {
            RemoveApplied(lead);
        }

        return Task.CompletedTask;
    }

    public async Task ReleaseAsync(string lead, int epoch)
    {
        Journal.ThrowIfBroken();
        if (S.Holders.TryGetValue(lead, out var holder) && holder.Epoch == epoch)
        {
            RemoveHolder(lead);
            Release(holder.Rep);
            await SaveAsync();
        }
    }

    public async Task UpdateHolderAsync(HolderRecord next, bool holdsCapacity, RecordedDecision? decision)
    {
        Journal.ThrowIfBroken();
        bool same = S.Holders.TryGetValue(next.Lead, out var holder) && holder!.Epoch == next.Epoch;
        if (same)
        {
            next.Reroutes = holder!.Reroutes; // the rule's, fixed when the handoff was decided
        }

        if (decision is not null || (same && holdsCapacity && next.AwaitsFirstTouch))
        {
            await EnsureReminderAsync();
        }

        bool changed = RecordInOutbox(decision);
        if (same)
        {
            if (holdsCapacity)
            {
                SetHolder(next.Lead, next);
                Watch(next);
            }
            else
            {
                RemoveHolder(next.Lead);
                Release(holder!.Rep);
            }

            changed = true;
        }

        if (changed)
        {
            await SaveAsync();
        }
    }

    public async Task RecordAsync(RecordedDecision decision)
    {
        Journal.ThrowIfBroken();
        await EnsureReminderAsync();
        if (RecordInOutbox(decision))
        {
            await SaveAsync();
        }
    }

    public Task<HolderRecord[]> ListOpenAsync(string rep)
    {
        Journal.ThrowIfBroken();
        return Task.FromResult(S.Holders.Values.Where(h => h.Rep == rep && (HandoffStatus)h.Status is HandoffStatus.Assigned or HandoffStatus.Touched).ToArray());
    }

    public Task<HolderRecord[]> ListAwaitingFirstTouchAsync()
    {
        Journal.ThrowIfBroken();
        return Task.FromResult(S.Holders.Values.Where(h => (HandoffStatus)h.Status == HandoffStatus.Assigned && h.SlaDueAt is not null).ToArray());
    }

    public Task<RepLoadRecord?> GetLoadAsync(string rep)
    {
        Journal.ThrowIfBroken();
        return Task.FromResult(S.Reps.GetValueOrDefault(rep));
    }

    private void Release(string rep)
    {
        var load = S.Reps.GetValueOrDefault(rep);
        if (load is { Open: > 0 })
        {
            SetRep(new RepLoadRecord
            {
                Rep = rep, Open = load.Open - 1, DayKey = load.DayKey, DayCount = load.DayCount, AssignedTotal = load.AssignedTotal, Version = load.Version + 1,
            });
        }
    }
}
