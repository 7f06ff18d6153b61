using System.Collections.Concurrent;
using Alignment.Coordination;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Hosting;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Scoring;
using Alignment.Storage.PostgreSql.Coordination;
using Alignment.Storage.PostgreSql.Decisions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Xunit.Abstractions;

namespace Alignment.Storage.PostgreSql.Tests.Faults;

/// <summary>
/// The SLA leader's host goes away (issue 16, fault test c), on PostgreSQL leases: three generic hosts run the hosting package's
/// SLA worker over one schema (PostgreSQL routing state, lease store and decision outbox), while a router keeps routing leads
/// whose one-minute SLA runs out a second later (a 60x clock). The leader is stopped twice over: as a crash (its connections cut
/// with <c>pg_terminate_backend</c>, its data source gone, its notifications refused: the lease is not released) and cleanly
/// (<c>StopAsync</c>, which releases it). Asserted: another host takes over within the lease time (crash) or at its next check
/// (clean stop); no two hosts held the lease at once, and every call a host's SLA worker made to the routing state fell inside
/// that host's hold; every breach (each lead breaches at epochs 1 and 2, then is escalated) is in the outbox exactly once and
/// delivered once, and no manager was notified twice of one breach.
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed class SlaLeaderTakeoverTests(PostgreSqlFixture fixture, ITestOutputHelper output)
{
    private const string Roster = """{ "reps": [ { "id": "a", "team": "ae" }, { "id": "b", "team": "ae" }, { "id": "c", "team": "ae" }, { "id": "d", "team": "ae" } ] }""";
    private const string Policy = """
        { "id": "sla", "fallbackQueue": "q", "rules": [ { "id": "r", "strategy": "roundRobin", "pool": { "teams": ["ae"] }, "slaMinutes": 1,
          "escalation": { "notifyManager": true, "maxReassignments": 1, "queue": "sla-missed" } } ] }
        """;

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    // Scheduling on a loaded two-core machine: a standby's check may come this much later than its interval.
    // Real time on a shared 2-core CI machine: a clean stop's take-over (68-168 ms measured) must still come well before the 4 s
    // lease would have run out, and a crash's after it.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(2.5);

    [Fact(Timeout = 90_000)]
    public Task A_crashed_leader_is_replaced_within_the_lease_time_and_no_breach_is_handled_twice() => RunAsync(crash: true);

    [Fact(Timeout = 90_000)]
    public Task A_leader_that_stops_cleanly_hands_over_at_the_next_check_and_no_breach_is_handled_twice() => RunAsync(crash: false);

    private async Task RunAsync(bool crash)
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(fixture.DataSource, schema);
        var clock = new RunningClock(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero), factor: 60);
        var leases = new LeaseLog();
        var calls = new ConcurrentQueue<(string Host, string Call, DateTimeOffset Start, DateTimeOffset End)>();
        var notified = new ConcurrentQueue<(string Host, string Lead, DateTimeOffset Due)>();
        var instances = new[] { "A", "B", "C" }.Select(id => new Instance(fixture, schema, id, clock, leases, calls, notified)).ToArray();
        var (a, b, c) = (instances[0], instances[1], instances[2]);
        using var router = new HandoffRouter(CompiledRoutingPolicy.Load(Policy, Roster), new HandoffRouterServices
        {
            Store = new PostgreSqlRoutingStateStore(fixture.DataSource, schema, recordDecisions: true), Decisions = new CountingSink(), TimeProvider = clock,
        });
        try
        {
            // A starts first and leads; B and C stand by.
            await a.Host.StartAsync();
            await Until.HoldsAsync(() => leases.Grants.Any(g => g.Holder == "A"), TimeSpan.FromSeconds(10), "A leads");
            await b.Host.StartAsync();
            await c.Host.StartAsync();

            // A router keeps routing leads, 2 every 50 ms, until told to stop; each breaches a second after it is assigned, and again a
            // second after its reassignment, then goes to the escalation queue.
            int routed = 0;
            using var stopRouting = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var routing = Task.Run(async () =>
            {
                while (!stopRouting.IsCancellationRequested && routed < 2_000)
                {
                    for (int i = 0; i < 2; i++)
                    {
                        Assert.IsType<HandoffDecision.Assigned>(await router.RouteAsync(Request($"lead-{routed:0000}")));
                        routed++;
                    }

                    try
                    {
                        await Task.Delay(50, stopRouting.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            });

            await Until.HoldsAsync(() => notified.Count(n => n.Host == "A") >= 20, TimeSpan.FromSeconds(20), "A handles breaches");
            Assert.DoesNotContain(notified, n => n.Host != "A");

            // The leader goes away.
            var stoppedAt = DateTimeOffset.UtcNow;
            if (crash)
            {
                await a.CrashAsync(fixture.DataSource);
            }
            else
            {
                await a.StopAsync();
            }

            var successor = await Until.HoldsAsync(() => leases.Grants.Any(g => g.Holder != "A"), Lease + Interval + Slack + TimeSpan.FromSeconds(5), "another host takes over");
            var first = leases.Grants.Where(g => g.Holder != "A").MinBy(g => g.AcquiredAt);
            var aExpiry = leases.Grants.Where(g => g.Holder == "A").Max(g => g.ExpiresAt);
            var takeover = first.AcquiredAt - stoppedAt;
            output.WriteLine($"{(crash ? "crash" : "clean stop")}: {first.Holder} took over (term {first.Term}) {takeover.TotalMilliseconds:0} ms after A stopped; A's last grant ran {(aExpiry - stoppedAt).TotalMilliseconds:0} ms past the stop; seen after {successor.TotalMilliseconds:0} ms");

            // Routing goes on for two more seconds, so breaches fall due under the successor; then everything settles.
            await Task.Delay(TimeSpan.FromSeconds(2));
            await stopRouting.CancelAsync();
            await routing;
            var state = new PostgreSqlRoutingStateStore(fixture.DataSource, schema);
            await Until.HoldsAsync(async () => (await state.ListAwaitingFirstTouchAsync()).Count == 0, TimeSpan.FromSeconds(20), "every breach handled");
            foreach (var instance in instances.Skip(1))
            {
                await instance.StopAsync();
            }

            // Take-over: within the lease time after a crash (the lease had to lapse first); at the next check after a clean stop.
            if (crash)
            {
                Assert.True(first.AcquiredAt >= aExpiry, "the successor took the lease before the crashed leader's lapsed");
                Assert.True(takeover <= Lease + Interval + Slack, $"take-over after {takeover.TotalMilliseconds:0} ms, more than the lease ({Lease.TotalMilliseconds:0} ms) plus one check");
                Assert.DoesNotContain(leases.Releases, r => r.Holder == "A");
            }
            else
            {
                Assert.Contains(leases.Releases, r => r.Holder == "A");
                Assert.True(takeover <= Interval + Slack, $"take-over after {takeover.TotalMilliseconds:0} ms, more than one check after a clean stop");
            }

            // One holder at a time, and every SLA worker's call to the routing state inside its host's hold.
            leases.AssertNoOverlap();
            var holds = leases.Holds();
            foreach (var call in calls)
            {
                Assert.True(
                    holds.Any(h => h.Holder == call.Host && call.Start >= h.Start && call.End <= h.End),
                    $"{call.Host} called {call.Call} from {call.Start:HH:mm:ss.fff} to {call.End:HH:mm:ss.fff} without holding the lease");
            }

            // Every lead breached at epochs 1 and 2 and was escalated at 3; each breach is in the outbox once, delivered once.
            var delivered = new KeyedSink();
            await new DecisionRelay(new PostgreSqlDecisionOutbox(fixture.DataSource, schema), delivered).DeliverPendingAsync();
            var expected = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < routed; i++)
            {
                var h = await state.FindAsync(new LeadId($"lead-{i:0000}"));
                Assert.True(h is { Epoch: 3, Status: HandoffStatus.Queued }, $"lead-{i:0000} is at {h?.Epoch} {h?.Status}, not escalated after two breaches");
                expected.Add($"sla-breached:lead-{i:0000}:1");
                expected.Add($"sla-breached:lead-{i:0000}:2");
            }

            var breaches = delivered.Decisions.OfType<AlignmentDecision.SlaBreached>().Select(d => d.IdempotencyKey!).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(expected.Order(StringComparer.Ordinal), breaches.Order(StringComparer.Ordinal));

            // No breach notified twice; both sides of the stop handled some. A crashed host may die between marking a breach and
            // notifying its manager (the notification is not in the outbox): at most that one is missing.
            var twice = notified.GroupBy(n => (n.Lead, n.Due)).Where(g => g.Count() > 1).Select(g => $"{g.Key.Lead} due {g.Key.Due:HH:mm:ss} by {string.Join(", ", g.Select(n => n.Host))}").ToList();
            Assert.True(twice.Count == 0, "notified twice: " + string.Join("; ", twice));
            Assert.Contains(notified, n => n.Host != "A");
            int missing = expected.Count - notified.Count;
            output.WriteLine($"{routed} leads, {expected.Count} breaches, {notified.Count} notifications ({notified.Count(n => n.Host == "A")} by A), {missing} missing; {calls.Count} store calls checked against {holds.Count} terms");
            Assert.InRange(missing, 0, crash ? 1 : 0);
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    private static HandoffRequest Request(string id)
    {
        var lead = new Lead(new LeadId(id));
        var card = new ScoreCard
        {
            LeadId = lead.Id, AsOf = DateTimeOffset.UnixEpoch, Total = 70, Fit = 0, Engagement = 70, Grade = Grade.B,
            State = QualificationState.MarketingQualified, Categories = [], Explanation = [], ModelId = "m", ModelVersion = "1", ModelHash = "h",
        };
        return new HandoffRequest(lead, card, null);
    }

    /// <summary>
    /// One instance of the application: a generic host with the SLA worker on PostgreSQL stores, its own connection pool (named
    /// by its application name, so its server connections can be cut) and its own escalation handler.
    /// </summary>
    private sealed class Instance : IAsyncDisposable, IHandoffEscalationHandler
    {
        private readonly string _id;
        private readonly string _application;
        private readonly NpgsqlDataSource _dataSource;
        private readonly ConcurrentQueue<(string Host, string Lead, DateTimeOffset Due)> _notified;
        private volatile bool _dead;
        private bool _stopped;

        public Instance(
            PostgreSqlFixture fixture, string schema, string id, TimeProvider clock, LeaseLog leases,
            ConcurrentQueue<(string Host, string Call, DateTimeOffset Start, DateTimeOffset End)> calls, ConcurrentQueue<(string Host, string Lead, DateTimeOffset Due)> notified)
        {
            _id = id;
            _notified = notified;
            _application = $"sla-{schema}-{id}";
            string cs = new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { ApplicationName = _application, MaxPoolSize = 8 }.ConnectionString;
            _dataSource = NpgsqlDataSource.Create(cs);
            Host = new HostBuilder().ConfigureServices(services =>
            {
                services.AddSingleton(clock);
                services.AddSingleton(_dataSource); // the stores' shared data source: this instance's pool
                services.AddSingleton<IDecisionSink>(new CountingSink()); // the decisions go to the outbox; the test relays them
                services.AddSingleton<IHandoffEscalationHandler>(this);
                services.AddAlignment(x => x
                    .AddHandoff(o => { o.PolicyJson = Policy; o.RosterJson = Roster; })
                    .UsePostgreSqlRoutingState(cs, schema).UsePostgreSqlLeaseStore(cs, schema).UsePostgreSqlDecisionOutbox(cs, schema)
                    .AddAlignmentWorker(o =>
                    {
                        o.Workers = AlignmentWorkers.SlaCheck;
                        o.InstanceId = id;
                        o.LeaseDuration = Lease;
                        o.SlaCheckInterval = Interval;
                        o.ErrorBackoff = TimeSpan.FromMilliseconds(50);
                        o.MaxErrorBackoff = TimeSpan.FromMilliseconds(500);
                    }));
                services.Replace(ServiceDescriptor.Singleton<ILeaseStore>(sp => new RecordingLeaseStore(sp.GetRequiredService<PostgreSqlLeaseStore>(), leases)));
                services.Replace(ServiceDescriptor.Singleton<IRoutingStateStore>(sp => new WatchedRoutingStore(sp.GetRequiredService<PostgreSqlRoutingStateStore>(), id, calls)));
            }).Build();
        }

        public IHost Host { get; }

        /// <summary>
        /// The process dies: from now on it notifies nobody and reaches no server (its pool is disposed and its server connections
        /// terminated, so a transaction in flight rolls back), and nothing releases its lease. Then the host object is stopped, only
        /// to free its threads: its lease release fails on the disposed pool.
        /// </summary>
        public async Task CrashAsync(NpgsqlDataSource admin)
        {
            _dead = true;
            await _dataSource.DisposeAsync();
            await using (var kill = admin.CreateCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()"))
            {
                kill.Parameters.AddWithValue(_application);
                await kill.ExecuteScalarAsync();
            }

            await StopAsync();
        }

        /// <summary>Stops the host (once), waiting at most 10 s.</summary>
        public async Task StopAsync()
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Host.StopAsync(stop.Token);
        }

        public ValueTask NotifyAsync(HandoffEscalation escalation, CancellationToken cancellationToken = default)
        {
            if (_dead)
            {
                throw new InvalidOperationException($"{_id} is dead");
            }

            _notified.Enqueue((_id, escalation.LeadId.Value, escalation.DueAt));
            return ValueTask.CompletedTask;
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            Host.Dispose();
            await _dataSource.DisposeAsync();
        }
    }
}
