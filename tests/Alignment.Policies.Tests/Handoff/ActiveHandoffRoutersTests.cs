using System.Collections.Concurrent;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Models.Registry;
using Alignment.Policies.Handoff;
using Microsoft.Extensions.Time.Testing;
using static Alignment.Policies.Tests.Handoff.HandoffTestData;
using static Alignment.Policies.Tests.Handoff.RoutingReleaseTests;

namespace Alignment.Policies.Tests.Handoff;

/// <summary>
/// <see cref="ActiveHandoffRouters"/>: each tenant's leads are routed with the routing release the tenant has active, swapped without
/// a restart; a call in flight finishes on the version it started with; every decision names the version that made it.
/// </summary>
public sealed class ActiveHandoffRoutersTests
{
    private static readonly FakeTimeProvider Time = new(Monday10Utc);

    private readonly ConcurrentDictionary<string, InMemoryRoutingStateStore> _stores = new(StringComparer.Ordinal);
    private readonly InMemoryDecisionSink _sink = new();

    private HandoffRouterServices Services(string tenant) =>
        new() { Store = _stores.GetOrAdd(tenant, _ => new InMemoryRoutingStateStore()), Decisions = _sink, TimeProvider = Time };

    /// <summary>Publishes and approves a release in which every lead goes to <paramref name="team"/>'s only rep (team one: ana, team two: bo).</summary>
    private static async Task<ModelRelease> PublishApprovedAsync(IModelRegistry registry, string tenant, string version, string team)
    {
        var release = await registry.PublishAsync(RoutingRelease.Parse(Release(version, team)).ToModelRelease(tenant));
        return await ApproveAsync(registry, release);
    }

    private static async Task<ModelRelease> ApproveAsync(IModelRegistry registry, ModelRelease release)
    {
        await registry.ApproveAsync(release.Key, new ModelApproval("mia", ApprovalSide.Marketing, Monday10Utc, release.ContentHash));
        return await registry.ApproveAsync(release.Key, new ModelApproval("sam", ApprovalSide.Sales, Monday10Utc, release.ContentHash));
    }

    private static string Owner(HandoffDecision d) => d is HandoffDecision.Assigned a ? a.Rep.Value : "queue:" + ((HandoffDecision.Queued)d).Queue;

    [Fact]
    public async Task Activation_RoutesTheNextLeadByTheNewVersion_AndRollbackReturnsToTheOld_WithoutANewHost()
    {
        var registry = new InMemoryModelRegistry(Time);
        using var routers = new ActiveHandoffRouters(registry, Services);
        var policy = routers.RouterFor(r => r.Lead.Id.Value.Split(':')[0]);
        var v1 = await PublishApprovedAsync(registry, "eu", "1", "one");
        var v2 = await PublishApprovedAsync(registry, "eu", "2", "two");

        await registry.ActivateAsync(v1.Key, "ops", "launch");
        var first = await policy.RouteAsync(Request("eu:1"));
        Assert.Equal("ana", Owner(first));
        Assert.Equal(new ModelReference("acme", "1", v1.ContentHash), first.Policy);

        await registry.ActivateAsync(v2.Key, "ops", "v2");
        var second = await policy.RouteAsync(Request("eu:2"));
        Assert.Equal("bo", Owner(second));
        Assert.Equal(new ModelReference("acme", "2", v2.ContentHash), second.Policy);
        // A lead routed under v1 keeps its handoff (and the v1 reference) when asked again.
        Assert.Equal(first, await policy.RouteAsync(Request("eu:1")));

        await registry.RollbackAsync("eu", ModelKind.Routing, "ops", "v2 overloads bo");
        var third = await policy.RouteAsync(Request("eu:3"));
        Assert.Equal("ana", Owner(third));
        Assert.Equal(new ModelReference("acme", "1", v1.ContentHash), third.Policy);
        Assert.True(routers.TryGetRouter("eu", out var router));
        Assert.Same(router.Policy.Model, third.Policy);

        // The sink got every decision with the version that made it.
        Assert.Equal(["1", "2", "1"], _sink.Decisions.OfType<AlignmentDecision.Routed>().Select(r => r.Decision.Policy!.Version));
    }

