using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Alignment.Orleans.Tests;

/// <summary>
/// For one stream of leads and answers, the router over the Orleans store makes exactly the decisions the single-node router
/// makes over the in-memory store: same rep or queue, status, epoch, explanation and service-level due time, and the same counters.
/// </summary>
[Collection(OrleansClusterDefinition.Name)]
public sealed class OrleansRouterEquivalenceTests(ClusterFixture cluster, ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task OneStream_SameDecisionsAsTheInMemoryRouter(int seed)
    {
        var policy = RoutingScenario.Random(seed);
        var memoryTime = new FakeTimeProvider(RoutingScenario.T0);
        var orleansTime = new FakeTimeProvider(RoutingScenario.T0);
        var memoryStore = new InMemoryRoutingStateStore();
        var orleansStore = new OrleansRoutingStateStore(cluster.Cluster.GrainFactory, $"eq-{seed}-{Guid.NewGuid():N}");
        using var memory = new HandoffRouter(policy, new HandoffRouterServices { Store = memoryStore, Decisions = new InMemoryDecisionSink(), TimeProvider = memoryTime });
        using var orleans = new HandoffRouter(policy, new HandoffRouterServices { Store = orleansStore, Decisions = new InMemoryDecisionSink(), TimeProvider = orleansTime });
        var rnd = new Random(seed * 7919);
        var leads = Enumerable.Range(0, 40).Select(i => (Id: $"lead-{i}", Country: RoutingScenario.Countries[rnd.Next(RoutingScenario.Countries.Length)])).ToArray();
        int compared = 0;
        for (int step = 0; step < 250; step++)
        {
            var (id, country) = leads[rnd.Next(leads.Length)];
            var lead = new LeadId(id);
            int op = rnd.Next(10);
            var expected = await Act(memory, memoryStore, lead, country, op);
            var actual = await Act(orleans, orleansStore, lead, country, op);
            Assert.Equal(Describe(expected), Describe(actual));
            compared++;
            if (rnd.Next(8) == 0)
            {
                var by = TimeSpan.FromMinutes(rnd.Next(1, 40));
                memoryTime.Advance(by);
                orleansTime.Advance(by);
                var breachedMemory = await memory.ProcessSlaBreachesAsync();
                var breachedOrleans = await orleans.ProcessSlaBreachesAsync();
                Assert.Equal(breachedMemory.Select(Describe), breachedOrleans.Select(Describe));
                compared += breachedMemory.Length;
            }
        }

        foreach (var rep in policy.GetWholeFootprint().Reps)
        {
            var a = await memoryStore.GetRepLoadAsync(rep);
            var b = await orleansStore.GetRepLoadAsync(rep);
            Assert.Equal((a.Open, a.DayKey, a.DayCount, a.AssignedTotal), (b.Open, b.DayKey, b.DayCount, b.AssignedTotal));
            Assert.Equal((await memoryStore.ListOpenAsync(rep)).Select(Describe), (await orleansStore.ListOpenAsync(rep)).Select(Describe));
        }

        foreach (var (id, _) in leads)
        {
            Assert.Equal((await memoryStore.ListHistoryAsync(new LeadId(id))).Select(Describe), (await orleansStore.ListHistoryAsync(new LeadId(id))).Select(Describe));
        }

        Assert.Equal((await memoryStore.ListAwaitingFirstTouchAsync()).Select(Describe), (await orleansStore.ListAwaitingFirstTouchAsync()).Select(Describe));
        output.WriteLine($"seed {seed}: {policy.GetCells().Count} cells, {compared} decisions compared");
    }

    private static async Task<HandoffAssignment?> Act(HandoffRouter router, IRoutingStateStore store, LeadId lead, string country, int op)
    {
        var current = await store.FindAsync(lead);
        try
        {
            return op switch
            {
                _ when current is null || op < 4 => await router.RouteWithDetailsAsync(RoutingScenario.Request(lead.Value, country)),
                4 or 5 => await router.RecordFirstTouchAsync(lead),
                6 or 7 => await router.AcceptAsync(lead),
                _ => await router.RejectAsync(lead, RejectionReason.NotAFit, "not for us"),
            };
        }
        catch (InvalidOperationException ex)
        {
            // An answer the handoff does not allow (accepting a queued lead, say) is refused alike by both routers.
            return new HandoffAssignment(new HandoffDecision.Queued(lead, "refused", "refused", ex.Message), new RoutingFacts(lead), -1, default, HandoffStatus.Queued);
        }
    }

    private static string Describe(HandoffAssignment? a) => a is null
        ? "none"
        : $"{a.LeadId} e{a.Epoch} {a.Status} rep={a.Rep} {(a.Decision as HandoffDecision.Queued)?.Queue} rule={a.Decision.RuleId} due={a.SlaDueAt:O} touch={a.FirstTouchAt:O} closed={a.ClosedAt:O} re={a.Reassignments} esc={a.Escalated} rej={a.Rejection} note={a.Note} | {a.Decision.Explanation}";
}
