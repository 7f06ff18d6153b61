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
}