    [Fact]
    public async Task ARoutingChallenger_DecidesInSimulationOnly_AndCountsWhereItDiffers()
    {
        var registry = new InMemoryModelRegistry(Time);
        using var routers = new ActiveHandoffRouters(registry, Services);
        var v1 = await PublishApprovedAsync(registry, "eu", "1", "one");
        await registry.ActivateAsync(v1.Key, "ops", "launch");
        var candidate = RoutingRelease.Parse(Release("2", "two")).ToModelRelease("eu"); // not published nor approved: it decides nothing
        Assert.Empty(routers.AttachChallenger(candidate, maxExamples: 2));
        Assert.Null(routers.GetChallengerComparison("us"));

        var decisions = new List<HandoffDecision>();
        for (int i = 1; i <= 5; i++)
        {
            decisions.Add(await routers.RouteAsync("eu", Request($"eu:{i}")));
        }

        await routers.RouteAsync("eu", Request("eu:1")); // routed again: the same handoff, not counted again

        // The champion decided every lead; nothing of the challenger reached the store or the sink.
        Assert.All(decisions, d => Assert.Equal(("ana", "1"), (Owner(d), d.Policy!.Version)));
        Assert.Equal(5, _sink.Decisions.OfType<AlignmentDecision.Routed>().Count());
        Assert.All(_sink.Decisions.OfType<AlignmentDecision.Routed>(), r => Assert.Equal("1", r.Decision.Policy!.Version));
        for (int i = 1; i <= 5; i++)
        {
            Assert.Equal("ana", ((await _stores["eu"].FindAsync(new LeadId($"eu:{i}")))!).Rep?.Value);
        }

        var c = routers.GetChallengerComparison("eu")!;
        Assert.Equal(candidate.Key, c.Challenger);
        Assert.Equal("2", c.ChallengerPolicy.Version);
        Assert.Equal((5, 0, 5), (c.Leads, c.Same, c.Different));
        Assert.Equal(5, c.OtherRep + c.OnlyChampionAssigned);
        Assert.Equal(5, c.ChampionByRep["ana"]);
        Assert.Equal(c.OtherRep, c.ChallengerByRep.GetValueOrDefault("bo"));
        Assert.Equal(2, c.Examples.Length);
        Assert.Equal(("eu:1", "rep:ana"), (c.Examples[0].LeadId.Value, c.Examples[0].Champion));
        Assert.False(string.IsNullOrEmpty(c.Examples[0].ChallengerExplanation));

        // The champion itself as challenger agrees on every lead; detaching drops the comparison.
        Assert.Empty(routers.AttachChallenger(v1));
        await routers.RouteAsync("eu", Request("eu:6"));
        var same = routers.GetChallengerComparison("eu")!;
        Assert.Equal((1, 1, 0), (same.Leads, same.Same, same.Different));
        Assert.True(routers.DetachChallenger("eu"));
        Assert.Null(routers.GetChallengerComparison("eu"));

        // A release of another kind is refused; one that does not compile is reported, not attached.
        var notRouting = new ModelRelease(new ReleaseKey("eu", ModelKind.Scoring, "acme", "9"), "{}", new string('c', 64));
        Assert.Throws<ArgumentException>(() => routers.AttachChallenger(notRouting));
        var broken = new ModelRelease(new ReleaseKey("eu", ModelKind.Routing, "acme", "3"), Release("3", "nobody"), new string('b', 64));
        Assert.Empty(routers.AttachChallenger(candidate));
        Assert.NotEmpty(routers.AttachChallenger(broken));
        Assert.Equal(candidate.Key, routers.GetChallengerComparison("eu")!.Challenger); // the challenger attached before stays
    }

