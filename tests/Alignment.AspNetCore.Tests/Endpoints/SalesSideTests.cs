using System.Net;
using Alignment.AspNetCore.Tests.Support;

namespace Alignment.AspNetCore.Tests.Endpoints;

public sealed class SalesSideTests
{
    [Fact]
    public async Task A_rep_sees_the_handoff_with_its_SLA_touches_it_and_accepts_it()
    {
        await using var app = new AlignmentTestApp();
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        var decision = await (await client.PostJsonAsync("/v1/leads", TestLeads.Hot("L-1", app.Time.GetUtcNow()))).ReadJsonAsync();
        string rep = (string)decision["handoff"]!["rep"]!;
        string other = rep == "us-ae-avery" ? "us-ae-blake" : "us-ae-avery";

        var open = (await (await client.GetAsync($"/v1/reps/{rep}/handoffs")).ReadJsonAsync()).AsArray();
        Assert.Equal("L-1", (string?)open.Single()!["leadId"]);
        Assert.Equal(app.Time.GetUtcNow().AddMinutes(15), (DateTimeOffset?)open.Single()!["slaDueAt"]);

        using var wrongRep = await client.PostJsonAsync("/v1/leads/L-1/first-touch", new { rep = other });
        Assert.Equal(HttpStatusCode.Conflict, wrongRep.StatusCode);
        Assert.Contains($"not with {other}", (string?)(await wrongRep.ReadJsonAsync())["detail"], StringComparison.Ordinal);

        app.Time.Advance(TimeSpan.FromMinutes(5));
        var touched = await (await client.PostJsonAsync("/v1/leads/L-1/first-touch", new { rep })).ReadJsonAsync();
        Assert.Equal("Touched", (string?)touched["status"]);
        Assert.Equal(app.Time.GetUtcNow(), (DateTimeOffset?)touched["firstTouchAt"]);
        var stillOpen = (await (await client.GetAsync($"/v1/reps/{rep}/handoffs")).ReadJsonAsync()).AsArray();
        Assert.Equal("Touched", (string?)stillOpen.Single()!["status"]); // touched, not yet answered: still the rep's to accept or reject

        var accepted = await (await client.PostJsonAsync("/v1/leads/L-1/accept", new { rep })).ReadJsonAsync();
        Assert.Equal("Accepted", (string?)accepted["status"]);
        Assert.Equal("[]", await client.GetStringAsync($"/v1/reps/{rep}/handoffs"));
        var lead = await (await client.GetAsync("/v1/leads/L-1")).ReadJsonAsync();
        Assert.Equal("SalesAccepted", (string?)lead["stage"]);
        Assert.Equal(rep, (string?)lead["owner"]);

        var metrics = await (await client.GetAsync("/v1/metrics")).ReadJsonAsync();
        Assert.Equal(1, (int?)metrics["speedToLead"]!["touched"]);
        Assert.Equal(1, (int?)metrics["speedToLead"]!["slaMet"]);
    }

