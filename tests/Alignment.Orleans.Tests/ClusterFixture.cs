using System.Collections.Concurrent;
using Alignment.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Alignment.Orleans.Tests;

/// <summary>
/// Grain storage for the in-process test cluster that outlives any silo: rows in this test process, copied through Orleans'
/// serializer, with an ETag checked on every write as a real store does (a stale activation's write is refused).
/// </summary>
internal sealed class SharedGrainStorage(Serializer serializer) : IGrainStorage
{
    private static readonly ConcurrentDictionary<string, (byte[] Data, string ETag)> Rows = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    private static readonly ConcurrentDictionary<string, int> ReadCounts = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(string GrainIdPart, string State), bool> Faults = new();

    /// <summary>
    /// Makes the next write of state <paramref name="state"/> of a grain whose id contains <paramref name="grainIdPart"/> fail: an
    /// exception, thrown before the row is written, or after (<paramref name="afterStoring"/>: a write that failed at the caller
    /// but was made, as a timed-out call to a real store can be).
    /// </summary>
    public static void FailNextWrite(string grainIdPart, string state, bool afterStoring) => Faults[(grainIdPart, state)] = afterStoring;

    /// <summary>Whether a fault asked for with <see cref="FailNextWrite"/> is still waiting for its write.</summary>
    public static bool FaultPending(string grainIdPart, string state) => Faults.ContainsKey((grainIdPart, state));

    public static int Count => Rows.Count;

    /// <summary>The rows of the grains whose id contains <paramref name="grainIdPart"/>: state name and size of the saved bytes.</summary>
    public static (string State, int Bytes)[] RowsOf(string grainIdPart) =>
        [.. Rows.Where(r => r.Key.Contains(grainIdPart, StringComparison.Ordinal)).Select(r => (r.Key[..r.Key.IndexOf('/', StringComparison.Ordinal)], r.Value.Data.Length))];

    /// <summary>How many times states of the grains whose id contains <paramref name="grainIdPart"/> were read (on their activations).</summary>
    public static int ReadsOf(string grainIdPart) => ReadCounts.Where(r => r.Key.Contains(grainIdPart, StringComparison.Ordinal)).Sum(r => r.Value);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ReadCounts.AddOrUpdate(Key(stateName, grainId), 1, static (_, n) => n + 1);
        if (Rows.TryGetValue(Key(stateName, grainId), out var row))
        {
            grainState.State = serializer.Deserialize<T>(row.Data);
            grainState.ETag = row.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        string key = Key(stateName, grainId);
        bool? fault = null;
        foreach (var f in Faults.Keys)
        {
            if (f.State == stateName && grainId.ToString().Contains(f.GrainIdPart, StringComparison.Ordinal) && Faults.TryRemove(f, out bool afterStoring))
            {
                fault = afterStoring;
                break;
            }
        }

        if (fault == false)
        {
            throw new IOException($"Injected fault: the write of {key} failed and was not made.");
        }

        lock (Gate)
        {
            string? stored = Rows.TryGetValue(key, out var row) ? row.ETag : null;
            if (stored != grainState.ETag)
            {
                throw new InconsistentStateException($"ETag mismatch for {key}", stored, grainState.ETag);
            }

            string etag = Guid.NewGuid().ToString("N");
            Rows[key] = (serializer.SerializeToArray(grainState.State), etag);
            if (fault == true)
            {
                throw new IOException($"Injected fault: the write of {key} was made, and failed at the caller.");
            }

            grainState.ETag = etag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (Gate)
        {
            Rows.TryRemove(Key(stateName, grainId), out _);
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    private static string Key(string stateName, GrainId grainId) => stateName + "/" + grainId;
}

/// <summary>Every silo of the test cluster keeps Alignment's grain state in <see cref="SharedGrainStorage"/>.</summary>
internal sealed class SiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder) =>
        siloBuilder.Services.AddGrainStorage(AlignmentOrleans.StorageName, static (sp, _) => new SharedGrainStorage(sp.GetRequiredService<Serializer>()));
}

/// <summary>A cluster of 3 silos in this process (Orleans' TestingHost), shared by the tests of a collection.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>Starts a cluster of its own, for a test that kills one of its silos.</summary>
    public static async Task<OwnCluster> StartAsync() => new(await DeployAsync());

    private static async Task<TestCluster> DeployAsync()
    {
        var builder = new TestClusterBuilder(3);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}

/// <summary>A test cluster a test owns and disposes.</summary>
public sealed class OwnCluster(TestCluster cluster) : IAsyncDisposable
{
    public TestCluster Cluster { get; } = cluster;

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class OrleansClusterDefinition : ICollectionFixture<ClusterFixture>
{
    public const string Name = "orleans cluster";
}