    [Fact]
    public async Task Tenants_NeverSeeEachOthersPolicies()
    {
        var registry = new InMemoryModelRegistry(Time);
        using var routers = new ActiveHandoffRouters(registry, Services);
        var eu = await PublishApprovedAsync(registry, "eu", "1", "one");
        var us = await PublishApprovedAsync(registry, "us", "1", "two");
        await registry.ActivateAsync(eu.Key, "ops", "launch");

        Assert.False(routers.TryGetRouter("us", out _));
        var none = await Assert.ThrowsAsync<InvalidOperationException>(async () => await routers.RouteAsync("us", Request("us:1")));
        Assert.Contains("tenant 'us'", none.Message, StringComparison.Ordinal);

        await registry.ActivateAsync(us.Key, "ops", "launch");
        var euDecision = await routers.RouteAsync("eu", Request("eu:1"));
        var usDecision = await routers.RouteAsync("us", Request("us:1"));

        Assert.Equal(("ana", eu.ContentHash), (Owner(euDecision), euDecision.Policy!.ContentHash));
        Assert.Equal(("bo", us.ContentHash), (Owner(usDecision), usDecision.Policy!.ContentHash));
        Assert.NotSame(_stores["eu"], _stores["us"]);
        Assert.NotNull(await _stores["eu"].FindAsync(new LeadId("eu:1")));
        Assert.Null(await _stores["eu"].FindAsync(new LeadId("us:1")));
    }

    [Fact]
    public async Task AReleaseThatDoesNotCompile_IsRejected_AndTheTenantKeepsItsPolicy()
    {
        var registry = new InMemoryModelRegistry(Time);
        using var routers = new ActiveHandoffRouters(registry, Services);
        var rejected = new List<ModelRejectedEventArgs>();
        routers.Rejected += (_, e) => rejected.Add(e);
        var v1 = await PublishApprovedAsync(registry, "eu", "1", "one");
        await registry.ActivateAsync(v1.Key, "ops", "launch");

        // Approved as published, but its rule's pool is empty: the host cannot compile it.
        var broken = await registry.PublishAsync(new ModelRelease(new ReleaseKey("eu", ModelKind.Routing, "acme", "2"), Release("2", "nobody"), new string('b', 64)));
        await ApproveAsync(registry, broken);
        await registry.ActivateAsync(broken.Key, "ops", "v2");

        var e = Assert.Single(rejected);
        Assert.Equal(broken.Key, e.Key);
        Assert.Contains(e.Problems, p => p.StartsWith("$.policy.rules[0].pool", StringComparison.Ordinal));
        var decision = await routers.RouteAsync("eu", Request("eu:1"));
        Assert.Equal(("ana", "1"), (Owner(decision), decision.Policy!.Version));
    }

    [Fact]
    public async Task ServicesFactory_IsCalledOncePerTenant_AndAgainAfterItFailed()
    {
        var registry = new InMemoryModelRegistry(Time);
        int calls = 0;
        using var routers = new ActiveHandoffRouters(registry, tenant => ++calls == 1 ? throw new InvalidOperationException("database not up yet") : Services(tenant));
        var v1 = await PublishApprovedAsync(registry, "eu", "1", "one");
        var v2 = await PublishApprovedAsync(registry, "eu", "2", "two");
        await registry.ActivateAsync(v1.Key, "ops", "launch");

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await routers.RouteAsync("eu", Request("eu:1")));
        Assert.Equal("ana", Owner(await routers.RouteAsync("eu", Request("eu:1"))));
        await registry.ActivateAsync(v2.Key, "ops", "v2");
        Assert.Equal("bo", Owner(await routers.RouteAsync("eu", Request("eu:2"))));

