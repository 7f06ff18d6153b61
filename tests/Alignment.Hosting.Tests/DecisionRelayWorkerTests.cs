using Alignment.Coordination;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Hosting.Workers;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Hosting.Tests;

/// <summary>
/// The decision relay: with an outbox registered the router publishes nothing itself; the relay leader delivers every routing
/// and breach decision, in order per lead and with its key; when the leader dies the next instance delivers what was left, and
/// nothing is delivered twice with different keys.
/// </summary>
public sealed class DecisionRelayWorkerTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private sealed class Shared
    {
        public Shared()
        {
            Leases = new InMemoryLeaseStore(Time);
            Store = new InMemoryRoutingStateStore(Outbox);
        }

        public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));

        public InMemoryDecisionOutbox Outbox { get; } = new();

        public InMemoryRoutingStateStore Store { get; }

        public InMemoryDecisionSink Sink { get; } = new();

        public InMemoryLeaseStore Leases { get; }
    }

    private static IHost Instance(Shared shared, string id, bool killedOnStop = false) => TestHost.Build(shared.Time, services =>
    {
        services.AddSingleton<IDecisionOutbox>(shared.Outbox);
        services.AddSingleton<IRoutingStateStore>(shared.Store);
        services.AddSingleton<IDecisionSink>(shared.Sink);
        services.AddSingleton<ILeaseStore>(killedOnStop ? new RoutingHosts.KilledOnStop(shared.Leases) : shared.Leases);
        services.AddAlignment(a => a
            .AddHandoff(o => { o.PolicyJson = RoutingHosts.Policy; o.RosterJson = RoutingHosts.Roster; })
            .AddAlignmentWorker(o =>
            {
                o.Workers = AlignmentWorkers.DecisionRelay | AlignmentWorkers.SlaCheck;
                o.InstanceId = id;
                o.LeaseDuration = Lease;
                o.SlaCheckInterval = Interval;
                o.RelayInterval = Interval;
            }));
    });

    [Fact]
    public async Task The_relay_leader_delivers_every_decision_in_order_with_its_key_and_a_successor_delivers_the_rest()
    {
        var shared = new Shared();
        using var a = Instance(shared, "A", killedOnStop: true);
        using var b = Instance(shared, "B");
        await a.StartAsync();
        await TestHost.AdvanceUntilAsync(shared.Time, Interval, () => a.Worker<DecisionRelayWorker>().IsLeading, 5, "A relays");
        await b.StartAsync();

        await RoutingHosts.RouteAsync(a, "first-", 10);
        Assert.Equal(10, shared.Outbox.PendingCount); // recorded with the decision; published only by the relay
        await TestHost.AdvanceUntilAsync(shared.Time, Interval, () => shared.Sink.Decisions.Length == 20, 120, "10 routed and 10 breached delivered");
        Assert.False(b.Worker<DecisionRelayWorker>().IsLeading);

        // A dies without releasing; decisions made meanwhile wait in the outbox until B takes the lease over.
        await a.StopAsync();
        await RoutingHosts.RouteAsync(b, "second-", 10);
        await TestHost.AdvanceUntilAsync(shared.Time, TimeSpan.FromMilliseconds(500), () => shared.Sink.Decisions.Length == 40, 200, "B delivers the rest");
        Assert.True(b.Worker<DecisionRelayWorker>().IsLeading);
        await b.StopAsync();

        var delivered = shared.Sink.Decisions;
        Assert.All(delivered, d => Assert.NotNull(d.IdempotencyKey));
        Assert.Equal(delivered.Length, delivered.Select(d => d.IdempotencyKey).Distinct().Count());
        foreach (var lead in delivered.GroupBy(d => d.LeadId))
        {
            Assert.Equal([$"routed:{lead.Key!.Value.Value}:1", $"sla-breached:{lead.Key!.Value.Value}:1"], lead.Select(d => d.IdempotencyKey));
        }

        Assert.Equal(0, shared.Outbox.PendingCount);
    }

    [Fact]
    public async Task A_relay_that_delivered_reads_again_after_the_busy_interval_renewing_its_lease_at_the_relay_interval_and_an_idle_one_after_the_relay_interval()
    {
        var shared = new Shared();
        var reads = new CountingOutbox(shared.Outbox);
        var leases = new CountingLeases(shared.Leases);
        var idle = TimeSpan.FromSeconds(2);
        var busy = TimeSpan.FromMilliseconds(100);
        using var host = TestHost.Build(shared.Time, services =>
        {
            services.AddSingleton<IDecisionOutbox>(reads);
            services.AddSingleton<IRoutingStateStore>(shared.Store);
            services.AddSingleton<IDecisionSink>(shared.Sink);
            services.AddSingleton<ILeaseStore>(leases);
            services.AddAlignment(a => a
                .AddHandoff(o => { o.PolicyJson = RoutingHosts.Policy; o.RosterJson = RoutingHosts.Roster; })
                .AddAlignmentWorker(o =>
                {
                    o.Workers = AlignmentWorkers.DecisionRelay;
                    o.InstanceId = "A";
                    o.LeaseDuration = TimeSpan.FromMinutes(1);
                    o.RelayInterval = idle;
                    o.RelayBusyInterval = busy;
                }));
        });
        await host.StartAsync();
        await TestHost.AdvanceUntilAsync(shared.Time, busy, () => host.Worker<DecisionRelayWorker>().IsLeading && reads.Reads == 1, 5, "A relays");

        // Idle: the first read found nothing, so the relay reads again only after the relay interval (2 s), not every 100 ms.
        await RoutingHosts.RouteAsync(host, "first-", 5);
        var waited = await TestHost.AdvanceUntilAsync(shared.Time, busy, () => shared.Sink.Decisions.Length == 5, 150, "the first 5 delivered");
        Assert.True(waited > TimeSpan.FromSeconds(1), $"an idle relay read its outbox again after {waited}, not after about the relay interval ({idle})");

        // Busy: each read delivered, so the relay reads again after the busy interval (100 ms) and delivers what was recorded
        // meanwhile, over and over for more than the relay interval (3 s of fake time): the lease is renewed about every 2 s, not
        // at every read (about 30 of them) and not only when the lease's budget (30 s) runs out.
        int acquired = leases.Acquisitions;
        var busyStarted = shared.Time.GetUtcNow();
        for (int batch = 0; shared.Time.GetUtcNow() - busyStarted < TimeSpan.FromSeconds(3); batch++)
        {
            int before = shared.Sink.Decisions.Length;
            await RoutingHosts.RouteAsync(host, $"busy{batch}-", 1);
            // Up to 100 ms of real time before each step: a step taken while a delivery is still being published would wake the
            // relay's next busy read early, find nothing and send it idle.
            waited = await TestHost.AdvanceUntilAsync(shared.Time, busy, () => shared.Sink.Decisions.Length == before + 1, 150, $"batch {batch} delivered", spins: 50);
            Assert.True(waited <= TimeSpan.FromSeconds(1), $"a busy relay delivered batch {batch} after {waited}, not after about the busy interval ({busy})");
        }

        Assert.InRange(leases.Acquisitions - acquired, 1, 2);

        // Idle again: the next read finds nothing, and then the relay waits the relay interval: no read in the next 1.5 s.
        int reads0 = reads.Reads;
        await TestHost.AdvanceUntilAsync(shared.Time, busy, () => reads.Reads > reads0, 20, "the relay reads again and finds nothing");
        int reads1 = reads.Reads;
        for (int i = 0; i < 15; i++)
        {
            await Task.Delay(2);
            shared.Time.Advance(busy);
        }

        await Task.Delay(100);
        Assert.Equal(reads1, reads.Reads);
        await host.StopAsync();
        Assert.Equal(0, shared.Outbox.PendingCount);
    }

    /// <summary>A lease store that counts acquisitions and renewals.</summary>
    private sealed class CountingLeases(ILeaseStore inner) : ILeaseStore
    {
        private int _acquisitions;

        public int Acquisitions => Volatile.Read(ref _acquisitions);

        public ValueTask<LeaseGrant?> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _acquisitions);
            return inner.TryAcquireAsync(name, holder, duration, cancellationToken);
        }

        public ValueTask<bool> ReleaseAsync(string name, string holder, CancellationToken cancellationToken = default) => inner.ReleaseAsync(name, holder, cancellationToken);
    }

    /// <summary>An outbox that counts the relay's reads.</summary>
    private sealed class CountingOutbox(IDecisionOutbox inner) : IDecisionOutbox
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public async ValueTask<IReadOnlyList<DecisionEnvelope>> ReadPendingAsync(int maxCount, CancellationToken cancellationToken = default)
        {
            var pending = await inner.ReadPendingAsync(maxCount, cancellationToken);
            Interlocked.Increment(ref _reads); // counted once read, so a read counted cannot see decisions recorded after it
            return pending;
        }

        public ValueTask MarkDeliveredAsync(IReadOnlyList<long> sequences, CancellationToken cancellationToken = default) => inner.MarkDeliveredAsync(sequences, cancellationToken);
    }
}
