using System.Collections.Concurrent;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Testing;
using Microsoft.Extensions.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Alignment.Orleans.Tests;

/// <summary>Silos that keep Alignment's grain state in the Redis server named by the host's configuration (<c>AlignmentRedis</c>).</summary>
internal sealed class RedisSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        var redis = ConfigurationOptions.Parse(siloBuilder.Configuration["AlignmentRedis"] ?? throw new InvalidOperationException("AlignmentRedis is not set."));
        siloBuilder.AddRedisGrainStorage(AlignmentOrleans.StorageName, o => o.ConfigurationOptions = redis);
    }
}

/// <summary>
/// The routing state on a real Redis server (Debian's redis-server, on loopback, append-only file fsynced on every write, as in
/// production): a server killed with SIGKILL and started again in the middle of a run loses no acknowledged decision.
/// </summary>
public sealed class OrleansRedisStoreTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RedisKilledAndRestartedMidRun_EveryAcknowledgedDecisionIsStillThere()
    {
        await using var redis = await PrivateRedis.CreateAsync(fsyncEveryWrite: true);
        // Orleans keys grain state by service id: the cluster started afterwards must be the same service.
        string serviceId = "alignment-" + Guid.NewGuid().ToString("N")[..8];
        var builder = new TestClusterBuilder(3);
        builder.Options.ServiceId = serviceId;
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["AlignmentRedis"] = redis.Configuration }));
        builder.AddSiloBuilderConfigurator<RedisSiloConfigurator>();
        await using var cluster = builder.Build();
        await cluster.DeployAsync();

        const int leads = 2_000;
        const int cap = 30; // 50 reps x 30 = 1,500 of the 2,000 leads: the caps bind
        var policy = RoutingScenario.Territories(pools: 10, repsPerPool: 5, cap: cap);
        string tenant = "redis-" + Guid.NewGuid().ToString("N");
        var stores = Enumerable.Range(0, 8).Select(_ => new OrleansRoutingStateStore(cluster.GrainFactory, tenant)).ToArray();
        var routers = stores.Select(s => new HandoffRouter(policy, new HandoffRouterServices { Store = s, Decisions = new InMemoryDecisionSink() })).ToArray();
        var acknowledged = new ConcurrentDictionary<string, string>();
        int failures = 0;
        var third = new TaskCompletionSource();
        var work = Parallel.ForEachAsync(Enumerable.Range(0, leads), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (lead, ct) =>
        {
            var router = routers[lead % routers.Length];
            // Retried while the store is down: the write failed and nothing was acknowledged; routing again is idempotent.
            var handoff = await Retrying.CallAsync(
                c => router.RouteWithDetailsAsync(RoutingScenario.Request($"lead-{lead}", $"C{lead % 10}"), c).AsTask(),
                attempts: 40,
                timeout: TimeSpan.FromSeconds(15),
                pause: TimeSpan.FromMilliseconds(250),
                () => Interlocked.Increment(ref failures),
                ct);
            acknowledged[handoff.LeadId.Value] = $"{handoff.Epoch}:{handoff.Rep}";

            if (acknowledged.Count >= leads / 3)
            {
                third.TrySetResult();
            }
        });

        await third.Task.WaitAsync(TimeSpan.FromMinutes(2));
        int before = acknowledged.Count;
        await redis.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await redis.StartAsync();
        output.WriteLine($"Redis killed after {before} acknowledged decisions and started again");
        await work.WaitAsync(TimeSpan.FromMinutes(4));
        output.WriteLine($"{leads} leads, {failures} calls failed while Redis was down and were retried");

        // A new cluster reads everything back from Redis alone: nothing is served from a surviving activation's memory.
        foreach (var router in routers)
        {
            router.Dispose();
        }

        await cluster.StopAllSilosAsync();
        var again = new TestClusterBuilder(1);
        again.Options.ServiceId = serviceId;
        again.ConfigureHostConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["AlignmentRedis"] = redis.Configuration }));
        again.AddSiloBuilderConfigurator<RedisSiloConfigurator>();
        await using var fresh = again.Build();
        await fresh.DeployAsync();
        var store = new OrleansRoutingStateStore(fresh.GrainFactory, tenant);
        var held = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < leads; i++)
        {
            string id = $"lead-{i}";
            Assert.True(acknowledged.TryGetValue(id, out string? ack), $"{id} was never acknowledged");
            var current = await store.FindAsync(new LeadId(id));
            Assert.True(current is not null, $"{id} was acknowledged as {ack} and is lost");
            Assert.Equal(ack, $"{current.Epoch}:{current.Rep}");
            if (current.Rep is { } rep)
            {
                held[rep.Value] = held.GetValueOrDefault(rep.Value) + 1;
            }
        }

        foreach (var rep in policy.GetWholeFootprint().Reps)
        {
            int count = held.GetValueOrDefault(rep.Value);
            Assert.True(count <= cap, $"{rep} holds {count}, over its cap of {cap}");
            Assert.Equal(count, (await store.GetRepLoadAsync(rep)).Open);
        }

        Assert.Equal(50 * cap, held.Values.Sum());
    }
}
