using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Orleans;
using Alignment.Policies.Handoff;
using Alignment.Scoring;
using Alignment.Testing;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using StackExchange.Redis;

namespace Alignment.Benchmarks.Policies;

/// <summary>
/// The silo simulation of issue 19: the durable routing decisions of <see cref="DurableRoutingBenchmark"/> (8 concurrent
/// callers, 50 reps in 10 pools, 480 decisions per invocation) on a real cluster of 1, 2 or 3 silo processes on loopback
/// (tests/Alignment.Orleans.SiloHost: membership and grain state in a private Redis server, binary grain serializer), the
/// benchmark process being the cluster client. Shows how throughput changes as silos are added on this machine; unguarded
/// (docs/scale-out.md has the figures): every silo shares the same cores with Redis and the client here.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes through [GlobalCleanup].")]
public class OrleansScalingBenchmark
{
    private PrivateRedis? _redis;
    private readonly List<SiloProcess> _silos = [];
    private IHost? _client;
    private HandoffRouter? _router;
    private ScoreCard _card = null!;
    private int _next;

    /// <summary>The silo processes in the cluster.</summary>
    [Params(1, 2, 3)]
    public int Silos { get; set; }

    /// <summary>Starts Redis, the silos and the client, and warms the path.</summary>
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            // BenchmarkDotNet runs no cleanup after a failed setup: stop whatever started, so no process is left behind.
            Cleanup();
            throw;
        }
    }

    private async Task StartAsync()
    {
        _redis = await PrivateRedis.CreateAsync(fsyncEveryWrite: false);
        string cluster = "bench-" + Guid.NewGuid().ToString("N")[..8];
        string service = "alignment-bench-" + Guid.NewGuid().ToString("N")[..8];
        for (int i = 0; i < Silos; i++)
        {
            _silos.Add(await SiloProcess.StartAsync(_redis.Configuration, cluster, service));
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var redis = ConfigurationOptions.Parse(_redis.Configuration);
        builder.UseOrleansClient(c => c
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster;
                o.ServiceId = service;
            })
            .UseRedisClustering(o => o.ConfigurationOptions = redis));
        _client = builder.Build();
        await _client.StartAsync();
        var grains = _client.Services.GetRequiredService<IClusterClient>();
        _router = new HandoffRouter(DurableRoutingBenchmark.Policy(), new HandoffRouterServices { Store = new OrleansRoutingStateStore(grains, "bench"), Decisions = new InMemoryDecisionSink(), TimeProvider = TimeProvider.System });
        _card = DurableRoutingBenchmark.Card();
        await Decisions();
    }

    /// <summary>Stops the client, the silos and Redis.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _router?.Dispose();
        if (_client is not null)
        {
            _client.StopAsync().GetAwaiter().GetResult();
            _client.Dispose();
        }

        foreach (var silo in _silos)
        {
            silo.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        _silos.Clear();
        _redis?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>480 durable decisions by 8 concurrent callers.</summary>
    /// <returns>A task that completes when every caller is done.</returns>
    [Benchmark(OperationsPerInvoke = DurableRoutingBenchmark.Decisions)]
    public Task Decisions()
    {
        int remaining = DurableRoutingBenchmark.Decisions;
        return Task.WhenAll(Enumerable.Range(0, DurableRoutingBenchmark.Callers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                int n = Interlocked.Increment(ref _next);
                var lead = new Lead(new LeadId($"lead-{n}")) { Company = new CompanyProfile { Country = DurableRoutingBenchmark.Country(n % DurableRoutingBenchmark.Pools) } };
                await _router!.RouteAsync(new HandoffRequest(lead, _card with { LeadId = lead.Id }, null)).ConfigureAwait(false);
            }
        })));
    }
}