        Assert.Equal(2, calls); // the second version's router shares the tenant's services
    }

    [Fact]
    public async Task ACallInFlight_FinishesOnTheVersionItStartedWith()
    {
        var registry = new InMemoryModelRegistry(Time);
        var gate = new GatedStore();
        using var routers = new ActiveHandoffRouters(registry, _ => new HandoffRouterServices { Store = gate, Decisions = _sink, TimeProvider = Time });
        var v1 = await PublishApprovedAsync(registry, "eu", "1", "one");
        var v2 = await PublishApprovedAsync(registry, "eu", "2", "two");
        await registry.ActivateAsync(v1.Key, "ops", "launch");

        gate.Hold = true;
        var inFlight = routers.RouteAsync("eu", Request("eu:1")).AsTask();
        await gate.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await registry.ActivateAsync(v2.Key, "ops", "v2");
        gate.Hold = false;
        var next = await routers.RouteAsync("eu", Request("eu:2"));
        gate.Release.SetResult();
        var started = await inFlight.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(("ana", "1"), (Owner(started), started.Policy!.Version));
        Assert.Equal(("bo", "2"), (Owner(next), next.Policy!.Version));
    }

    [Fact]
    public async Task ManyThreadsRouting_WhilePoliciesAreActivatedAndRolledBack_EveryDecisionIsOneActivatedVersionsDecision()
    {
        var registry = new InMemoryModelRegistry(Time);
        using var routers = new ActiveHandoffRouters(registry, Services);
        var v1 = await PublishApprovedAsync(registry, "eu", "1", "one");
        var v2 = await PublishApprovedAsync(registry, "eu", "2", "two");
        await registry.ActivateAsync(v1.Key, "ops", "launch");
        var expected = new Dictionary<string, (string Hash, string Rep)>(StringComparer.Ordinal)
        {
            ["1"] = (v1.ContentHash, "ana"),
            ["2"] = (v2.ContentHash, "bo"),
        };
        var decisions = new ConcurrentBag<HandoffDecision>();
        using var stop = new CancellationTokenSource();
        int next = 0;
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 5_000 && !stop.IsCancellationRequested; i++)
            {
                var d = await routers.RouteAsync("eu", Request("eu:" + Interlocked.Increment(ref next)));
                decisions.Add(d);
            }
        })).ToArray();

        for (int swap = 0; swap < 200; swap++)
        {
            if (swap % 2 == 0)
            {
                await registry.ActivateAsync(v2.Key, "ops", "swap " + swap);
            }
            else
            {
                await registry.RollbackAsync("eu", ModelKind.Routing, "ops", "swap " + swap);
            }

            // Let the workers route a few leads under this version before the next swap.
            int target = Volatile.Read(ref next) + 16;
            while (Volatile.Read(ref next) < target && !workers.All(w => w.IsCompleted))
            {
                await Task.Delay(1);
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.NotEmpty(decisions);
        Assert.All(decisions, d =>
        {
            Assert.NotNull(d.Policy);
            Assert.True(expected.TryGetValue(d.Policy.Version, out var version), $"version '{d.Policy.Version}' was never activated");
            Assert.Equal(("acme", version.Hash, version.Rep), (d.Policy.Id, d.Policy.ContentHash, Owner(d)));
        });
        Assert.Equal(decisions.Count, decisions.Select(d => d.LeadId).Distinct().Count());
        Assert.Equal(["1", "2"], decisions.Select(d => d.Policy!.Version).Distinct().Order()); // both versions routed leads
        Assert.Equal(201, (await registry.GetHistoryAsync("eu", ModelKind.Routing)).Count);
    }

    /// <summary>A store that can hold a routing decision inside its unit of work until the test releases it.</summary>
    private sealed class GatedStore : IRoutingStateStore
    {
        private readonly InMemoryRoutingStateStore _inner = new();

        public volatile bool Hold;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<HandoffAssignment> DecideAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default)
        {
            if (Hold)
            {
                Entered.TrySetResult();
                await Release.Task.ConfigureAwait(false);
            }

            return await _inner.DecideAsync(policy, leadId, expectedEpoch, decide, cancellationToken).ConfigureAwait(false);
        }

        public ValueTask<HandoffAssignment?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default) => _inner.FindAsync(leadId, cancellationToken);

        public ValueTask<HandoffAssignment?> UpdateAsync(LeadId leadId, int expectedEpoch, Func<HandoffAssignment, HandoffAssignment> update, Func<HandoffAssignment, HandoffAssignment, AlignmentDecision?>? decision = null, CancellationToken cancellationToken = default) =>
            _inner.UpdateAsync(leadId, expectedEpoch, update, decision, cancellationToken);

        public ValueTask<IReadOnlyList<HandoffAssignment>> ListAwaitingFirstTouchAsync(CancellationToken cancellationToken = default) => _inner.ListAwaitingFirstTouchAsync(cancellationToken);

        public ValueTask<IReadOnlyList<HandoffAssignment>> ListOpenAsync(RepId rep, CancellationToken cancellationToken = default) => _inner.ListOpenAsync(rep, cancellationToken);

        public ValueTask<RepLoad> GetRepLoadAsync(RepId rep, CancellationToken cancellationToken = default) => _inner.GetRepLoadAsync(rep, cancellationToken);
    }
}
