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

        // Read back over HTTP from the UTF-8 form.
        using var read = await client.GetAsync("/v1/leads/S-1");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }
}
