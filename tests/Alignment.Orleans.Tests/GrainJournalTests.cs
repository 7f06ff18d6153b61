using System.Collections.Concurrent;
using Alignment.Orleans.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace Alignment.Orleans.Tests;

/// <summary>
/// <see cref="GrainJournal{TState, TDelta}"/> on its own, over a grain storage in this process: two activations of one grain
/// briefly at once, and a snapshot written afresh beside the deltas of an earlier history.
/// </summary>
public sealed class GrainJournalTests
{
    private static readonly GrainId Grain = GrainId.Create("test", "partition");

    [Fact]
    public async Task ASecondActivation_StartedWhileTheFirstGoesOn_SeesAllItSavedOrCannotSave()
    {
        var storage = new Storage();
        var first = await ActivateAsync(storage);
        await AddAsync(first, 0, 70); // a snapshot (the first save), 63 deltas, a snapshot, 5 deltas

        // The second is activated: the runtime loads its snapshot first. The first goes on meanwhile, past a snapshot, so that its
        // newest deltas sit in slots the loaded snapshot's deltas used.
        var second = new SnapshotState(storage);
        await second.ReadStateAsync();
        await AddAsync(first, 70, 130);
        var secondJournal = await RecoverAsync(second, storage);

        // The ring was read before the snapshot again: the second holds everything the first saved.
        Assert.Equal(first.State.State.Ids.Order(StringComparer.Ordinal), second.State.Ids.Order(StringComparer.Ordinal));

        // The first saves once more; the second's next save then fails (its slot changed under it) instead of writing over it.
        await AddAsync(first, 130, 131);
        second.State.Ids.Add("second");
        await Assert.ThrowsAsync<InconsistentStateException>(() => secondJournal.SaveAsync(() => new IdIndexDelta { Added = "second" }));
        Assert.Throws<InvalidOperationException>(secondJournal.ThrowIfBroken);

        var third = await ActivateAsync(storage);
        Assert.Equal(131, third.State.State.Ids.Count);
        Assert.DoesNotContain("second", third.State.State.Ids);
    }

    [Fact]
    public async Task ASnapshotWrittenAfresh_NeverGetsTheDeltasOfAnEarlierHistoryReplayed()
    {
        var storage = new Storage();
        var first = await ActivateAsync(storage);
        await AddAsync(first, 0, 10);
        Assert.Equal(9, storage.Rows.Keys.Count(k => k.StartsWith("log-", StringComparison.Ordinal)));

        // The snapshot is lost (an expired or deleted record) while the deltas beside it stay.
        storage.Rows.TryRemove("snapshot/" + Grain, out _);
        var second = await ActivateAsync(storage);
        Assert.Empty(second.State.State.Ids);

        await AddAsync(second, 100, 101);
        var third = await ActivateAsync(storage);
        Assert.Equal(["lead-100"], third.State.State.Ids);
    }

    private static async Task<(SnapshotState State, GrainJournal<IdIndexState, IdIndexDelta> Journal)> ActivateAsync(Storage storage)
    {
        var state = new SnapshotState(storage);
        await state.ReadStateAsync();
        return (state, await RecoverAsync(state, storage));
    }

    private static async Task<GrainJournal<IdIndexState, IdIndexDelta>> RecoverAsync(SnapshotState state, Storage storage)
    {
        var journal = new GrainJournal<IdIndexState, IdIndexDelta>(state, "log-");
        await journal.RecoverAsync(storage.Services, Grain, delta => state.State.Ids.Add(delta.Added), CancellationToken.None);
        return journal;
    }

    private static async Task AddAsync((SnapshotState State, GrainJournal<IdIndexState, IdIndexDelta> Journal) grain, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            string id = $"lead-{i}";
            grain.State.State.Ids.Add(id);
            await grain.Journal.SaveAsync(() => new IdIndexDelta { Added = id });
        }
    }

    /// <summary>Rows in memory, copied through Orleans' serializer, with an ETag checked on every write.</summary>
    private sealed class Storage : IGrainStorage
    {
        private readonly Serializer _serializer;

        public Storage()
        {
            var services = new ServiceCollection();
            services.AddSerializer(b => b.AddAssembly(typeof(IdIndexState).Assembly));
            services.AddKeyedSingleton<IGrainStorage>(AlignmentOrleans.StorageName, this);
            Services = services.BuildServiceProvider();
            _serializer = Services.GetRequiredService<Serializer>();
        }

        public IServiceProvider Services { get; }

        public ConcurrentDictionary<string, (byte[] Data, string ETag)> Rows { get; } = new(StringComparer.Ordinal);

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (Rows.TryGetValue(stateName + "/" + grainId, out var row))
            {
                grainState.State = _serializer.Deserialize<T>(row.Data);
                grainState.ETag = row.ETag;
                grainState.RecordExists = true;
            }
            else
            {
                grainState.State = Activator.CreateInstance<T>();
                grainState.ETag = null;
                grainState.RecordExists = false;
            }

            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            string key = stateName + "/" + grainId;
            string? stored = Rows.TryGetValue(key, out var row) ? row.ETag : null;
            if (stored != grainState.ETag)
            {
                throw new InconsistentStateException($"ETag mismatch for {key}", stored, grainState.ETag);
            }

            string etag = Guid.NewGuid().ToString("N");
            Rows[key] = (_serializer.SerializeToArray(grainState.State), etag);
            grainState.ETag = etag;
            grainState.RecordExists = true;
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new NotSupportedException();
    }

    /// <summary>A grain's persistent state (its snapshot) over <see cref="Storage"/>, as the runtime gives a grain.</summary>
    private sealed class SnapshotState(Storage storage) : IPersistentState<IdIndexState>
    {
        private readonly GrainState<IdIndexState> _row = new(new IdIndexState());

        public IdIndexState State
        {
            get => _row.State!;
            set => _row.State = value;
        }

        public string? Etag => _row.ETag;

        public bool RecordExists => _row.RecordExists;

        public Task ReadStateAsync() => storage.ReadStateAsync("snapshot", Grain, _row);

        public Task ReadStateAsync(CancellationToken cancellationToken) => ReadStateAsync();

        public Task WriteStateAsync() => storage.WriteStateAsync("snapshot", Grain, _row);

        public Task WriteStateAsync(CancellationToken cancellationToken) => WriteStateAsync();

        public Task ClearStateAsync() => throw new NotSupportedException();

        public Task ClearStateAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
