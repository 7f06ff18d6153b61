using System.Collections.Concurrent;
using System.Diagnostics;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Policies.Handoff;
using Alignment.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Alignment.Orleans.Tests;

/// <summary>
/// A real cluster: three silo processes on loopback (tests/Alignment.Orleans.SiloHost), their membership and the grains' state in
/// a private Redis server, a client in this process that finds the gateways through Redis, and one silo killed with SIGKILL in
/// the middle of the run.
/// </summary>
public sealed class OrleansSiloProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ThreeSiloProcesses_OneKilledWithSigkillMidRun_NoLeadLostOrAssignedTwice()
    {
        await using var redis = await PrivateRedis.CreateAsync(fsyncEveryWrite: false);
        string cluster = "c-" + Guid.NewGuid().ToString("N")[..8];
        string service = "alignment-" + Guid.NewGuid().ToString("N")[..8];
        var silos = new List<SiloProcess>();
        try
        {
            for (int i = 0; i < 3; i++)
            {
                silos.Add(await SiloProcess.StartAsync(redis.Configuration, cluster, service));
            }

            using var client = await StartClientAsync(redis.Configuration, cluster, service);
            var grains = client.Services.GetRequiredService<IClusterClient>();
            var management = grains.GetGrain<IManagementGrain>(0);
            await WaitForAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 3, "3 active silos");

            // Caps of 100: all 3,000 leads are assigned, so a decision made twice would show in a rep's counter.
            const int leads = 3_000;
            const int cap = 100;
            var policy = RoutingScenario.Territories(pools: 10, repsPerPool: 5, cap: cap);
            string tenant = "procs-" + Guid.NewGuid().ToString("N");
            var stores = Enumerable.Range(0, 8).Select(_ => new OrleansRoutingStateStore(grains, tenant)).ToArray();
            var routers = stores.Select(s => new HandoffRouter(policy, new HandoffRouterServices { Store = s, Decisions = new InMemoryDecisionSink() })).ToArray();
            var outcomes = new ConcurrentDictionary<string, ConcurrentBag<string>>();
            int done = 0;
            int retried = 0;
            var third = new TaskCompletionSource();
            var watch = Stopwatch.StartNew();
            var work = Parallel.ForEachAsync(Enumerable.Range(0, leads), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (lead, ct) =>
            {
                var router = routers[lead % routers.Length];
                // Retried: a call in flight on the killed silo, or sent before the cluster declared it dead (the lead's grain
                // finishes or gives up its pending change, and the saved handoff comes back).
                var handoff = await Retrying.CallAsync(
                    c => router.RouteWithDetailsAsync(RoutingScenario.Request($"lead-{lead}", $"C{lead % 10}"), c).AsTask(),
                    attempts: 30,
                    timeout: TimeSpan.FromSeconds(20),
                    pause: TimeSpan.FromMilliseconds(200),
                    () => Interlocked.Increment(ref retried),
                    ct);
                outcomes.GetOrAdd(handoff.LeadId.Value, _ => []).Add($"{handoff.Epoch}:{handoff.Rep}:{(handoff.Decision as HandoffDecision.Queued)?.Queue}");

                if (Interlocked.Increment(ref done) == leads / 3)
                {
                    third.TrySetResult();
                }
            });

            // A run that fails before a third of the leads shows its own exception, not a timeout.
            await Task.WhenAny(third.Task, work).WaitAsync(TimeSpan.FromMinutes(2));
            if (work.IsFaulted)
            {
                await work;
            }

            var victim = silos[1];
            await victim.Kill();
            output.WriteLine($"killed the silo on port {victim.SiloPort} (pid {victim.Id}) with SIGKILL after {done} leads, {watch.Elapsed.TotalSeconds:F1} s");
            await work.WaitAsync(TimeSpan.FromMinutes(4));
            output.WriteLine($"{leads} leads in {watch.Elapsed.TotalSeconds:F1} s, {retried} calls retried");

            // The membership in Redis declared the killed silo dead, and the cluster carries on with the others.
            await WaitForAsync(async () => !(await management.GetHosts(onlyActive: true)).Keys.Any(s => s.Endpoint.Port == victim.SiloPort), "the killed silo declared dead");
            Assert.NotEmpty(await management.GetHosts(onlyActive: true));

            await RoutingConsistency.AssertAsync(policy, stores[0], leads, outcomes, cap, output);
            foreach (var router in routers)
            {
                router.Dispose();
            }

            await client.StopAsync();
        }
        catch
        {
            foreach (var silo in silos)
            {
                output.WriteLine($"--- silo on port {silo.SiloPort}:\n{silo.Log}");
            }

            throw;
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    private static async Task<IHost> StartClientAsync(string redis, string cluster, string service)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(c => c
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster;
                o.ServiceId = service;
            })
            .Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10))
            .UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis)));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not within 60 s: {what}.");
            }

            await Task.Delay(250);
        }
    }
}
