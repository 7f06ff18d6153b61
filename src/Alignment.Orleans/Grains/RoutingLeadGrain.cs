using Orleans;
using Orleans.Runtime;

namespace Alignment.Orleans.Grains;

/// <summary>The saved state of a <see cref="RoutingLeadGrain"/>.</summary>
[GenerateSerializer]
[Alias("alignment.lead-state.v1")]
internal sealed class LeadState
{
    [Id(0)] public HandoffRecord? Current { get; set; }

    /// <summary>The cell holding the current handoff's unit of capacity; null when it holds none.</summary>
    [Id(1)] public string? HeldInCell { get; set; }

    [Id(2)] public List<HandoffRecord> History { get; set; } = [];

    /// <summary>Goes up with every change of the current handoff; a commit names the version it read.</summary>
    [Id(3)] public long Version { get; set; }

    [Id(4)] public PendingChange? Pending { get; set; }
}

/// <summary>A change saved before it is carried to its cells: finished, or given up, when the grain next runs.</summary>
[GenerateSerializer]
[Alias("alignment.lead-pending.v1")]
internal sealed class PendingChange
{
    [Id(0)] public HandoffRecord Next { get; set; } = new();
    [Id(1)] public bool IsUpdate { get; set; }

    /// <summary>The cell the new handoff holds capacity in (a decision), or the cell whose holder the update changes.</summary>
    [Id(2)] public string? Cell { get; set; }

    /// <summary>The commit of a decision to <see cref="Cell"/>, when it changes a cell; <see cref="Guid.Empty"/> otherwise.</summary>
    [Id(3)] public Guid CommitId { get; set; }

    [Id(4)] public string? CommitCell { get; set; }

    /// <summary>The cell where the replaced handoff's capacity is freed, when another than the decision's own.</summary>
    [Id(5)] public string? ReleaseCell { get; set; }

    [Id(6)] public int ReleaseEpoch { get; set; }

    /// <summary>The decision an update makes, recorded in the outbox of <see cref="Cell"/> (or of the tenant's no-cell outbox).</summary>
    [Id(7)] public RecordedDecision? Decision { get; set; }
}

/// <summary>
/// One lead's routing: its current handoff and history. Orders the lead's decisions (one call at a time) and commits each in
/// two steps: the change is saved here as pending, then carried to the cells (the decision's commit first: that is the point
/// where it is made or not). A silo lost between the steps leaves the pending change, which the grain's next activation finishes
/// or gives up after asking the cell, so a decision is never half made.
/// </summary>
internal sealed class RoutingLeadGrain(
    [PersistentState("lead", AlignmentOrleans.StorageName)] IPersistentState<LeadState> state) : Grain, IRoutingLeadGrain
{
    private LeadState S => state.State;

    private string LeadId => AlignmentOrleans.IdOf(this.GetPrimaryKeyString());

    private string Tenant => AlignmentOrleans.TenantOf(this.GetPrimaryKeyString());

    public async Task<LeadView> GetAsync()
    {
        await ResolveAsync();
        return new LeadView { Current = S.Current, HeldInCell = S.HeldInCell, Version = S.Version };
    }

    public async Task<HandoffRecord[]> GetHistoryAsync()
    {
        await ResolveAsync();
        return [.. S.History];
    }

    public async Task<CommitOutcome> CommitDecisionAsync(long readVersion, HandoffRecord next, string? cell, CellCommit? commit, string? releaseCell, int releaseEpoch)
    {
        await ResolveAsync();
        if (S.Version != readVersion)
        {
            return CommitOutcome.LeadChanged;
        }

        S.Pending = new PendingChange
        {
            Next = next,
            Cell = next.HoldsCapacity ? cell : null,
            CommitId = commit?.Id ?? Guid.Empty,
            CommitCell = commit is null ? null : cell,
            ReleaseCell = releaseCell,
            ReleaseEpoch = releaseEpoch,
        };
        if (commit is not null || releaseCell is not null)
        {
            await SaveAsync();
        }

        if (commit is not null && !await Cell(cell!).ApplyAsync(commit))
        {
            // Not made: the saved pending change is given up the next time (the cell answers that it did not apply it).
            S.Pending = null;
            return CommitOutcome.StateChanged;
        }

        await FinishDecisionAsync();
        return CommitOutcome.Committed;
    }

    public async Task<CommitOutcome> CommitUpdateAsync(long readVersion, HandoffRecord next, RecordedDecision? decision)
    {
        await ResolveAsync();
        if (S.Version != readVersion || S.Current is null || S.Current.Epoch != next.Epoch)
        {
            return CommitOutcome.LeadChanged;
        }

        if (S.HeldInCell is null && decision is null)
        {
            S.Current = next;
            S.Version++;
            await SaveAsync();
            return CommitOutcome.Committed;
        }

        S.Pending = new PendingChange { Next = next, IsUpdate = true, Cell = S.HeldInCell, Decision = decision };
        await SaveAsync();
        await FinishUpdateAsync();
        return CommitOutcome.Committed;
    }

    /// <summary>Finishes or gives up a change an earlier activation saved and did not finish.</summary>
    private async Task ResolveAsync()
    {
        var pending = S.Pending;
        if (pending is null)
        {
            return;
        }

        if (pending.IsUpdate)
        {
            await FinishUpdateAsync();
        }
        else if (pending.CommitCell is null || await Cell(pending.CommitCell).ResolveAsync(LeadId, pending.CommitId))
        {
            await FinishDecisionAsync();
        }
        else
        {
            S.Pending = null;
            await SaveAsync();
        }
    }

    private async Task FinishDecisionAsync()
    {
        var p = S.Pending!;
        if (p.ReleaseCell is not null)
        {
            await Cell(p.ReleaseCell).ReleaseAsync(LeadId, p.ReleaseEpoch);
        }

        if (S.Current is not null)
        {
            S.History.Add(S.Current);
        }

        S.Current = p.Next;
        S.HeldInCell = p.Next.HoldsCapacity ? p.Cell : null;
        S.Version++;
        S.Pending = null;
        await SaveAsync();
        if (p.CommitCell is not null)
        {
            await Cell(p.CommitCell).ForgetAsync(LeadId, p.CommitId);
        }
    }

    private async Task FinishUpdateAsync()
    {
        var p = S.Pending!;
        if (p.Cell is not null)
        {
            await Cell(p.Cell).UpdateHolderAsync(HolderRecord.Of(p.Next), p.Next.HoldsCapacity, p.Decision);
        }
        else if (p.Decision is not null)
        {
            await Cell(AlignmentOrleans.NoCell).RecordAsync(p.Decision);
        }

        S.Current = p.Next;
        S.HeldInCell = p.Next.HoldsCapacity ? p.Cell : null;
        S.Version++;
        S.Pending = null;
        await SaveAsync();
    }

    private IRoutingCellGrain Cell(string cell) => GrainFactory.GetGrain<IRoutingCellGrain>(AlignmentOrleans.Key(Tenant, cell));

    private async Task SaveAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }
}
