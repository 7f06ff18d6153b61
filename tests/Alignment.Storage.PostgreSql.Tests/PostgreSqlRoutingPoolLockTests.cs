using System.Collections.Concurrent;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Scoring;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Alignment.Storage.PostgreSql.Tests;

/// <summary>
/// The routing store's per-pool locks: a decision locks its lead and the pools and reps its footprint names, so decisions in
/// different pools run at the same time while the guarantees of the schema-wide lock still hold.
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlRoutingPoolLockTests(PostgreSqlFixture db, ITestOutputHelper output)
{
    private const int Cap = 5;
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Four pools: GB (a0-a2 and the shared rep s, round robin, a queue), DE (b0, b1 and s, load balanced, no queue: falls through
    /// to the catch-all), FR (c0-c2, uncapped round robin, a queue) and the catch-all (d0, d1, round robin). Capped reps hold 5.
    /// </summary>
    private static CompiledRoutingPolicy Policy() =>
        RoutingPolicyCompiler.Compile(
            new RoutingPolicyDefinition
            {
                Id = "locks",
                FallbackQueue = "unassigned",
                Rules =
                [
                    new RoutingRuleDefinition { Id = "gb", Strategy = RoutingStrategies.RoundRobin, Match = new() { Countries = ["GB"] }, Pool = new() { Reps = ["a0", "a1", "a2", "s"] }, Queue = "gb-queue" },
                    new RoutingRuleDefinition { Id = "de", Strategy = RoutingStrategies.LoadBalanced, Match = new() { Countries = ["DE"] }, Pool = new() { Reps = ["b0", "b1", "s"] } },
                    new RoutingRuleDefinition { Id = "fr", Strategy = RoutingStrategies.RoundRobin, Match = new() { Countries = ["FR"] }, Pool = new() { Reps = ["c0", "c1", "c2"] }, Queue = "fr-queue" },
                    new RoutingRuleDefinition { Id = "rest", Strategy = RoutingStrategies.RoundRobin, Pool = new() { Reps = ["d0", "d1"] } },
                ],
            },
            new RosterDefinition
            {
                Reps =
                [
                    .. new[] { "a0", "a1", "a2", "s", "b0", "b1", "d0", "d1" }.Select(id => new RepDefinition { Id = id, Team = "ae", MaxOpenLeads = Cap }),
                    .. new[] { "c0", "c1", "c2" }.Select(id => new RepDefinition { Id = id, Team = "ae" }),
                ],
            });

    private static HandoffRequest Request(string id, string country)
    {
        var lead = new Lead(new LeadId(id)) { Company = new CompanyProfile { Country = country } };
        var card = new ScoreCard
        {
            LeadId = lead.Id, AsOf = Start, Total = 70, Fit = 35, Engagement = 35, Grade = Grade.B, State = QualificationState.MarketingQualified,
            Categories = [], Explanation = [], ModelId = "m", ModelVersion = "1", ModelHash = "0",
        };
        return new HandoffRequest(lead, card, null);
    }

    private static RoutingFacts Facts(string country) => new(new LeadId("x")) { Country = country };

    [Fact]
    public void GetFootprint_NamesTheMatchingRulesUpToTheFirstWithAQueue()
    {
        var policy = Policy();

        var gb = policy.GetFootprint(Facts("GB"), RoutingPhase.Initial);
        Assert.Equal(["locks/gb"], gb.PoolKeys.ToArray());
        Assert.Equal(["a0", "a1", "a2", "s"], gb.Reps.Select(r => r.Value).Order(StringComparer.Ordinal).ToArray());

        var de = policy.GetFootprint(Facts("DE"), RoutingPhase.Initial);
        Assert.Equal(["locks/de", "locks/rest"], de.PoolKeys.ToArray());
        Assert.Equal(["b0", "b1", "d0", "d1", "s"], de.Reps.Select(r => r.Value).Order(StringComparer.Ordinal).ToArray());

        var us = policy.GetFootprint(Facts("US"), RoutingPhase.Initial);
        Assert.Equal(["locks/rest"], us.PoolKeys.ToArray());
        Assert.False(us.IsWholePolicy);
        Assert.True(policy.GetWholeFootprint().IsWholePolicy);
        Assert.Equal(4, policy.GetWholeFootprint().PoolKeys.Length);
    }

    [Fact]
    public async Task OnADataSourceThatDoesNotResetConnections_RoutingLeavesNoSessionState()
    {
        // AlignmentDataSource turns Npgsql's reset of pooled connections off: the stores must leave nothing on a session.
        await using var source = AlignmentDataSource.Create(new NpgsqlConnectionStringBuilder(db.ConnectionString) { MaxPoolSize = 1 }.ConnectionString);
        Assert.True(new NpgsqlConnectionStringBuilder(source.ConnectionString).NoResetOnClose);
        string schema = PostgreSqlFixture.NewSchema();
        var store = new PostgreSqlRoutingStateStore(source, schema);
        await store.MigrateAsync();
        string statementTimeout, lockTimeout;
        await using (var conn = await source.OpenConnectionAsync())
        {
            // A canary on the one pooled session: still there at the end, so the session was reused and not reset. The timeouts are
            // the server's defaults, read before the stores run.
            await using var canary = new NpgsqlCommand("SELECT set_config('alignment.canary', 'kept', false), current_setting('statement_timeout'), current_setting('lock_timeout')", conn);
            await using var before = await canary.ExecuteReaderAsync();
            Assert.True(await before.ReadAsync());
            (statementTimeout, lockTimeout) = (before.GetString(1), before.GetString(2));
        }

        var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Start) });
        for (int i = 0; i < 12; i++)
        {
            var request = Request($"lead-{i:00}", i % 2 == 0 ? "GB" : "US");
            await router.RouteAsync(request);
            await store.FindAsync(request.Lead.Id);
        }

        await using var after = await source.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(
            """
            SELECT current_setting('alignment.canary', true), current_setting('statement_timeout'), current_setting('lock_timeout'),
                   (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid())
            """, after);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("kept", statementTimeout, lockTimeout, 0L), (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // one compiled policy for every router: a store's concurrent decisions of one footprint are made together
    public async Task EightRoutersOnTwoDataSources_SharedRepTightCaps_CapsHoldEveryLeadOnceAndRotationsFair(bool onePolicy)
    {
        const int leads = 800;
        string[] countries = ["GB", "DE", "FR", "US"];
        string schema = PostgreSqlFixture.NewSchema();
        var time = new FakeTimeProvider(Start);
        await using var sourceA = NpgsqlDataSource.Create(db.ConnectionString);
        await using var sourceB = NpgsqlDataSource.Create(db.ConnectionString);
        var storeA = new PostgreSqlRoutingStateStore(sourceA, schema);
        var storeB = new PostgreSqlRoutingStateStore(sourceB, schema);
        await storeA.MigrateAsync();
        int grouped = 0;
        storeA.OnGroupCommitted = storeB.OnGroupCommitted = n => Interlocked.Add(ref grouped, n);
        var shared = Policy();
        var routers = Enumerable.Range(0, 8)
            .Select(r => new HandoffRouter(onePolicy ? shared : Policy(), new HandoffRouterServices { Store = r % 2 == 0 ? storeA : storeB, Decisions = new InMemoryDecisionSink(), TimeProvider = time }))
            .ToList();

        var decisions = new ConcurrentDictionary<string, HandoffDecision>();
        var disagreements = new ConcurrentBag<string>();
        int rejected = 0;
        int next = -1;
        await Task.WhenAll(routers.Select((router, w) => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < leads)
            {
                var request = Request($"lead-{i:0000}", countries[i % 4]);
                var d = await router.RouteAsync(request);
                Assert.True(decisions.TryAdd(request.Lead.Id.Value, d));
                if (i % 3 == 0)
                {
                    // The same lead from another router, on the other data source: the same decision, not a second seat.
                    if (!(await routers[(w + 1) % routers.Count].RouteAsync(request)).Equals(d))
                    {
                        disagreements.Add(request.Lead.Id.Value);
                    }
                }

                if (i < leads * 3 / 4 && d is HandoffDecision.Assigned assigned && (assigned.Rep.Value == "s" || i % 10 == 1) && countries[i % 4] != "FR")
                {
                    // A rejection frees the seat through an update on another router, racing the decisions in its pools; the shared
                    // rep s is freed every time, so GB and DE decisions keep competing for its seat.
                    await routers[(w + 3) % routers.Count].RejectAsync(request.Lead.Id, RejectionReason.Timing, "later");
                    Interlocked.Increment(ref rejected);
                }
            }
        })));

        output.WriteLine($"decisions made together: {grouped}");
        if (onePolicy)
        {
            Assert.True(grouped > 0, "eight routers sharing one policy never had two decisions of one footprint made together");
        }

        Assert.Empty(disagreements);
        Assert.Equal(leads, decisions.Count);
        Assert.True(rejected > 0);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using (var cmd = new NpgsqlCommand($"SELECT count(*), count(DISTINCT lead_id) FROM {schema}.handoff_assignment", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            Assert.Equal(leads, reader.GetInt64(0)); // one handoff per lead
            Assert.Equal(leads, reader.GetInt64(1));
        }

        var open = new Dictionary<string, long>();
        await using (var cmd = new NpgsqlCommand($"SELECT l.rep_id, l.open_count, (SELECT count(*) FROM {schema}.handoff_assignment a WHERE a.rep_id = l.rep_id AND a.status IN (1, 2)) FROM {schema}.handoff_rep_load l", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                string rep = reader.GetString(0);
                open[rep] = reader.GetInt64(2);
                Assert.Equal(reader.GetInt64(2), reader.GetInt32(1)); // the counter agrees with the rows
                if (!rep.StartsWith('c'))
                {
                    Assert.True(reader.GetInt64(2) <= Cap, $"{rep} holds {reader.GetInt64(2)} leads, over its cap of {Cap}");
                }
            }
        }

        // Far more GB, DE and US leads than seats: every capped seat is taken, and none twice.
        foreach (string rep in new[] { "a0", "a1", "a2", "s", "b0", "b1", "d0", "d1" })
        {
            Assert.Equal(Cap, open[rep]);
        }

        // FR is uncapped round robin: 200 leads over three reps, no turn skipped or taken twice.
        var fr = decisions.Values.OfType<HandoffDecision.Assigned>().Where(d => d.Rep.Value.StartsWith('c')).GroupBy(d => d.Rep.Value).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"FR rotation: {string.Join(", ", fr.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))}");
        Assert.Equal(leads / 4, fr.Values.Sum());
        Assert.InRange(fr.Values.Max() - fr.Values.Min(), 0, 1);
        foreach (var r in routers)
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task DecisionsInDifferentPools_RunWhileAnotherPoolsTransactionIsOpen_AndTheSamePoolWaits()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var time = new FakeTimeProvider(Start);
        await using var sourceB = NpgsqlDataSource.Create(db.ConnectionString);
        var held = new PostgreSqlRoutingStateStore(db.DataSource, schema);
        var other = new PostgreSqlRoutingStateStore(sourceB, schema);
        await held.MigrateAsync();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        held.BeforeCommit = async (_, ct) =>
        {
            entered.TrySetResult();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        };
        using var a = new HandoffRouter(Policy(), new HandoffRouterServices { Store = held, Decisions = new InMemoryDecisionSink(), TimeProvider = time });
        using var b = new HandoffRouter(Policy(), new HandoffRouterServices { Store = other, Decisions = new InMemoryDecisionSink(), TimeProvider = time });

        var stalled = a.RouteAsync(Request("gb-1", "GB")).AsTask();
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // Another pool, another connection pool: decided while the GB transaction is still open.
        var fr = b.RouteAsync(Request("fr-1", "FR")).AsTask();
        var frDone = await Task.WhenAny(fr, Task.Delay(TimeSpan.FromSeconds(3)));
        var us = b.RouteAsync(Request("us-1", "US")).AsTask();
        var usDone = await Task.WhenAny(us, Task.Delay(TimeSpan.FromSeconds(3)));

        // The same pool waits for it.
        var gb = b.RouteAsync(Request("gb-2", "GB")).AsTask();
        var gbDone = await Task.WhenAny(gb, Task.Delay(TimeSpan.FromSeconds(1)));
        release.SetResult();

        Assert.Same(fr, frDone);
        Assert.Same(us, usDone);
        Assert.Equal("c0", Assert.IsType<HandoffDecision.Assigned>(await fr).Rep.Value);
        Assert.Equal("d0", Assert.IsType<HandoffDecision.Assigned>(await us).Rep.Value);
        Assert.NotSame(gb, gbDone);
        Assert.Equal("a0", Assert.IsType<HandoffDecision.Assigned>(await stalled).Rep.Value);
        Assert.Equal("a1", Assert.IsType<HandoffDecision.Assigned>(await gb).Rep.Value); // after the stalled one, in rotation
    }
}
