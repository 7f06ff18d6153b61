using Alignment.Leads;
using Alignment.Nurture;
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
}
