using System.Text.Json;
using Alignment.AspNetCore.Endpoints;
using Alignment.AspNetCore.Wire;
using Alignment.Leads;

namespace Alignment.AspNetCore.Tests.Endpoints;

/// <summary>A stored document that is not a stored lead is reported naming the lead, in either form, with the parser's error inside.</summary>
public sealed class LeadDocumentJsonTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, bool> Broken() => new()
    {
        { "{\"lead\":5}", true },
        { "{\"lead\":5}", false },
        { "null", true },
        { "null", false },
        { "[1,2]", true },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_document_that_is_not_a_stored_lead_is_invalid_data_naming_the_lead(string json, bool utf8)
    {
        var document = utf8
            ? new LeadDocument(new LeadId("L-7"), 3, System.Text.Encoding.UTF8.GetBytes(json), T0)
            : new LeadDocument(new LeadId("L-7"), 3, json, T0);

        var e = Assert.Throws<InvalidDataException>(() => LeadDocumentJson.Read(document, AlignmentHttpJsonContext.Default.StoredLead));

        Assert.StartsWith("Lead L-7: the stored document ", e.Message, StringComparison.Ordinal);
        if (json == "null")
        {
            Assert.Equal("Lead L-7: the stored document is JSON null.", e.Message);
        }
        else
        {
            Assert.IsAssignableFrom<JsonException>(e.InnerException);
        }
    }
}
