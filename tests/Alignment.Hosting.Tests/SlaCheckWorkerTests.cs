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
/// The SLA check runs on one instance at a time: two hosts share the routing state, the decision sink and the lease store; only
/// the lease holder handles breaches, each breach once; when the holder dies without a word another instance takes over
/// within the lease duration plus one interval, and at once when it stops cleanly.
/// </summary>
public sealed class SlaCheckWorkerTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private sealed class Shared
    {
        public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));

        public InMemoryRoutingStateStore Store { get; } = new();

        public InMemoryDecisionSink Sink { get; } = new();

        public InMemoryLeaseStore Leases { get; }

        public Shared() => Leases = new InMemoryLeaseStore(Time);
    }

    private static IHost Instance(Shared shared, string id, bool killedOnStop = false) => TestHost.Build(shared.Time, services =>
    {
        services.AddSingleton<IRoutingStateStore>(shared.Store);
        services.AddSingleton<IDecisionSink>(shared.Sink);
        services.AddSingleton<ILeaseStore>(killedOnStop ? new RoutingHosts.KilledOnStop(shared.Leases) : shared.Leases);
        services.AddAlignment(a => a
            .AddHandoff(o => { o.PolicyJson = RoutingHosts.Policy; o.RosterJson = RoutingHosts.Roster; })
            .AddAlignmentWorker(o =>
            {
                o.Workers = AlignmentWorkers.SlaCheck;
                o.InstanceId = id;
                o.LeaseDuration = Lease;
                o.SlaCheckInterval = Interval;
            }));
    });

    private static int Breaches(Shared shared, string? prefix = null) =>
        shared.Sink.Decisions.OfType<AlignmentDecision.SlaBreached>().Count(b => prefix is null || b.Lead.Value.StartsWith(prefix, StringComparison.Ordinal));

    [Fact]
    public async Task Only_the_lease_holder_handles_breaches_and_a_killed_leader_is_replaced_within_the_lease_time()
    {
        var shared = new Shared();
        using var a = Instance(shared, "A", killedOnStop: true);
        using var b = Instance(shared, "B");
        await a.StartAsync();
        await TestHost.AdvanceUntilAsync(shared.Time, Interval, () => a.Worker<SlaCheckWorker>().IsLeading, 5, "A leads");
        await b.StartAsync();
        await TestHost.AdvanceUntilAsync(shared.Time, Interval, () => b.Worker<SlaCheckWorker>().Role == "standby", 5, "B stands by");
        Assert.True(a.Worker<SlaCheckWorker>().IsLeading);

        // 20 handoffs; a minute later every one has breached its 1-minute SLA: handled by A (the clock moves in steps shorter
        // than the lease, so the leader keeps renewing), once each.
        await RoutingHosts.RouteAsync(a, "first-", 20);
        await TestHost.AdvanceUntilAsync(shared.Time, Interval, () => Breaches(shared, "first-") == 20, 120, "20 breaches handled");
        Assert.True(a.Worker<SlaCheckWorker>().IsLeading);
        Assert.False(b.Worker<SlaCheckWorker>().IsLeading);

        // A dies: its lease stays until it expires. B takes over within the lease time plus one interval, not before it lapses.
        await a.StopAsync();
        var tookOver = await TestHost.AdvanceUntilAsync(shared.Time, TimeSpan.FromMilliseconds(250), () => b.Worker<SlaCheckWorker>().IsLeading, 100, "B takes over");
        Assert.InRange(tookOver, Lease - Interval - Interval, Lease + Interval + TimeSpan.FromMilliseconds(250));

        await RoutingHosts.RouteAsync(b, "second-", 20);
        await TestHost.AdvanceUntilAsync(shared.Time, Interval, () => Breaches(shared, "second-") == 20, 120, "20 breaches handled after the take-over");

        // Several more checks: nothing is handled twice.
        for (int i = 0; i < 5; i++)
        {
            shared.Time.Advance(Interval);
            await Task.Delay(10);
        }

        var all = shared.Sink.Decisions.OfType<AlignmentDecision.SlaBreached>().ToList();
        Assert.Equal(40, all.Count);
        Assert.Equal(40, all.Select(x => x.Lead).Distinct().Count());
        await b.StopAsync();
    }

    [Fact]
    public async Task A_leader_that_stops_cleanly_hands_over_at_the_next_check()
    {
        var shared = new Shared();
        using var a = Instance(shared, "A");
        using var b = Instance(shared, "B");
        await a.StartAsync();
        await TestHost.AdvanceUntilAsync(shared.Time, Interval, () => a.Worker<SlaCheckWorker>().IsLeading, 5, "A leads");
        await b.StartAsync();
        await TestHost.AdvanceUntilAsync(shared.Time, Interval, () => b.Worker<SlaCheckWorker>().Role == "standby", 5, "B stands by");

        await a.StopAsync();
        var tookOver = await TestHost.AdvanceUntilAsync(shared.Time, TimeSpan.FromMilliseconds(250), () => b.Worker<SlaCheckWorker>().IsLeading, 100, "B takes over");

        Assert.InRange(tookOver, TimeSpan.Zero, Interval + TimeSpan.FromMilliseconds(250));
        await b.StopAsync();
    }
}
