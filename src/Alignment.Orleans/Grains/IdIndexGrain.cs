using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Alignment.Orleans.Grains;

/// <summary>
/// One partition of a tenant's list of ids (the leads with a lifecycle, the members of a campaign), for listing what has no
/// other index. An id is added before the record it lists is first saved, so a listed id may have no record (skipped when
/// listing) and none is ever missing. Keys: <see cref="OrleansIndexes"/>.
/// </summary>
[Alias("alignment.id-index")]
internal interface IIdIndexGrain : IGrainWithStringKey
{
    [Alias("add")]
    Task AddAsync(string id);

    [Alias("list")]
    [ReadOnly]
    Task<string[]> ListAsync();
}

/// <summary>The saved state of an <see cref="IdIndexGrain"/> (its snapshot: see <see cref="GrainJournal{TState, TDelta}"/>).</summary>
[GenerateSerializer]
[Alias("alignment.id-index-state.v1")]
internal sealed class IdIndexState : IJournaledState
{
    [Id(0)] public HashSet<string> Ids { get; set; } = new(StringComparer.Ordinal);

    /// <inheritdoc />
    [Id(1)] public long JournalSequence { get; set; }

    /// <inheritdoc />
    [Id(2)] public Guid JournalLink { get; set; }
}

/// <summary>What one save of an <see cref="IdIndexGrain"/> added.</summary>
[GenerateSerializer]
[Alias("alignment.id-index-delta.v1")]
internal sealed class IdIndexDelta : JournalDelta
{
    /// <summary>The id the save added.</summary>
    [Id(3)] public string Added { get; set; } = "";
}

/// <summary>
/// A partition of a list of ids. An added id is saved as a delta of one id (<see cref="GrainJournal{TState, TDelta}"/>), so adding
/// to a partition of thousands of ids does not write them all; every 64th add writes the whole partition.
/// </summary>
internal sealed class IdIndexGrain(
    [PersistentState("id-index", AlignmentOrleans.StorageName)] IPersistentState<IdIndexState> state) : Grain, IIdIndexGrain
{
    /// <summary>The state name of the ring's records, followed by the slot's number.</summary>
    internal const string JournalPrefix = "id-index-log-";

    private GrainJournal<IdIndexState, IdIndexDelta>? _journal;

    private GrainJournal<IdIndexState, IdIndexDelta> Journal => _journal ??= new(state, JournalPrefix);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        Journal.RecoverAsync(ServiceProvider, this.GetGrainId(), delta => state.State.Ids.Add(delta.Added), cancellationToken);

    public async Task AddAsync(string id)
    {
        Journal.ThrowIfBroken();
        if (state.State.Ids.Add(id))
        {
            try
            {
                await Journal.SaveAsync(() => new IdIndexDelta { Added = id });
            }
            catch
            {
                state.State.Ids.Remove(id);
                DeactivateOnIdle();
                throw;
            }
        }
    }

    public Task<string[]> ListAsync()
    {
        Journal.ThrowIfBroken();
        return Task.FromResult(state.State.Ids.ToArray());
    }
}

/// <summary>The keys of the id indexes: 16 partitions per list, chosen by a stable hash of the id.</summary>
internal static class OrleansIndexes
{
    public const int Partitions = 16;

    /// <summary>A partition of the tenant's leads with a lifecycle.</summary>
    public static string Lifecycles(string tenant, int partition) => AlignmentOrleans.Key(tenant, "lifecycles/" + Num(partition));

    /// <summary>A partition of the tenant's nurture due index (the leads with an enrolment and when each is next due).</summary>
    public static string NurtureDue(string tenant, int partition) => AlignmentOrleans.Key(tenant, "nurture-due/" + Num(partition));

    /// <summary>A partition of a campaign's members.</summary>
    public static string Members(string tenant, string campaign, int partition) => AlignmentOrleans.Key(tenant, "members/" + AlignmentOrleans.Key(campaign, Num(partition)));

    /// <summary>The partition of an id: FNV-1a over its UTF-16 code units, the same in every process.</summary>
    public static int PartitionOf(string id)
    {
        uint hash = 2166136261;
        foreach (char c in id)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)(hash % Partitions);
    }

    private static string Num(int partition) => partition.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
