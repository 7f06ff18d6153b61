using System.Net;
using System.Text.Json;
using Alignment.AspNetCore.Tests.Support;
using Alignment.AspNetCore.Wire;
using Alignment.Leads;
using Microsoft.Extensions.DependencyInjection;

namespace Alignment.AspNetCore.Tests.Endpoints;

/// <summary>
/// An ingest keeps the lead as UTF-8 (no text is made of it): the bytes are exactly what the serializer writes for the stored
/// lead with its last decision, and that decision is the answer the client got.
/// </summary>
public sealed class StoredLeadDocumentTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_stored_document_is_utf8_and_the_serializers_own_bytes(bool hot)
    {
        var store = new InMemoryLeadDocumentStore();
        await using var app = new AlignmentTestApp { TenantServices = (_, a) => a.Services.AddSingleton<ILeadDocumentStore>(store) };
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        var now = app.Time.GetUtcNow();

        using var first = await client.PostJsonAsync("/v1/leads", hot ? TestLeads.Hot("S-1", now) : TestLeads.Cold("S-1", now));
        app.Time.Advance(TimeSpan.FromMinutes(5));
        using var second = await client.PostJsonAsync("/v1/leads", hot ? TestLeads.Hot("S-1", app.Time.GetUtcNow()) : TestLeads.Cold("S-1", app.Time.GetUtcNow()));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        byte[] answer = await second.Content.ReadAsByteArrayAsync();

        var document = (await store.FindAsync(new LeadId("S-1")))!;
        Assert.True(document.IsUtf8);
        Assert.Equal(2 * 2, document.Version); // each ingest saves the lead, then the lead with its decision
        var stored = JsonSerializer.Deserialize(document.Utf8Json.Span, AlignmentHttpJsonContext.Default.StoredLead)!;
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(stored, AlignmentHttpJsonContext.Default.StoredLead), document.Utf8Json.ToArray());
        Assert.Equal(
            JsonSerializer.Serialize(JsonSerializer.Deserialize(answer, AlignmentHttpJsonContext.Default.LeadDecisionResponse), AlignmentHttpJsonContext.Default.LeadDecisionResponse),
            JsonSerializer.Serialize(stored.LastDecision, AlignmentHttpJsonContext.Default.LeadDecisionResponse));
        Assert.Equal("S-1", stored.Lead.Id);

        // Read back over HTTP from the UTF-8 form: the score and segment of the last answer.
        using var read = await client.GetAsync("/v1/leads/S-1");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var lead = await read.ReadJsonAsync();
        var answered = System.Text.Json.Nodes.JsonNode.Parse(answer)!;
        Assert.Equal(answered["score"]!.ToJsonString(), lead["score"]!.ToJsonString());
        Assert.Equal(answered["segment"]!.ToJsonString(), lead["segment"]!.ToJsonString());
    }

    [Fact]
    public async Task Leads_decided_alike_share_their_moves_reason_and_model_strings()
    {
        // An in-memory store keeps every lead's lifecycle: a string formatted per lead is one more object per lead for the GC.
        var lifecycles = new Alignment.Lifecycle.InMemoryLifecycleStore();
        await using var app = new AlignmentTestApp { TenantServices = (_, a) => a.Services.AddSingleton<Alignment.Lifecycle.ILifecycleStore>(lifecycles) };
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        var now = app.Time.GetUtcNow();
        foreach (string id in new[] { "C-1", "C-2", "H-1", "H-2" })
        {
            using var response = await client.PostJsonAsync("/v1/leads", id[0] == 'C' ? TestLeads.Cold(id, now) : TestLeads.Hot(id, now));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        async Task<Alignment.Lifecycle.LifecycleTransition> FirstMove(string id) => (await lifecycles.FindAsync(new LeadId(id)))!.History[0];
        var (c1, c2, h1, h2) = (await FirstMove("C-1"), await FirstMove("C-2"), await FirstMove("H-1"), await FirstMove("H-2"));
        Assert.StartsWith("straight to nurture: NotSalesReady (ingested over HTTP, score ", c1.Reason, StringComparison.Ordinal);
        Assert.EndsWith(" below MQL)", c1.Reason, StringComparison.Ordinal);
        Assert.StartsWith("score ", h1.Reason, StringComparison.Ordinal);
        Assert.Same(h1.Reason, h2.Reason);
        Assert.Same(c1.Reason, c2.Reason);
        Assert.NotNull(h1.ModelVersion);
        Assert.Same(h1.ModelVersion, h2.ModelVersion);
    }
}
