using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Nurture;
using Alignment.Policies.Handoff;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Nurture;
using Alignment.Policies.Nurture.Campaigns;
using Alignment.Policies.Tests.Nurture.TestDoubles;

namespace Alignment.Policies.Tests.Nurture.Campaigns;

/// <summary>Reps call invitees before the event to learn their interests; the funnel compares called and not-called invitees.</summary>
public sealed class CampaignTrackerPreEventCallTests
{
    private sealed class Owners(Func<LeadId, string?> owner) : ILeadOwnerLookup
    {
        public ValueTask<string?> FindOwnerAsync(LeadId leadId, CancellationToken cancellationToken = default) => ValueTask.FromResult(owner(leadId));
    }

    [Fact]
    public async Task PreEventCalls_AreTasksForTheOwners_RecordInterests_AndTheFunnelComparesCalledWithNotCalled()
    {
        var h = new NurtureHarness();
        var campaigns = new InMemoryCampaignStore();
        var tracker = new CampaignTracker("event-2026-04", TimeSpan.FromHours(48), h.Engine, h.Outbox, h.Store, h.Lifecycles, h.Time, campaigns);
        var leads = Enumerable.Range(0, 10).Select(i => h.AddLead($"w{i}")).ToList();
        foreach (var lead in leads)
        {
            await tracker.InviteAsync(lead);
        }

        var starts = h.Time.GetUtcNow().AddDays(3);
        var owners = new Owners(id => int.Parse(id.Value[1..], System.Globalization.CultureInfo.InvariantCulture) < 5 ? "rep rep-a (Assigned)" : null); // described, as ILeadOwnerLookup promises

        Assert.Equal(10, await tracker.RequestPreEventCallsAsync(starts, owners));
        Assert.Equal(0, await tracker.RequestPreEventCallsAsync(starts, owners)); // asked once per invitee
        var late = h.AddLead("w10");
        await tracker.InviteAsync(late);
        Assert.Equal(1, await tracker.RequestPreEventCallsAsync(starts, owners));

        var tasks = h.Outbox.Executions.Where(e => e.Step.Id == "pre-event-call").ToList();
        Assert.Equal(11, tasks.Count);
        Assert.All(tasks, t => Assert.Equal(NurtureStepKind.RepCallTask, t.Step.Kind));
        Assert.Equal(11, tasks.Select(t => t.IdempotencyKey).Distinct().Count());
        Assert.Contains("invited to 'event-2026-04': rep rep-a (Assigned) calls before", tasks.Single(t => t.Lead.Id.Value == "w0").Explanation, StringComparison.Ordinal);
        Assert.Contains("invited to 'event-2026-04': a rep calls before", tasks.Single(t => t.Lead.Id.Value == "w7").Explanation, StringComparison.Ordinal);
        var w0 = (await campaigns.FindMemberAsync("event-2026-04", new LeadId("w0")))!;
        var w7 = (await campaigns.FindMemberAsync("event-2026-04", new LeadId("w7")))!;
        Assert.Equal((starts, "rep rep-a (Assigned)"), (w0.PreEventCallDueAt!.Value, w0.PreEventCallOwner));
        Assert.Equal((starts, (string?)null), (w7.PreEventCallDueAt!.Value, w7.PreEventCallOwner));

        var firstCall = h.Time.GetUtcNow().AddHours(2);
        await tracker.RecordPreEventCallAsync(new LeadId("w0"), firstCall, ["SSO", "pricing"]);
        await tracker.RecordPreEventCallAsync(new LeadId("w0"), firstCall.AddHours(5), ["sso", " roadmap ", ""]);
        foreach (var id in new[] { "w1", "w2", "w3" })
        {
            await tracker.RecordPreEventCallAsync(new LeadId(id), firstCall, ["integrations"]);
        }

        w0 = (await campaigns.FindMemberAsync("event-2026-04", new LeadId("w0")))!;
        Assert.Equal(firstCall, w0.PreEventCalledAt);
        Assert.Equal(["SSO", "pricing", "roadmap"], w0.Interests.AsEnumerable());

        foreach (var id in new[] { "w0", "w1", "w2", "w5" })
        {
            await tracker.RegisterAsync(new LeadId(id));
        }

        foreach (var id in new[] { "w0", "w1", "w5" })
        {
            await tracker.AttendAsync(new LeadId(id));
        }

        var funnel = await tracker.ReportAsync();
        Assert.Equal(new PreEventCallFunnel(Called: 4, CalledRegistered: 3, CalledAttended: 2, NotCalled: 7, NotCalledRegistered: 1, NotCalledAttended: 1), funnel.PreEventCalls);
        Assert.Equal((0.75, 0.1429), (funnel.PreEventCalls.CalledRegistrationRate, funnel.PreEventCalls.NotCalledRegistrationRate));
    }

