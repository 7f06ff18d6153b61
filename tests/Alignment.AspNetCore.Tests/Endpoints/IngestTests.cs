using System.Net;
using Alignment.Activities;
using Alignment.AspNetCore.Tenancy;
using Alignment.Leads;
using Alignment.Policies.Nurture;
using Microsoft.Extensions.DependencyInjection;
using Alignment.AspNetCore.Tests.Support;

namespace Alignment.AspNetCore.Tests.Endpoints;

public sealed class IngestTests
{
    [Fact]
    public async Task A_hot_lead_is_scored_segmented_and_handed_to_a_rep_with_an_SLA()
    {
        await using var app = new AlignmentTestApp();
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        var now = app.Time.GetUtcNow();

        using var response = await client.PostJsonAsync("/v1/leads", TestLeads.Hot("L-1", now));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("L-1", (string?)body["leadId"]);
        Assert.True((bool?)body["created"]);
        Assert.Equal("MarketingQualified", (string?)body["stage"]);
        Assert.Equal("Hot", (string?)body["score"]!["state"]);
        Assert.Equal("brightwave-lead-standard", (string?)body["score"]!["model"]!["id"]);
        Assert.Equal("3.2.0", (string?)body["score"]!["model"]!["version"]);
        Assert.False(string.IsNullOrEmpty((string?)body["score"]!["model"]!["hash"]));
        var explanation = body["score"]!["explanation"]!.AsArray();
        Assert.Contains(explanation, c => (string?)c!["rule"] == "demo-request" && (decimal?)c["points"] == 45);
        Assert.Equal((decimal?)body["score"]!["total"], explanation.Sum(c => (decimal)c!["points"]!));
        Assert.Equal("enterprise", (string?)body["segment"]!["id"]);
        Assert.False(string.IsNullOrEmpty((string?)body["segment"]!["playbook"]!["valueProposition"]));
        var handoff = body["handoff"]!;
        Assert.Equal("Assigned", (string?)handoff["status"]);
        Assert.StartsWith("us-ae-", (string?)handoff["rep"], StringComparison.Ordinal);
        Assert.Equal("hot-us-and-rest", (string?)handoff["rule"]);
        Assert.Equal(now.AddMinutes(15), (DateTimeOffset?)handoff["slaDueAt"]);
        Assert.Null(body["nurture"]);
    }

