using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Scoring;
using Microsoft.Extensions.Time.Testing;
using static Alignment.Policies.Tests.Handoff.HandoffTestData;

namespace Alignment.Policies.Tests.Handoff;

/// <summary>Breaches named by a store's own timers (<see cref="HandoffRouter.HandleSlaBreachesAsync"/>), and handled by two hosts at once.</summary>
public sealed class HandoffRouterSlaBreachTests
{
    [Fact]
    public async Task Two_routers_handling_the_same_breach_at_once_publish_it_once_and_notify_once()
    {
        var time = new FakeTimeProvider(Monday10Utc);
        var store = new ReadTogetherStore(new InMemoryRoutingStateStore());
        var sinks = new[] { new InMemoryDecisionSink(), new InMemoryDecisionSink() };
        var escalations = new HandoffRouterTests.RecordingEscalations();
        var routers = sinks.Select(s => new HandoffRouter(HandoffRouterTests.Policy(maxReassignments: 0), new HandoffRouterServices { Store = store, Decisions = s, TimeProvider = time, Escalation = escalations })).ToArray();
        var routed = await routers[0].RouteWithDetailsAsync(Request("hot-1", QualificationState.Hot));
        time.Advance(TimeSpan.FromMinutes(16));

        // Both read the lead before either marks it: only the one whose mark finds it not yet escalated makes the breach.
        store.ReadTogether = 2;
        var handled = await Task.WhenAll(routers.Select(r => r.HandleSlaBreachesAsync([routed.LeadId]).AsTask()));

        Assert.All(handled, h => Assert.True(Assert.Single(h).Escalated));
        var breach = Assert.Single(sinks.SelectMany(s => s.Decisions).OfType<AlignmentDecision.SlaBreached>());
        Assert.Equal((routed.LeadId, routed.Rep!.Value), (breach.Lead, breach.Rep));
        Assert.Single(escalations.Seen);
    }

    [Fact]
    public async Task A_named_lead_that_is_not_due_touched_or_unknown_is_left_alone()
    {
        var time = new FakeTimeProvider(Monday10Utc);
        var sink = new InMemoryDecisionSink();
        using var router = new HandoffRouter(HandoffRouterTests.Policy(maxReassignments: 0), new HandoffRouterServices { Store = new InMemoryRoutingStateStore(), Decisions = sink, TimeProvider = time });
        var early = await router.RouteWithDetailsAsync(Request("early", QualificationState.Hot));
        var touched = await router.RouteWithDetailsAsync(Request("touched", QualificationState.Hot));
        await router.RecordFirstTouchAsync(touched.LeadId);

        time.Advance(TimeSpan.FromMinutes(14));
        Assert.Empty(await router.HandleSlaBreachesAsync([early.LeadId, touched.LeadId, new LeadId("nobody")]));
        time.Advance(TimeSpan.FromMinutes(2));
        var breached = Assert.Single(await router.HandleSlaBreachesAsync([early.LeadId, touched.LeadId, new LeadId("nobody")]));

        Assert.Equal(early.LeadId, breached.LeadId);
        Assert.Single(sink.Decisions.OfType<AlignmentDecision.SlaBreached>());
        Assert.True(Assert.Single(await router.HandleSlaBreachesAsync([early.LeadId])).Escalated);
        Assert.Single(sink.Decisions.OfType<AlignmentDecision.SlaBreached>()); // published once
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await router.HandleSlaBreachesAsync(null!));
    }

    /// <summary>A store whose next <see cref="ReadTogether"/> reads of a lead return only once all of them have read.</summary>
    private sealed class ReadTogetherStore(IRoutingStateStore inner) : IRoutingStateStore
    {
        private TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public int ReadTogether { get; set; }

        public async ValueTask<HandoffAssignment?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default)
        {
            var found = await inner.FindAsync(leadId, cancellationToken);
            if (ReadTogether > 0)
            {
                if (Interlocked.Increment(ref _arrived) == ReadTogether)
                {
                    ReadTogether = 0;
                    _all.SetResult();
                }

                await _all.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }

            return found;
        }

        public ValueTask<HandoffAssignment> DecideAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default) =>
            inner.DecideAsync(policy, leadId, expectedEpoch, decide, cancellationToken);

        public ValueTask<HandoffAssignment?> UpdateAsync(LeadId leadId, int expectedEpoch, Func<HandoffAssignment, HandoffAssignment> update, Func<HandoffAssignment, HandoffAssignment, AlignmentDecision?>? decision = null, CancellationToken cancellationToken = default) =>
            inner.UpdateAsync(leadId, expectedEpoch, update, decision, cancellationToken);

        public ValueTask<IReadOnlyList<HandoffAssignment>> ListAwaitingFirstTouchAsync(CancellationToken cancellationToken = default) => inner.ListAwaitingFirstTouchAsync(cancellationToken);

        public ValueTask<IReadOnlyList<HandoffAssignment>> ListOpenAsync(RepId rep, CancellationToken cancellationToken = default) => inner.ListOpenAsync(rep, cancellationToken);

        public ValueTask<RepLoad> GetRepLoadAsync(RepId rep, CancellationToken cancellationToken = default) => inner.GetRepLoadAsync(rep, cancellationToken);
    }
}
