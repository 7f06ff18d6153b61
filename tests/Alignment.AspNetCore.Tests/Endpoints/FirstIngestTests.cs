using System.Net;
using Alignment.AspNetCore.Tenancy;
using Alignment.AspNetCore.Tests.Support;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Policies.Handoff;
using Alignment.Policies.Lifecycle;
using Alignment.Scoring;
using Microsoft.Extensions.DependencyInjection;

namespace Alignment.AspNetCore.Tests.Endpoints;

/// <summary>
/// A lead's first ingest decides from nothing read: its lifecycle starts with its first move in one write. A lead whose state
/// host code wrote before it was first ingested is decided from that state, as a known lead is.
/// </summary>
public sealed class FirstIngestTests
{
    [Fact]
    public async Task A_new_lead_is_decided_without_reading_its_lifecycle_first()
    {
        var lifecycles = new CountingLifecycleStore();
        var routing = new CountingRoutingStore();
        await using var app = new AlignmentTestApp
        {
            TenantServices = (_, a) => a.Services.AddSingleton<ILifecycleStore>(lifecycles).AddSingleton<IRoutingStateStore>(routing),
        };
        using var client = app.ClientFor(AlignmentTestApp.KeyA);

        using var hot = await client.PostJsonAsync("/v1/leads", TestLeads.Hot("L-1", app.Time.GetUtcNow()));
        int routingReads = routing.Finds; // the router's check of an accepted lead is not made: the stage was just written
        using var cold = await client.PostJsonAsync("/v1/leads", TestLeads.Cold("L-2", app.Time.GetUtcNow()));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (hot.StatusCode, cold.StatusCode));
        Assert.Equal((0, 0), (lifecycles.Finds, routingReads));
        Assert.Equal("MarketingQualified", (string?)(await hot.ReadJsonAsync())["stage"]);
        Assert.NotNull((await hot.ReadJsonAsync())["handoff"]!["rep"]);
        Assert.Equal(("Recycled", "welcome"), ((string?)(await cold.ReadJsonAsync())["stage"], (string?)(await cold.ReadJsonAsync())["nurture"]!["track"]));
        Assert.Equal(LifecycleStage.MarketingQualified, (await lifecycles.FindAsync(new LeadId("L-1")))!.Stage);
        Assert.Equal(LifecycleStage.Recycled, (await lifecycles.FindAsync(new LeadId("L-2")))!.Stage);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_lead_host_code_moved_to_sales_before_its_first_ingest_stays_there(bool hot)
    {
        var lifecycles = new CountingLifecycleStore();
        await using var app = new AlignmentTestApp { TenantServices = (_, a) => a.Services.AddSingleton<ILifecycleStore>(lifecycles) };
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        var id = new LeadId("L-3");
        var recorder = new LifecycleRecorder(lifecycles, new InMemoryDecisionSink(), app.Time);
        await recorder.TransitionAsync(id, LifecycleStage.MarketingQualified, LifecycleActor.System, "qualified in the CRM");
        var accepted = await recorder.TransitionAsync(id, LifecycleStage.SalesAccepted, LifecycleActor.Sales, "accepted in the CRM");

        using var response = await client.PostJsonAsync("/v1/leads", hot ? TestLeads.Hot("L-3", app.Time.GetUtcNow()) : TestLeads.Cold("L-3", app.Time.GetUtcNow()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal((true, "SalesAccepted"), ((bool?)body["created"], (string?)body["stage"]));
        Assert.Null(body["nurture"]);
        Assert.Null(body["handoff"]); // not routed either
        Assert.Same(accepted, await lifecycles.FindAsync(id)); // neither qualified again nor recycled
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_hot_lead_another_writer_moved_to_MQL_first_is_routed_once_and_answered_with_its_handoff(bool acceptedAlready)
    {
        var lifecycles = new CountingLifecycleStore();
        await using var app = new AlignmentTestApp { TenantServices = (_, a) => a.Services.AddSingleton<ILifecycleStore>(lifecycles) };
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        var id = new LeadId("L-4");
        // As a concurrent first ingest of the same lead leaves it between its lifecycle move and its routing; or, accepted, as a
        // rep's accept leaves it between the handoff and the lifecycle's move to SAL.
        var mql = await new LifecycleRecorder(lifecycles, new InMemoryDecisionSink(), app.Time)
            .TransitionAsync(id, LifecycleStage.MarketingQualified, LifecycleActor.System, "score crossed MQL");
        var tenant = await app.Services.GetRequiredService<AlignmentTenants>().GetAsync("tenant-a");
        var routing = tenant.Services.GetRequiredService<IRoutingStateStore>();
        if (acceptedAlready)
        {
            var lead = new Lead(id) { Company = new CompanyProfile { Name = "Globex", Country = "US", EmployeeCount = 2400 } };
            var card = tenant.Services.GetRequiredService<ILeadScorer>().Score(lead, [], app.Time.GetUtcNow());
            var routed = await tenant.Services.GetRequiredService<HandoffRouter>().RouteWithDetailsAsync(new HandoffRequest(lead, card, null));
            Assert.NotNull(await routing.UpdateAsync(id, routed.Epoch, a => a with { Status = HandoffStatus.Accepted }));
        }

        using var first = await client.PostJsonAsync("/v1/leads", TestLeads.Hot("L-4", app.Time.GetUtcNow()));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await first.ReadJsonAsync();
        var stored = (await routing.FindAsync(id))!;
        Assert.Equal(1, stored.Epoch); // routed once: by the ingest, or (accepted) not again
        Assert.Equal(("MarketingQualified", acceptedAlready ? "Accepted" : "Assigned"), ((string?)body["stage"], (string?)body["handoff"]!["status"]));
        Assert.Equal(stored.Rep?.Value, (string?)body["handoff"]!["rep"]);
        Assert.Same(mql, await lifecycles.FindAsync(id));
    }

    /// <summary>An in-memory lifecycle store that counts its reads.</summary>
    private sealed class CountingLifecycleStore : ILifecycleStore
    {
        private readonly InMemoryLifecycleStore _inner = new();
        private int _finds;

        public int Finds => Volatile.Read(ref _finds);

        public ValueTask<LeadLifecycle?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _finds);
            return _inner.FindAsync(leadId, cancellationToken);
        }

        public ValueTask<bool> TrySaveAsync(LeadLifecycle lifecycle, int expectedVersion, CancellationToken cancellationToken = default) =>
            _inner.TrySaveAsync(lifecycle, expectedVersion, cancellationToken);

        public IAsyncEnumerable<LeadLifecycle> ListAsync(CancellationToken cancellationToken = default) => _inner.ListAsync(cancellationToken);
    }

    /// <summary>An in-memory routing state store that counts its reads of a lead's handoff.</summary>
    private sealed class CountingRoutingStore : IRoutingStateStore
    {
        private readonly InMemoryRoutingStateStore _inner = new();
        private int _finds;

        public int Finds => Volatile.Read(ref _finds);

        public ValueTask<HandoffAssignment?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _finds);
            return _inner.FindAsync(leadId, cancellationToken);
        }

        public ValueTask<HandoffAssignment> DecideAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default) =>
            _inner.DecideAsync(policy, leadId, expectedEpoch, decide, cancellationToken);

        public ValueTask<HandoffAssignment?> UpdateAsync(LeadId leadId, int expectedEpoch, Func<HandoffAssignment, HandoffAssignment> update, Func<HandoffAssignment, HandoffAssignment, AlignmentDecision?>? decision = null, CancellationToken cancellationToken = default) =>
            _inner.UpdateAsync(leadId, expectedEpoch, update, decision, cancellationToken);

        public ValueTask<IReadOnlyList<HandoffAssignment>> ListAwaitingFirstTouchAsync(CancellationToken cancellationToken = default) => _inner.ListAwaitingFirstTouchAsync(cancellationToken);

        public ValueTask<IReadOnlyList<HandoffAssignment>> ListOpenAsync(RepId rep, CancellationToken cancellationToken = default) => _inner.ListOpenAsync(rep, cancellationToken);

        public ValueTask<RepLoad> GetRepLoadAsync(RepId rep, CancellationToken cancellationToken = default) => _inner.GetRepLoadAsync(rep, cancellationToken);
    }
}
