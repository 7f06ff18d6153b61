using System.Collections.Concurrent;
using Alignment.Conformance.Handoff;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Scoring;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests;

/// <summary>
/// What only the PostgreSQL routing state store does: several store instances and connection pools sharing one schema, a
/// connection lost mid-decision, migrations. The <see cref="IRoutingStateStore"/> contract itself runs in
/// <see cref="PostgreSqlRoutingStateStoreConformanceTests"/>.
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlRoutingStateStoreTests(PostgreSqlFixture db)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static CompiledRoutingPolicy Policy(int reps, int? cap, int slaMinutes = 15, int maxReassignments = 0) =>
        RoutingPolicyCompiler.Compile(
            new RoutingPolicyDefinition
            {
                Id = "pg",
                FallbackQueue = "unassigned",
                Rules =
                [
                    new RoutingRuleDefinition { Id = "hot", Strategy = RoutingStrategies.LoadBalanced, Match = new() { States = ["hot"] }, Pool = new() { Teams = ["ae"] }, SlaMinutes = slaMinutes, Escalation = new() { NotifyManager = true, MaxReassignments = maxReassignments } },
                    new RoutingRuleDefinition { Id = "rr", Strategy = RoutingStrategies.RoundRobin, Pool = new() { Teams = ["ae"] }, SlaMinutes = slaMinutes, Escalation = new() { MaxReassignments = maxReassignments } },
                ],
            },
            new RosterDefinition { Reps = [.. Enumerable.Range(0, reps).Select(i => new RepDefinition { Id = $"rep-{i:00}", Team = "ae", MaxOpenLeads = cap })] });

    private static HandoffRequest Request(string id, QualificationState state = QualificationState.MarketingQualified)
    {
        var lead = new Lead(new LeadId(id)) { Company = new CompanyProfile { Country = "GB" } };
        var card = new ScoreCard
        {
            LeadId = lead.Id, AsOf = Start, Total = 70, Fit = 35, Engagement = 35, Grade = Grade.B, State = state,
            Categories = [], Explanation = [], ModelId = "m", ModelVersion = "1", ModelHash = "0",
        };
        return new HandoffRequest(lead, card, null);
    }

    private async Task<PostgreSqlRoutingStateStore> NewStoreAsync(string? schema = null, NpgsqlDataSource? source = null)
    {
        var store = new PostgreSqlRoutingStateStore(source ?? db.DataSource, schema ?? PostgreSqlFixture.NewSchema());
        await store.MigrateAsync();
        return store;
    }

    [Fact]
    public async Task MigrateAsync_RunTwiceAndConcurrently_IsIdempotent()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var store = new PostgreSqlRoutingStateStore(db.DataSource, schema);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => store.MigrateAsync()));
        await store.MigrateAsync();
        Assert.Null(await store.FindAsync(new LeadId("nobody")));
    }

    [Fact]
    public async Task RouteAsync_SameLeadTwice_ReturnsTheSameDecisionAcrossStoreInstances()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var policy = Policy(3, cap: 5);
        var time = new FakeTimeProvider(Start);
        using var a = new HandoffRouter(policy, new HandoffRouterServices { Store = await NewStoreAsync(schema), Decisions = new InMemoryDecisionSink(), TimeProvider = time });
        using var b = new HandoffRouter(policy, new HandoffRouterServices { Store = await NewStoreAsync(schema), Decisions = new InMemoryDecisionSink(), TimeProvider = time });

        var first = await a.RouteAsync(Request("lead-1"));
        time.Advance(TimeSpan.FromMinutes(1));
        var second = await b.RouteAsync(Request("lead-1"));

        Assert.Equal(first, second);
        var assigned = Assert.IsType<HandoffDecision.Assigned>(first);
        Assert.Equal("rep-00", assigned.Rep.Value);
        Assert.Equal(1, (await new PostgreSqlRoutingStateStore(db.DataSource, schema).GetRepLoadAsync(assigned.Rep)).Open);
    }

    [Fact]
    public async Task RouteAsync_RotationIsSharedBetweenInstances()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var policy = Policy(3, cap: null);
        var time = new FakeTimeProvider(Start);
        using var a = new HandoffRouter(policy, new HandoffRouterServices { Store = await NewStoreAsync(schema), Decisions = new InMemoryDecisionSink(), TimeProvider = time });
        using var b = new HandoffRouter(Policy(3, cap: null), new HandoffRouterServices { Store = await NewStoreAsync(schema), Decisions = new InMemoryDecisionSink(), TimeProvider = time });

        var reps = new List<string>();
        for (int i = 0; i < 6; i++)
        {
            var router = i % 2 == 0 ? a : b;
            reps.Add(((HandoffDecision.Assigned)await router.RouteAsync(Request($"l{i}"))).Rep.Value);
        }

        Assert.Equal(["rep-00", "rep-01", "rep-02", "rep-00", "rep-01", "rep-02"], reps);
    }

    [Fact]
    public async Task DecideAsync_ConnectionLostBeforeCommit_LeavesNothingAndCanBeRetried()
    {
        var store = await NewStoreAsync();
        var policy = Policy(2, cap: 1);
        var time = new FakeTimeProvider(Start);
        using var router = new HandoffRouter(policy, new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink(), TimeProvider = time });
        store.BeforeCommit = async (conn, ct) =>
        {
            await using var killer = await db.DataSource.OpenConnectionAsync(ct);
            await using var cmd = new NpgsqlCommand($"SELECT pg_terminate_backend({conn.ProcessID})", killer);
            await cmd.ExecuteNonQueryAsync(ct);
        };

        await Assert.ThrowsAnyAsync<Exception>(async () => await router.RouteAsync(Request("lead-x")));

        Assert.Null(await store.FindAsync(new LeadId("lead-x")));
        Assert.Equal(0, (await store.GetRepLoadAsync(new RepId("rep-00"))).Open);
        store.BeforeCommit = null;
        var retried = Assert.IsType<HandoffDecision.Assigned>(await router.RouteAsync(Request("lead-x")));
        Assert.Equal("rep-00", retried.Rep.Value);
        Assert.Equal(1, (await store.GetRepLoadAsync(new RepId("rep-00"))).Open);
    }

    [Fact]
    public async Task RouteAsync_AfterTheHandoffClosed_RoutesAfreshAcrossInstancesAndKeepsHistory()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var policy = Policy(3, cap: 5);
        var time = new FakeTimeProvider(Start);
        var storeA = await NewStoreAsync(schema);
        var storeB = await NewStoreAsync(schema);
        var sinkB = new InMemoryDecisionSink();
        using var a = new HandoffRouter(policy, new HandoffRouterServices { Store = storeA, Decisions = new InMemoryDecisionSink(), TimeProvider = time });
        using var b = new HandoffRouter(policy, new HandoffRouterServices { Store = storeB, Decisions = sinkB, TimeProvider = time });
        var first = await a.RouteWithDetailsAsync(Request("back"));
        await a.RejectAsync(new LeadId("back"), RejectionReason.Timing, "next quarter");
        var open = await a.RouteWithDetailsAsync(Request("open"));
        time.Advance(TimeSpan.FromDays(30));

        var second = await b.RouteWithDetailsAsync(Request("back", QualificationState.Hot));
        var third = await a.RouteWithDetailsAsync(Request("back", QualificationState.Hot));
        var openAgain = await b.RouteWithDetailsAsync(Request("open"));

        Assert.Equal((2, HandoffStatus.Assigned, "hot"), (second.Epoch, second.Status, second.Decision.RuleId));
        Assert.Equal(Start.AddDays(30), second.DecidedAt);
        Assert.Equal(second, third); // open again: idempotent across instances
        Assert.Equal(open, openAgain);
        Assert.Single(sinkB.Decisions.OfType<AlignmentDecision.Routed>());
        var history = Assert.Single(await storeB.ListHistoryAsync(new LeadId("back")));
        Assert.Equal((1, HandoffStatus.Recycled, RejectionReason.Timing, "next quarter"), (history.Epoch, history.Status, history.Rejection, history.Note));
        Assert.Equal(first.Decision, history.Decision);
        Assert.Empty(await storeA.ListHistoryAsync(new LeadId("open")));
        Assert.Equal(1, (await storeA.GetRepLoadAsync(second.Rep!.Value)).Open);
    }

    [Fact]
    public async Task EightParallelRouters_TenThousandLeads_NoLeadTwiceOrLostAndNoCapExceeded()
    {
        const int leads = 10_000;
        const int cap = 300; // 20 reps x 300 = 6,000 seats: the rest must queue, never exceed a cap
        string schema = PostgreSqlFixture.NewSchema();
        await NewStoreAsync(schema);
        var time = new FakeTimeProvider(Start);
        var routers = new List<HandoffRouter>();
        var sources = new List<NpgsqlDataSource>();
        for (int r = 0; r < 8; r++)
        {
            var source = NpgsqlDataSource.Create(db.ConnectionString);
            sources.Add(source);
            routers.Add(new HandoffRouter(Policy(20, cap), new HandoffRouterServices { Store = new PostgreSqlRoutingStateStore(source, schema), Decisions = new InMemoryDecisionSink(), TimeProvider = time }));
        }

        var decisions = new ConcurrentDictionary<string, HandoffDecision>();
        var disagreements = new ConcurrentBag<string>();
        int next = -1;
        var workers = routers.Select((router, w) => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < leads)
            {
                var request = Request($"lead-{i:00000}", i % 5 == 0 ? QualificationState.Hot : QualificationState.MarketingQualified);
                var d = await router.RouteAsync(request);
                if (!decisions.TryAdd(request.Lead.Id.Value, d) && !decisions[request.Lead.Id.Value].Equals(d))
                {
                    disagreements.Add(request.Lead.Id.Value);
                }

                if (i % 4 == w % 4)
                {
                    // Route the lead again from another router: it must get the same decision, not a second seat.
                    var again = await routers[(w + 1) % routers.Count].RouteAsync(request);
                    if (!again.Equals(d))
                    {
                        disagreements.Add(request.Lead.Id.Value);
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);

        Assert.Empty(disagreements);
        Assert.Equal(leads, decisions.Count);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using (var cmd = new NpgsqlCommand($"SELECT count(*), count(DISTINCT lead_id), count(rep_id) FROM {schema}.handoff_assignment", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            Assert.Equal(leads, reader.GetInt64(0));
            Assert.Equal(leads, reader.GetInt64(1));
            Assert.Equal(20 * cap, reader.GetInt64(2)); // every seat filled, none over
        }

        await using (var cmd = new NpgsqlCommand($"SELECT a.rep_id, count(*), max(l.open_count) FROM {schema}.handoff_assignment a JOIN {schema}.handoff_rep_load l USING (rep_id) WHERE a.status IN (1, 2) GROUP BY a.rep_id", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            int reps = 0;
            while (await reader.ReadAsync())
            {
                reps++;
                Assert.True(reader.GetInt64(1) <= cap, $"{reader.GetString(0)} holds {reader.GetInt64(1)} leads, over its cap of {cap}");
                Assert.Equal(reader.GetInt64(1), reader.GetInt32(2)); // the counter agrees with the rows
            }

            Assert.Equal(20, reps);
        }

        for (int i = 0; i < leads; i++)
        {
            Assert.True(decisions.ContainsKey($"lead-{i:00000}"), $"lead-{i:00000} has no decision");
        }

        foreach (var r in routers)
        {
            r.Dispose();
        }

        foreach (var s in sources)
        {
            await s.DisposeAsync();
        }
    }
}

/// <summary>The PostgreSQL routing state store against the <see cref="IRoutingStateStore"/> contract (tests/Alignment.Conformance), each test in a new schema.</summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlRoutingStateStoreConformanceTests(PostgreSqlFixture db) : RoutingStateStoreConformance
{
    protected override async Task<IRoutingStateStore> CreateStoreAsync()
    {
        var store = new PostgreSqlRoutingStateStore(db.DataSource, PostgreSqlFixture.NewSchema());
        await store.MigrateAsync();
        return store;
    }

    protected override ValueTask<IReadOnlyList<HandoffAssignment>> ListHistoryAsync(IRoutingStateStore store, LeadId leadId) =>
        ((PostgreSqlRoutingStateStore)store).ListHistoryAsync(leadId);
}
