using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Scoring;
using Alignment.Storage.PostgreSql;
using Alignment.Testing;
using BenchmarkDotNet.Attributes;
using Npgsql;

namespace Alignment.Benchmarks.Policies;

/// <summary>
/// What the transactional outbox adds to a durable routing decision: one <see cref="HandoffRouter.RouteAsync"/> of a new lead
/// against <see cref="PostgreSqlRoutingStateStore"/> (one transaction under the routing lock: read the lead, the reps' counters and
/// the pool's rotation, decide, write the handoff and the counters), without the outbox (the router publishes to its sink after
/// the commit) and with it (the store also writes the <c>Routed</c> decision into <c>decision_outbox</c> in the same transaction).
/// The server is the one at ALIGNMENT_TEST_PG, or a private cluster on loopback started for the run (as the tests do).
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes through [GlobalCleanup].")]
public class OutboxBenchmark
{
    private BenchmarkPostgres _postgres = null!;
    private HandoffRouter _without = null!;
    private HandoffRouter _with = null!;
    private ScoreCard _card = null!;
    private int _next;

    /// <summary>Starts or finds the server, creates two schemas and the two routers.</summary>
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _postgres = await BenchmarkPostgres.OpenAsync("bench_plain_", "bench_outbox_");
        string plain = _postgres.Schemas[0], outbox = _postgres.Schemas[1];
        var policy = RoutingPolicyCompiler.Compile(
            new RoutingPolicyDefinition
            {
                Id = "bench",
                FallbackQueue = "unassigned",
                Rules = [new RoutingRuleDefinition { Id = "rr", Strategy = RoutingStrategies.RoundRobin, Pool = new() { Teams = ["ae"] }, SlaMinutes = 15 }],
            },
            new RosterDefinition { Reps = [.. Enumerable.Range(0, 10).Select(i => new RepDefinition { Id = $"rep-{i:00}", Team = "ae" })] });
        var time = TimeProvider.System;
        _without = new HandoffRouter(policy, new HandoffRouterServices { Store = new PostgreSqlRoutingStateStore(_postgres.DataSource, plain), Decisions = new InMemoryDecisionSink(), TimeProvider = time });
        _with = new HandoffRouter(policy, new HandoffRouterServices { Store = new PostgreSqlRoutingStateStore(_postgres.DataSource, outbox, recordDecisions: true), Decisions = new InMemoryDecisionSink(), TimeProvider = time });
        _card = new ScoreCard
        {
            LeadId = new LeadId("template"), AsOf = DateTimeOffset.UtcNow, Total = 70, Fit = 35, Engagement = 35, Grade = Grade.B,
            State = QualificationState.MarketingQualified, Categories = [], Explanation = [], ModelId = "m", ModelVersion = "1", ModelHash = "0",
        };

        // Warm both paths (connections, statements) before BenchmarkDotNet's own warm-up.
        for (int i = 0; i < 20; i++)
        {
            await WithoutOutbox();
            await WithOutbox();
        }
    }

    /// <summary>Stops the private server, if one was started.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _without.Dispose();
        _with.Dispose();
        _postgres.Dispose();
    }

    /// <summary>A durable routing decision, published to the sink after the commit.</summary>
    /// <returns>The decision.</returns>
    [Benchmark(Baseline = true)]
    public async Task<HandoffDecision> WithoutOutbox() => await _without.RouteAsync(Request()).ConfigureAwait(false);

    /// <summary>The same decision with its <c>Routed</c> written into the outbox in the same transaction.</summary>
    /// <returns>The decision.</returns>
    [Benchmark]
    public async Task<HandoffDecision> WithOutbox() => await _with.RouteAsync(Request()).ConfigureAwait(false);

    private HandoffRequest Request()
    {
        var lead = new Lead(new LeadId($"lead-{Interlocked.Increment(ref _next)}")) { Company = new CompanyProfile { Country = "GB" } };
        return new HandoffRequest(lead, _card with { LeadId = lead.Id }, null);
    }
}
