using Orleans;
using Orleans.Runtime;

namespace Alignment.Orleans.Grains;

/// <summary>The saved state of a <see cref="RoutingDirectoryGrain"/>.</summary>
[GenerateSerializer]
[Alias("alignment.directory-state.v1")]
internal sealed class DirectoryState
{
    [Id(0)] public Dictionary<string, CellEntry> Cells { get; set; } = [];
    [Id(1)] public long Registrations { get; set; }
}

/// <summary>The cells of one tenant, registered by the stores that use them.</summary>
internal sealed class RoutingDirectoryGrain(
    [PersistentState("directory", AlignmentOrleans.StorageName)] IPersistentState<DirectoryState> state) : Grain, IRoutingDirectoryGrain
{
    public async Task RegisterAsync(string cell, string[] reps)
    {
        // Reps are added, never dropped: a rep who left the roster may still hold open handoffs counted in the cell.
        string[] known = state.State.Cells.TryGetValue(cell, out var entry) ? entry.Reps : [];
        if (reps.All(r => known.Contains(r, StringComparer.Ordinal)))
        {
            return;
        }

        string[] merged = [.. known.Union(reps, StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        state.State.Cells[cell] = new CellEntry { Cell = cell, Reps = merged, Registered = ++state.State.Registrations };
        await state.WriteStateAsync();
    }

    public Task<CellEntry[]> ListAsync() => Task.FromResult(state.State.Cells.Values.OrderBy(c => c.Registered).ToArray());
}
