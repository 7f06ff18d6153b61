using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Orleans;
using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Scoring;
using Alignment.Storage.PostgreSql;
using Alignment.Testing;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Orleans.Hosting;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace Alignment.Benchmarks.Policies;

/// <summary>
/// Durable routing decisions on PostgreSQL with 8 concurrent callers: <see cref="HandoffRouter.RouteAsync"/> of new leads over 50
/// reps in 10 pools (one rule per country, round robin over 5 reps, the leads spread evenly over the countries), against
/// <see cref="PostgreSqlRoutingStateStore"/> serialising every decision of the schema behind one lock (the releases before
/// issue 19) and locking only the lead and the pool and reps a decision can touch (each in its own schema). Results are per
/// decision (<c>OperationsPerInvoke</c>), so the ratio of the two is the ratio of decisions per second. Both use the data source hosts
/// get (<see cref="AlignmentDataSource.Create"/>: statements prepared). The server is the one
/// at ALIGNMENT_TEST_PG, or a private cluster on loopback started for the run (as the tests do). <see cref="Orleans"/> makes the
/// same decisions with the same router over <see cref="OrleansRoutingStateStore"/>: 3 silos in this process (Orleans'
/// TestingHost), a cluster client, and grain state in a private Redis server on loopback (append-only file written on every write,
/// not fsynced, as the PostgreSQL servers here run without fsync).
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes through [GlobalCleanup].")]
public class DurableRoutingBenchmark
{
    /// <summary>Decisions per benchmark operation.</summary>
    public const int Decisions = 480;

    /// <summary>Concurrent callers.</summary>
    public const int Callers = 8;

    internal const int Pools = 10;
    private static readonly string[] Countries = ["GB", "DE", "FR", "US", "ES", "IT", "NL", "SE", "PL", "JP"];
    private BenchmarkPostgres _postgres = null!;
    private HandoffRouter _schemaLock = null!;
    private HandoffRouter _poolLocks = null!;
    private HandoffRouter _orleans = null!;
    private PrivateRedis _redis = null!;
    private TestCluster _cluster = null!;
    private ScoreCard _card = null!;
    private int _next;

    /// <summary>How long each method is run before BenchmarkDotNet's own warm-up (see <see cref="WarmAsync"/>).</summary>
    internal static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(10);

    /// <summary>Starts or finds the server, creates two schemas and the two routers, and warms the schema lock's.</summary>
    [GlobalSetup(Target = nameof(PostgreSqlSchemaLock))]
    public void SetupSchemaLock() => SetupAsync(PostgreSqlSchemaLock).GetAwaiter().GetResult();

    /// <summary>Starts or finds the server, creates two schemas and the two routers, and warms the pool locks'.</summary>
    [GlobalSetup(Target = nameof(PostgreSqlPoolLocks))]
    public void SetupPoolLocks() => SetupAsync(PostgreSqlPoolLocks).GetAwaiter().GetResult();

    /// <summary>Starts Redis and a cluster of 3 silos in this process, and the router over it.</summary>
    [GlobalSetup(Target = nameof(Orleans))]
    public void SetupOrleans() => SetupOrleansAsync().GetAwaiter().GetResult();