    [Fact]
    public async Task A_cold_lead_goes_on_a_nurture_track_and_stays_with_marketing()
    {
        await using var app = new AlignmentTestApp();
        using var client = app.ClientFor(AlignmentTestApp.KeyA);

        using var response = await client.PostJsonAsync("/v1/leads", TestLeads.Cold("L-2", app.Time.GetUtcNow()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("NotQualified", (string?)body["score"]!["state"]);
        Assert.Null(body["handoff"]);
        Assert.Equal("welcome", (string?)body["nurture"]!["track"]);
        Assert.Equal("NotSalesReady", (string?)body["nurture"]!["reason"]);
        Assert.NotNull((DateTimeOffset?)body["nurture"]!["nextDueAt"]);
    }

    [Fact]
    public async Task New_activity_on_a_nurtured_lead_rescores_it_and_hands_it_over_when_it_qualifies()
    {
        await using var app = new AlignmentTestApp();
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        var now = app.Time.GetUtcNow();
        string cold = $$"""
            { "id": "L-3", "person": { "seniority": "VP", "department": "Sales" }, "company": { "industry": "Software", "employeeCount": 2400, "country": "US" },
              "activities": [ { "type": "webVisit", "at": "{{now.AddHours(-3):O}}" } ] }
            """;
        using (var first = await client.PostJsonAsync("/v1/leads", cold))
        {
            var body = await first.ReadJsonAsync();
            Assert.Equal("NotQualified", (string?)body["score"]!["state"]);
            Assert.NotNull(body["nurture"]);
        }

        app.Time.Advance(TimeSpan.FromHours(1));
        string demo = $$"""{ "id": "L-3", "activities": [ { "type": "DemoRequested", "at": "{{app.Time.GetUtcNow().AddMinutes(-5):O}}" }, { "type": "pageView", "at": "{{now.AddHours(-2):O}}", "url": "/pricing" } ] }""";
        using var second = await client.PostJsonAsync("/v1/leads", demo);

        var decided = await second.ReadJsonAsync();
        Assert.False((bool?)decided["created"]);
        Assert.NotEqual("NotQualified", (string?)decided["score"]!["state"]);
        Assert.NotNull(decided["handoff"]);
        Assert.Null(decided["nurture"]);
        using var read = await client.GetAsync("/v1/leads/L-3");
        var lead = await read.ReadJsonAsync();
        Assert.Equal(3, (int?)lead["activities"]);
    }

    [Fact]
    public async Task A_repeated_ingest_with_the_same_idempotency_key_returns_the_same_decision_and_changes_nothing()
    {
        await using var app = new AlignmentTestApp();
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        string body = TestLeads.Hot("L-4", app.Time.GetUtcNow());

        using var first = await Send(client, body, "key-1");
        string firstJson = await first.Content.ReadAsStringAsync();
        app.Time.Advance(TimeSpan.FromMinutes(3));
        using var again = await Send(client, body, "key-1");
        string againJson = await again.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(firstJson, againJson);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        var lead = await (await client.GetAsync("/v1/leads/L-4")).ReadJsonAsync();
        Assert.Equal(2, (int?)lead["activities"]);
        Assert.Single(lead["history"]!.AsArray());   // one move to MQL, not two

        using var reused = await Send(client, TestLeads.Hot("L-5", app.Time.GetUtcNow()), "key-1");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'key-1' was used before for a different request", (string?)(await reused.ReadJsonAsync())["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/leads/L-5")).StatusCode);

        static Task<HttpResponseMessage> Send(HttpClient client, string body, string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/leads") { Content = TestLeads.Json(body) };
            request.Headers.Add("Idempotency-Key", key);
            return client.SendAsync(request);
        }
    }

    [Fact]
    public async Task A_key_another_instance_is_deciding_gets_409_with_Retry_After_and_is_taken_over_once_its_claim_lapses()
    {
        await using var app = new AlignmentTestApp { Options = o => o.IdempotencyWait = TimeSpan.FromMilliseconds(300) };
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        var tenant = await app.Services.GetRequiredService<Alignment.AspNetCore.Tenancy.AlignmentTenants>().GetAsync("tenant-a");
        var documents = tenant.Services.GetRequiredService<ILeadDocumentStore>();
        // Another instance sharing the store claimed the key and is still deciding.
        Assert.Equal(IngestKeyClaimStatus.Claimed, (await documents.ClaimKeyAsync("held", app.Time.GetUtcNow(), TimeSpan.FromMinutes(2))).Status);

        string body = TestLeads.Hot("L-H", app.Time.GetUtcNow());
        using (var pending = await Send(client, body))
        {
            Assert.Equal(HttpStatusCode.Conflict, pending.StatusCode);
            Assert.Equal("application/problem+json", pending.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(60), pending.Headers.RetryAfter?.Delta);
            Assert.Contains("still being decided", (string?)(await pending.ReadJsonAsync())["detail"], StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/leads/L-H")).StatusCode);

        // That instance crashed: once its claim lapses, the key is decided here, once.
        app.Time.Advance(TimeSpan.FromMinutes(3));
        using var decided = await Send(client, body);
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        using var replayed = await Send(client, body);
        Assert.Equal("true", replayed.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(IngestKeyClaimStatus.Answered, (await documents.ClaimKeyAsync("held", app.Time.GetUtcNow(), TimeSpan.FromMinutes(2))).Status);

        static Task<HttpResponseMessage> Send(HttpClient client, string body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/leads") { Content = TestLeads.Json(body) };
            request.Headers.Add("Idempotency-Key", "held");
            return client.SendAsync(request);
        }
    }

    [Fact]
    public async Task Concurrent_repeats_of_one_idempotent_ingest_give_one_lead_and_one_decision()
    {
        await using var app = new AlignmentTestApp();
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        string body = TestLeads.Hot("L-6", app.Time.GetUtcNow());

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/leads") { Content = TestLeads.Json(body) };
            request.Headers.Add("Idempotency-Key", "same");
            using var response = await client.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(responses.Select(r => r.Item2).Distinct());
        var lead = await (await client.GetAsync("/v1/leads/L-6")).ReadJsonAsync();
        Assert.Single(lead["history"]!.AsArray());
    }

    [Fact]
    public async Task One_idempotency_key_sent_at_once_for_different_leads_decides_one_lead_and_refuses_the_others_untouched()
    {
        await using var app = new AlignmentTestApp();
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        var now = app.Time.GetUtcNow();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/leads") { Content = TestLeads.Json(TestLeads.Hot($"K-{i}", now)) };
            request.Headers.Add("Idempotency-Key", "shared-key");
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.UnprocessableEntity));
        var stored = 0;
        for (int i = 0; i < 8; i++)
        {
            stored += (await client.GetAsync($"/v1/leads/K-{i}")).StatusCode == HttpStatusCode.OK ? 1 : 0;
        }

        Assert.Equal(1, stored);
        Assert.Equal(1, (int?)(await (await client.GetAsync("/v1/metrics")).ReadJsonAsync())["leads"]);
    }

    [Theory]
    [InlineData("""{ "id": "L-7", "company": { "employeeCount": "many" } }""", "$.company.employeeCount")]
    [InlineData("""{ "id": "L-7", "activities": [ { "type": "webVisit", "at": "2026-03-01T10:00:00Z" }, { "type": "carrierPigeon", "at": "2026-03-01T10:00:00Z" } ] }""", "$.activities[1].type")]
    [InlineData("""{ "id": "L-7", "activities": [ { "type": "webVisit" } ] }""", "$.activities[0].at")]
    [InlineData("""{ "person": { "name": "No Id" } }""", "$.id")]
    [InlineData("""{ "id": "L-7", "attributes": { "shoeSize": 42 } }""", "$.attributes.shoeSize")]
    [InlineData("""{ "id": "L-7", "company": { "employeeCount": -4 } }""", "$.company.employeeCount")]
    [InlineData("""{ "id": "L-7", "activities": [ { "type": "webVisit", "at": "yesterday" } ] }""", "$.activities[0].at")]
    [InlineData("""{ "id": "L-7", """, "$")]
    [InlineData("""[1, 2]""", "$")]
    [InlineData("""{ "id": "L-7", "id": "L-8" }""", "$.id")]
    [InlineData("""{ "id": "L-7", "company": { "name": "Acme \ud800" } }""", "$.company.name")]
    public async Task A_bad_body_is_a_400_problem_naming_the_JSON_path(string body, string path)
    {
        await using var app = new AlignmentTestApp();
        using var client = app.ClientFor(AlignmentTestApp.KeyA);

        using var response = await client.PostJsonAsync("/v1/leads", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync();
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(path), $"expected an error at {path}, got: {problem.ToJsonString()}");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/leads/L-7")).StatusCode);
    }

    [Fact]
    public async Task A_text_attribute_with_an_unpaired_surrogate_is_a_400_naming_it()
    {
        // A tenant whose schema declares a text attribute: the JSON reader accepts "\ud800" and fails only when the text is read.
        await using var app = new AlignmentTestApp
        {
            TenantServices = (_, a) => a.Services.AddSingleton(new AttributeSchema([new AttributeDefinition("productInterest", AttributeKind.Text)])),
        };
        using var client = app.ClientFor(AlignmentTestApp.KeyA);

        using var response = await client.PostJsonAsync("/v1/leads", """{ "id": "L-7", "attributes": { "productInterest": "crm \ud800" } }""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Contains("is not valid text", (string?)problem["errors"]!["$.attributes.productInterest"]![0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/leads/L-7")).StatusCode);
    }

    [Fact]
    public async Task A_body_above_the_limit_is_refused_with_413_and_nothing_is_stored()
    {
        await using var app = new AlignmentTestApp { Options = o => o.MaxRequestBodyBytes = 2048 };
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        var now = app.Time.GetUtcNow();
        string activities = string.Join(",", Enumerable.Range(0, 60).Select(i => $$"""{ "type": "webVisit", "at": "{{now.AddMinutes(-i):O}}" }"""));

        using var response = await client.PostJsonAsync("/v1/leads", $$"""{ "id": "L-9", "activities": [{{activities}}] }""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("larger than 2048 bytes", (string?)(await response.ReadJsonAsync())["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/leads/L-9")).StatusCode);
    }

    [Fact]
    public async Task Reading_a_lead_gives_its_score_explanation_history_and_owner()
    {
        await using var app = new AlignmentTestApp();
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        var decision = await (await client.PostJsonAsync("/v1/leads", TestLeads.Hot("L-10", app.Time.GetUtcNow()))).ReadJsonAsync();

        using var response = await client.GetAsync("/v1/leads/L-10");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lead = await response.ReadJsonAsync();
        Assert.Equal("MarketingQualified", (string?)lead["stage"]);
        Assert.Equal((string?)decision["handoff"]!["rep"], (string?)lead["owner"]);
        Assert.Equal((decimal?)decision["score"]!["total"], (decimal?)lead["score"]!["total"]);
        Assert.NotEmpty(lead["score"]!["explanation"]!.AsArray());
        var move = lead["history"]!.AsArray().Single()!;
        Assert.Equal("Inquiry", (string?)move["from"]);
        Assert.Equal("MarketingQualified", (string?)move["to"]);
        Assert.Equal("brightwave-lead-standard@3.2.0", (string?)move["modelVersion"]);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/leads/nobody")).StatusCode);
    }

    [Fact]
    public async Task The_nurture_engine_reads_an_ingested_lead_back_with_its_activities_and_last_segment()
    {
        await using var app = new AlignmentTestApp();
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        using var response = await client.PostJsonAsync("/v1/leads", TestLeads.Hot("L-9", app.Time.GetUtcNow()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // What the engine reads is the head of the stored document (the last decision's card and playbook are skipped).
        var tenant = await app.Services.GetRequiredService<AlignmentTenants>().GetAsync("tenant-a");
        var snapshot = await tenant.Services.GetRequiredService<ILeadSnapshotSource>().FindAsync(new LeadId("L-9"));

        Assert.NotNull(snapshot);
        Assert.Equal("L-9", snapshot.Lead.Id.Value);
        Assert.Equal("enterprise", snapshot.Segment?.Value);
        Assert.Equal(2, snapshot.Activities.Length);
        Assert.Contains(snapshot.Activities, a => a.Type == ActivityType.DemoRequested);
        Assert.Null(await tenant.Services.GetRequiredService<ILeadSnapshotSource>().FindAsync(new LeadId("nobody")));
    }

    [Fact]
    public async Task The_stored_document_is_exactly_what_the_serializer_writes_for_the_lead_and_its_last_decision()
    {
        await using var app = new AlignmentTestApp();
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        using var response = await client.PostJsonAsync("/v1/leads", TestLeads.Hot("L-10", app.Time.GetUtcNow()));
        string answer = await response.Content.ReadAsStringAsync();

        var tenant = await app.Services.GetRequiredService<AlignmentTenants>().GetAsync("tenant-a");
        var document = await tenant.Services.GetRequiredService<ILeadDocumentStore>().FindAsync(new LeadId("L-10"));

        // The ingest writes the decision into the document as the answer's own JSON; the text must be the serializer's.
        var stored = System.Text.Json.JsonSerializer.Deserialize(document!.Json, Alignment.AspNetCore.Wire.AlignmentHttpJsonContext.Default.StoredLead)!;
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(stored, Alignment.AspNetCore.Wire.AlignmentHttpJsonContext.Default.StoredLead), document.Json);
        Assert.Equal(answer, System.Text.Json.JsonSerializer.Serialize(stored.LastDecision, Alignment.AspNetCore.Wire.AlignmentHttpJsonContext.Default.LeadDecisionResponse));
    }
}
