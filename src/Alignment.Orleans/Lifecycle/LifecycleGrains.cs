using Alignment.Leads;
using Alignment.Orleans.Grains;
using Alignment.Lifecycle;
using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Alignment.Orleans.Lifecycle;

/// <summary>One transition of a lead's lifecycle as its grain keeps it.</summary>
[GenerateSerializer]
[Alias("alignment.lifecycle-transition.v1")]
internal sealed class TransitionRecord
{
    [Id(0)] public int From { get; set; }
    [Id(1)] public int To { get; set; }
    [Id(2)] public DateTimeOffset At { get; set; }
    [Id(3)] public int Actor { get; set; }
    [Id(4)] public string Reason { get; set; } = "";
    [Id(5)] public string? ModelVersion { get; set; }
}

/// <summary>A lead's lifecycle as its grain keeps it: the whole history, rebuilt through <see cref="LeadLifecycle.Transition"/> when read.</summary>
[GenerateSerializer]
[Alias("alignment.lifecycle.v1")]
internal sealed class LifecycleRecord
{
    [Id(0)] public string Lead { get; set; } = "";
    [Id(1)] public List<TransitionRecord> History { get; set; } = [];

    public static LifecycleRecord From(LeadLifecycle lifecycle) => new()
    {
        Lead = lifecycle.LeadId.Value,
        History = [.. lifecycle.History.Select(t => new TransitionRecord
        {
            From = (int)t.From, To = (int)t.To, At = t.At, Actor = (int)t.Actor, Reason = t.Reason, ModelVersion = t.ModelVersion,
        })],
    };

    /// <summary>The lifecycle, replayed through the state machine, so a history that could not have happened is refused.</summary>
    public LeadLifecycle ToLifecycle()
    {
        var lifecycle = LeadLifecycle.Start(new LeadId(Lead));
        foreach (var t in History)
        {
            lifecycle = lifecycle.Transition((LifecycleStage)t.To, t.At, (LifecycleActor)t.Actor, t.Reason, t.ModelVersion);
        }

        return lifecycle;
    }
}

/// <summary>The saved state of a <see cref="LeadLifecycleGrain"/>.</summary>
[GenerateSerializer]
[Alias("alignment.lifecycle-state.v1")]
internal sealed class LifecycleGrainState
{
    [Id(0)] public LifecycleRecord? Lifecycle { get; set; }
}

/// <summary>One lead's lifecycle (key: the tenant and the lead id, <see cref="AlignmentOrleans.Key"/>): the only writer of it, so a save needs no lock.</summary>
[Alias("alignment.lead-lifecycle")]
internal interface ILeadLifecycleGrain : IGrainWithStringKey
{
    [Alias("get")]
    [ReadOnly]
    Task<LifecycleRecord?> GetAsync();

    /// <summary>Saves <paramref name="next"/> if the stored history has <paramref name="expectedVersion"/> transitions (0 for a lead not stored).</summary>
    [Alias("try-save")]
    Task<bool> TrySaveAsync(LifecycleRecord next, int expectedVersion);
}

internal sealed class LeadLifecycleGrain(
    [PersistentState("lifecycle", AlignmentOrleans.StorageName)] IPersistentState<LifecycleGrainState> state) : Grain, ILeadLifecycleGrain
{
    public Task<LifecycleRecord?> GetAsync() => Task.FromResult(state.State.Lifecycle);

    public async Task<bool> TrySaveAsync(LifecycleRecord next, int expectedVersion)
    {
        var stored = state.State.Lifecycle;
        if ((stored?.History.Count ?? 0) != expectedVersion)
        {
            return false;
        }

        if (stored is null)
        {
            // Listed first: a listed lead whose save failed is skipped when listing, and no lifecycle is ever missing from the list.
            string tenant = AlignmentOrleans.TenantOf(this.GetPrimaryKeyString());
            await GrainFactory.GetGrain<IIdIndexGrain>(OrleansIndexes.Lifecycles(tenant, OrleansIndexes.PartitionOf(next.Lead))).AddAsync(next.Lead);
        }

        state.State.Lifecycle = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not saved: the next call starts from what was.
            state.State.Lifecycle = stored;
            DeactivateOnIdle();
            throw;
        }

        return true;
    }
}