    [Fact]
    public async Task A_rejection_needs_a_reason_code_and_sends_the_lead_back_to_nurture()
    {
        await using var app = new AlignmentTestApp();
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        var decision = await (await client.PostJsonAsync("/v1/leads", TestLeads.Hot("L-2", app.Time.GetUtcNow()))).ReadJsonAsync();
        string rep = (string)decision["handoff"]!["rep"]!;

        using var noReason = await client.PostJsonAsync("/v1/leads/L-2/reject", new { rep });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await noReason.ReadJsonAsync())["errors"]!.AsObject().ContainsKey("$.reason"));
        using var badReason = await client.PostJsonAsync("/v1/leads/L-2/reject", new { rep, reason = "boredom" });
        Assert.Contains("'boredom' is not a rejection reason", (string?)(await badReason.ReadJsonAsync())["errors"]!["$.reason"]![0], StringComparison.Ordinal);
        using var noRep = await client.PostJsonAsync("/v1/leads/L-2/accept", "{}");
        Assert.True((await noRep.ReadJsonAsync())["errors"]!.AsObject().ContainsKey("$.rep"));

        var rejected = await (await client.PostJsonAsync("/v1/leads/L-2/reject", new { rep, reason = "timing", note = "budget next year" })).ReadJsonAsync();

        Assert.Equal("timing", (string?)rejected["rejection"]);
        var lead = await (await client.GetAsync("/v1/leads/L-2")).ReadJsonAsync();
        Assert.Equal("Recycled", (string?)lead["stage"]);
        Assert.Equal("recycled", (string?)lead["nurture"]!["track"]);
        Assert.Null((string?)lead["owner"]);
        using var again = await client.PostJsonAsync("/v1/leads/L-2/accept", new { rep });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Rep_actions_on_a_lead_never_handed_over_are_404()
    {
        await using var app = new AlignmentTestApp();
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        await client.PostJsonAsync("/v1/leads", TestLeads.Cold("L-3", app.Time.GetUtcNow()));

        using var response = await client.PostJsonAsync("/v1/leads/L-3/accept", new { rep = "us-ae-avery" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Lead 'L-3' was never handed to sales.", (string?)(await response.ReadJsonAsync())["detail"]);
    }

    [Fact]
    public async Task A_campaign_invites_registers_and_records_attendance_then_closes()
    {
        await using var app = new AlignmentTestApp();
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        var now = app.Time.GetUtcNow();
        foreach (string id in new[] { "L-4", "L-5", "L-6" })
        {
            await client.PostJsonAsync("/v1/leads", TestLeads.Cold(id, now));
        }

        foreach (string id in new[] { "L-4", "L-5", "L-6" })
        {
            var invited = await (await client.PostJsonAsync("/v1/campaigns/june-webinar/invite", new { leadId = id })).ReadJsonAsync();
            Assert.True((bool?)invited["changed"]);
        }

        Assert.False((bool?)(await (await client.PostJsonAsync("/v1/campaigns/june-webinar/invite", new { leadId = "L-4" })).ReadJsonAsync())["changed"]);
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/v1/campaigns/june-webinar/register", new { leadId = "L-4" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/v1/campaigns/june-webinar/register", new { leadId = "L-5" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/v1/campaigns/june-webinar/attend", new { leadId = "L-4" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostJsonAsync("/v1/campaigns/june-webinar/attend", new { leadId = "L-99" })).StatusCode);
        using var missing = await client.PostJsonAsync("/v1/campaigns/june-webinar/attend", "{}");
        Assert.True((await missing.ReadJsonAsync())["errors"]!.AsObject().ContainsKey("$.leadId"));

        var closed = await (await client.PostAsync("/v1/campaigns/june-webinar/close", null)).ReadJsonAsync();

        Assert.Equal("closed", (string?)closed["step"]);
        Assert.Equal(1, (int?)closed["noShowsEnrolled"]);
        Assert.Equal(1, (int?)closed["attendeeTasks"]);
        var noShow = await (await client.GetAsync("/v1/leads/L-5")).ReadJsonAsync();
        Assert.Equal("webinar-no-show", (string?)noShow["nurture"]!["track"]);
    }

    [Fact]
    public async Task Metrics_count_the_waterfall_of_the_tenants_leads()
    {
        await using var app = new AlignmentTestApp();
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        var now = app.Time.GetUtcNow();
        await client.PostJsonAsync("/v1/leads", TestLeads.Hot("L-7", now));
        await client.PostJsonAsync("/v1/leads", TestLeads.Hot("L-8", now));
        await client.PostJsonAsync("/v1/leads", TestLeads.Cold("L-9", now));

        var metrics = await (await client.GetAsync("/v1/metrics?period=quarter")).ReadJsonAsync();

        Assert.Equal(3, (int?)metrics["leads"]);
        Assert.Equal("Quarter", (string?)metrics["period"]);
        var stages = metrics["waterfall"]!.AsArray().ToDictionary(s => (string)s!["stage"]!, s => (int)s!["leads"]!);
        Assert.Equal(3, stages["Inquiry"]);
        Assert.Equal(2, stages["MarketingQualified"]);
        Assert.Equal(2, (int?)metrics["speedToLead"]!["mqlLeads"]);
        using var bad = await client.GetAsync("/v1/metrics?period=fortnight");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.ReadJsonAsync())["errors"]!.AsObject().ContainsKey("$.period"));
    }
}