    [Fact]
    public async Task PreEventCalls_AfterTheEventStarted_OrForAStranger_AreRefusedNamingWhy()
    {
        var h = new NurtureHarness();
        var tracker = new CampaignTracker("event-2026-04", TimeSpan.FromHours(48), h.Engine, h.Outbox, h.Store, h.Lifecycles, h.Time, new InMemoryCampaignStore());
        await tracker.InviteAsync(h.AddLead("w0"));

        var past = await Assert.ThrowsAsync<InvalidOperationException>(async () => await tracker.RequestPreEventCallsAsync(h.Time.GetUtcNow()));
        Assert.Contains("pre-event calls are asked for before it", past.Message, StringComparison.Ordinal);
        var stranger = await Assert.ThrowsAsync<InvalidOperationException>(async () => await tracker.RecordPreEventCallAsync(new LeadId("nobody"), h.Time.GetUtcNow(), ["x"]));
        Assert.Contains("Lead nobody is not a member of campaign 'event-2026-04'", stranger.Message, StringComparison.Ordinal);
        await tracker.CloseAsync();
        var closed = await Assert.ThrowsAsync<InvalidOperationException>(async () => await tracker.RequestPreEventCallsAsync(h.Time.GetUtcNow().AddDays(1)));
        Assert.Contains("is closed", closed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreEventCalls_GoToTheInviteesAccountOwner_ElseTheRoutedRep_ElseTheQueue()
    {
        var policy = CompiledRoutingPolicy.Load(
            """{ "id": "p", "fallbackQueue": "unassigned", "rules": [ { "id": "rr", "strategy": "roundRobin", "pool": { "teams": ["uk"] } } ] }""",
            """
            { "reps": [ { "id": "ana", "team": "uk" }, { "id": "bo", "team": "uk" }, { "id": "cy", "team": "uk" } ],
              "accounts": [ { "accountId": "acc-1", "owner": "bo" }, { "domain": "initech.example", "owner": "ana" } ] }
            """);
        var h = new NurtureHarness();
        var campaigns = new InMemoryCampaignStore();
        var tracker = new CampaignTracker("event-2026-05", TimeSpan.FromHours(48), h.Engine, h.Outbox, h.Store, h.Lifecycles, h.Time, campaigns);
        Lead[] invitees =
        [
            new(new LeadId("by-account")) { AccountId = new AccountId("acc-1"), Company = new CompanyProfile { Domain = "initech.example" } },
            new(new LeadId("by-email")) { Person = new PersonProfile { Email = "pat@initech.example" } },
            new(new LeadId("by-company")) { Company = new CompanyProfile { Domain = "www.Initech.example" } },
            new(new LeadId("routed")) { Person = new PersonProfile { Email = "lee@elsewhere.example" } },
            new(new LeadId("nobody")) { AccountId = new AccountId("acc-9") },
        ];
        foreach (var lead in invitees)
        {
            // The campaign keeps only the invitee's id (as a store that keeps no e-mail address would); the account and domains are
            // read from the lead source when the calls are asked for.
            h.Leads.Put(new LeadSnapshot(lead, []));
            await tracker.InviteAsync(new Lead(lead.Id));
        }

        // The routed rep is asked only for a lead whose account has no owner in the roster.
        var asked = new List<string>();
        var routed = new Owners(id =>
        {
            asked.Add(id.Value);
            return id.Value == "routed" ? "rep cy (Assigned)" : null;
        });

        Assert.Equal(5, await tracker.RequestPreEventCallsAsync(h.Time.GetUtcNow().AddDays(2), new AccountOwnerLookup(policy, routed)));

        async Task<string?> OwnerOf(string id) => (await campaigns.FindMemberAsync("event-2026-05", new LeadId(id)))!.PreEventCallOwner;
        Assert.Equal("rep bo (account owner)", await OwnerOf("by-account")); // the account id wins over the domain
        Assert.Equal("rep ana (account owner)", await OwnerOf("by-email"));
        Assert.Equal("rep ana (account owner)", await OwnerOf("by-company"));
        Assert.Equal("rep cy (Assigned)", await OwnerOf("routed"));
        Assert.Null(await OwnerOf("nobody"));
        Assert.Equal(["nobody", "routed"], asked.Order(StringComparer.Ordinal));
        Assert.Contains("rep bo (account owner) calls before", h.Outbox.Executions.Single(e => e.Lead.Id.Value == "by-account").Explanation, StringComparison.Ordinal);

        // Given a lead id alone, there is no account to match: the other lookup answers.
        Assert.Null(await new AccountOwnerLookup(policy).FindOwnerAsync(new LeadId("by-account")));
        Assert.Equal("rep cy (Assigned)", await new AccountOwnerLookup(policy, routed).FindOwnerAsync(new LeadId("routed")));
        Assert.Equal(new RepId("bo"), policy.FindAccountOwner(invitees[0]));
        Assert.Null(policy.FindAccountOwner(invitees[3]));
    }
}
