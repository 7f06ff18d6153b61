using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Nurture;
using Alignment.Policies.Tests.Nurture.TestDoubles;

namespace Alignment.Policies.Tests.Lifecycle;

/// <summary>The audit over the real handoff router's state, with nurture and handoff wired to each other.</summary>
public sealed class RoutingStateOwnerLookupTests
{
    private sealed class Wiring
    {
        public Wiring()
        {
            var policy = RoutingPolicyCompiler.Compile(
                new RoutingPolicyDefinition { Id = "p", FallbackQueue = "unassigned", Rules = [new RoutingRuleDefinition { Id = "rr", Strategy = RoutingStrategies.RoundRobin, Pool = new() { Teams = ["ae"] } }] },
                new RosterDefinition { Reps = [new RepDefinition { Id = "ana", Team = "ae" }, new RepDefinition { Id = "bo", Team = "ae" }] });
            var deferred = new DeferredHandoff();
            Engine = new NurtureEngine(H.Policy, new NurtureEngineServices { Store = H.Store, Lifecycle = H.Recorder, Scorer = H.Scorer, Content = H.Content, StepHandler = H.Outbox, Leads = H.Leads, Decisions = H.Decisions, TimeProvider = H.Time, Handoff = deferred, Owners = new RoutingStateOwnerLookup(Routing), MeterFactory = H.MeterFactory }, H.Options);
            Router = new HandoffRouter(policy, new HandoffRouterServices { Store = Routing, Decisions = H.Decisions, TimeProvider = H.Time, Lifecycle = H.Lifecycles, Nurture = Engine, MeterFactory = H.MeterFactory });
            deferred.Inner = Router;
            Audit = new LifecycleAudit(H.Lifecycles, H.Store, new RoutingStateOwnerLookup(Routing));
        }

        public NurtureHarness H { get; } = new();

        public InMemoryRoutingStateStore Routing { get; } = new();

        public NurtureEngine Engine { get; }

        public HandoffRouter Router { get; }

        public LifecycleAudit Audit { get; }
    }

    [Fact]
    public async Task NurtureExit_RoutedByTheHandoffRouter_IsHeldByTheRep()
    {
        var w = new Wiring();
        var lead = w.H.AddLead("l1");
        await w.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);
        w.H.MakeSalesReady(lead.Id);

        var exit = Assert.IsType<NurtureOutcome.ExitedToHandoff>(await w.Engine.ReevaluateAsync(lead.Id));

        Assert.Equal(new RepId("ana"), Assert.IsType<HandoffDecision.Assigned>(exit.Handoff).Rep);
        var custody = await w.Audit.ResolveByIdAsync(lead.Id);
        Assert.Equal((LeadCustodyKind.Sales, "rep ana (Assigned)"), (custody.Kind, custody.Detail));
        Assert.True((await w.Audit.RunAsync([lead.Id])).IsClean);
    }

    [Fact]
    public async Task RejectedForTiming_TheRouterRecyclesIntoNurture_TheLeadIsBackOnATrack()
    {
        var w = new Wiring();
        var lead = w.H.AddLead("l1");
        await w.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);
        w.H.MakeSalesReady(lead.Id);
        await w.Engine.ReevaluateAsync(lead.Id);

        await w.Router.RejectAsync(lead.Id, RejectionReason.Timing, "budget next year");

        var lifecycle = await w.H.LifecycleOf(lead.Id);
        Assert.Equal((LifecycleStage.Recycled, "rejected by sales: timing (budget next year)"), (lifecycle.Stage, lifecycle.History[^1].Reason));
        var custody = await w.Audit.ResolveByIdAsync(lead.Id);
        Assert.Equal((LeadCustodyKind.MarketingTrack, "track 'default' (Active)"), (custody.Kind, custody.Detail));
        Assert.Equal(2, (await w.H.Store.FindLatestAsync(lead.Id))!.Sequence);
        Assert.True((await w.Audit.RunAsync([lead.Id])).IsClean);
    }

    [Fact]
    public async Task RejectedAsNotAFit_IsDisqualified_NotHeldBySales()
    {
        var w = new Wiring();
        var lead = w.H.AddLead("l1");
        await w.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);
        w.H.MakeSalesReady(lead.Id);
        await w.Engine.ReevaluateAsync(lead.Id);

        await w.Router.RejectAsync(lead.Id, RejectionReason.NotAFit);

        Assert.Null(await new RoutingStateOwnerLookup(w.Routing).FindOwnerAsync(lead.Id));
        Assert.Equal(LeadCustodyKind.Disqualified, (await w.Audit.ResolveByIdAsync(lead.Id)).Kind);
        Assert.True((await w.Audit.RunAsync([lead.Id])).IsClean);
    }

    [Fact]
    public async Task Requalified_AfterATimingRecycle_IsRoutedAfresh_AndHeldByTheNewRep()
    {
        // The recycled handoff is closed, so HandoffRouter.RouteAsync makes a fresh decision (next epoch) for the lead that came
        // back as an MQL, and the audit finds it held by sales, not lost between marketing and sales.
        var w = new Wiring();
        var lead = w.H.AddLead("l1");
        await w.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);
        w.H.MakeSalesReady(lead.Id);
        await w.Engine.ReevaluateAsync(lead.Id);
        await w.Router.RejectAsync(lead.Id, RejectionReason.Timing, "budget next year");
        w.H.Time.Advance(TimeSpan.FromDays(1));

        var exit = Assert.IsType<NurtureOutcome.ExitedToHandoff>(await w.Engine.ReevaluateAsync(lead.Id));

        Assert.Equal(new RepId("bo"), Assert.IsType<HandoffDecision.Assigned>(exit.Handoff).Rep);
        Assert.Equal(LifecycleStage.MarketingQualified, (await w.H.LifecycleOf(lead.Id)).Stage);
        var custody = await w.Audit.ResolveByIdAsync(lead.Id);
        Assert.Equal((LeadCustodyKind.Sales, "rep bo (Assigned)"), (custody.Kind, custody.Detail));
        Assert.True((await w.Audit.RunAsync([lead.Id])).IsClean);
    }

    private sealed class DeferredHandoff : IHandoffPolicy
    {
        public IHandoffPolicy? Inner { get; set; }

        public ValueTask<HandoffDecision> RouteAsync(HandoffRequest request, CancellationToken cancellationToken = default) =>
            Inner!.RouteAsync(request, cancellationToken);
    }
}