    private async Task SetupOrleansAsync()
    {
        _redis = await PrivateRedis.CreateAsync(fsyncEveryWrite: false);
        var builder = new TestClusterBuilder(3);
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["AlignmentRedis"] = _redis.Configuration }));
        builder.AddSiloBuilderConfigurator<RedisSilo>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        _orleans = new HandoffRouter(Policy(), new HandoffRouterServices { Store = new OrleansRoutingStateStore(_cluster.GrainFactory, "bench"), Decisions = new InMemoryDecisionSink(), TimeProvider = TimeProvider.System });
        _card = Card();
        await WarmAsync(Orleans);
    }

    /// <summary>Stops the cluster and Redis.</summary>
    [GlobalCleanup(Target = nameof(Orleans))]
    public void CleanupOrleans()
    {
        _orleans.Dispose();
        _cluster.StopAllSilosAsync().GetAwaiter().GetResult();
        _cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _redis.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private async Task SetupAsync(Func<Task> measured)
    {
        _postgres = await BenchmarkPostgres.OpenAsync(prepared: true, "bench_schemalock_", "bench_poollocks_");
        string schemaWide = _postgres.Schemas[0], perPool = _postgres.Schemas[1];
        var policy = Policy();
        var time = TimeProvider.System;
        _schemaLock = new HandoffRouter(policy, new HandoffRouterServices { Store = new PostgreSqlRoutingStateStore(_postgres.DataSource, schemaWide) { SchemaLock = true }, Decisions = new InMemoryDecisionSink(), TimeProvider = time });
        _poolLocks = new HandoffRouter(policy, new HandoffRouterServices { Store = new PostgreSqlRoutingStateStore(_postgres.DataSource, perPool), Decisions = new InMemoryDecisionSink(), TimeProvider = time });
        _card = Card();

        await WarmAsync(measured);
    }

    /// <summary>
    /// Runs a method for <see cref="WarmUp"/> before BenchmarkDotNet's warm-up. A short job's 3 warm-up iterations were not enough
    /// on 2 busy cores: over 20 iterations both PostgreSQL methods kept getting faster for the first 8-15 (about 5-10 s: the JIT's
    /// background tier-up of the many methods a decision runs, and the server's caches), the pool locks' from about 450 to 300 us.
    /// </summary>
    private static async Task WarmAsync(Func<Task> method)
    {
        long began = System.Diagnostics.Stopwatch.GetTimestamp();
        do
        {
            await method();
        }
        while (System.Diagnostics.Stopwatch.GetElapsedTime(began) < WarmUp);
    }

    /// <summary>Stops the private server, if one was started.</summary>
    [GlobalCleanup(Targets = [nameof(PostgreSqlSchemaLock), nameof(PostgreSqlPoolLocks)])]
    public void Cleanup()
    {
        _schemaLock.Dispose();
        _poolLocks.Dispose();
        _postgres.Dispose();
    }

    /// <summary>Decisions serialised by the schema's one advisory lock, as before issue 19.</summary>
    /// <returns>A task that completes when every caller is done.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Decisions)]
    public Task PostgreSqlSchemaLock() => RunAsync(_schemaLock);

    /// <summary>Decisions locking only the lead and the pool and reps each one can touch.</summary>
    /// <returns>A task that completes when every caller is done.</returns>
    [Benchmark(OperationsPerInvoke = Decisions)]
    public Task PostgreSqlPoolLocks() => RunAsync(_poolLocks);

    /// <summary>Decisions on an Orleans cluster of 3 silos: one grain per pool's cell and per lead, no lock shared between pools.</summary>
    /// <returns>A task that completes when every caller is done.</returns>
    [Benchmark(OperationsPerInvoke = Decisions)]
    public Task Orleans() => RunAsync(_orleans);

    internal static string Country(int pool) => Countries[pool];

    internal static CompiledRoutingPolicy Policy() =>
        RoutingPolicyCompiler.Compile(
            new RoutingPolicyDefinition
            {
                Id = "bench",
                FallbackQueue = "unassigned",
                Rules =
                [
                    .. Enumerable.Range(0, Pools).Select(p => new RoutingRuleDefinition
                    {
                        Id = $"pool-{p}",
                        Strategy = RoutingStrategies.RoundRobin,
                        Match = new() { Countries = [Country(p)] },
                        Pool = new() { Teams = [$"team-{p}"] },
                        Queue = $"queue-{p}",
                        SlaMinutes = 15,
                    }),
                ],
            },
            new RosterDefinition { Reps = [.. Enumerable.Range(0, Pools * 5).Select(i => new RepDefinition { Id = $"rep-{i:00}", Team = $"team-{i / 5}" })] });

    internal static ScoreCard Card() => new()
    {
        LeadId = new LeadId("template"), AsOf = DateTimeOffset.UtcNow, Total = 70, Fit = 35, Engagement = 35, Grade = Grade.B,
        State = QualificationState.MarketingQualified, Categories = [], Explanation = [], ModelId = "m", ModelVersion = "1", ModelHash = "0",
    };

    private sealed class RedisSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var redis = ConfigurationOptions.Parse(siloBuilder.Configuration["AlignmentRedis"]!);
            siloBuilder.AddRedisGrainStorage(AlignmentOrleans.StorageName, options => options.Configure<global::Orleans.Serialization.Serializer>((o, serializer) =>
            {
                o.ConfigurationOptions = redis;
                o.GrainStorageSerializer = new global::Orleans.Storage.OrleansGrainStorageSerializer(serializer);
            }));
        }
    }

    private Task RunAsync(HandoffRouter router)
    {
        int remaining = Decisions;
        return Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                int n = Interlocked.Increment(ref _next);
                var lead = new Lead(new LeadId($"lead-{n}")) { Company = new CompanyProfile { Country = Country(n % Pools) } };
                await router.RouteAsync(new HandoffRequest(lead, _card with { LeadId = lead.Id }, null)).ConfigureAwait(false);
            }
        })));
    }
}
