using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Alignment.Leads;

namespace Alignment.AspNetCore.Endpoints;

/// <summary>Reads a stored lead document from whichever form it holds (UTF-8 or text), so neither is made just to be parsed.</summary>
internal static class LeadDocumentJson
{
    /// <exception cref="InvalidDataException">The document is JSON <c>null</c>, or not the JSON of a stored lead (naming the lead; the parser's error inside).</exception>
    public static T Read<T>(LeadDocument document, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return (document.IsUtf8 ? JsonSerializer.Deserialize(document.Utf8Json.Span, type) : JsonSerializer.Deserialize(document.Json, type))
                ?? throw new InvalidDataException($"Lead {document.LeadId}: the stored document is JSON null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Lead {document.LeadId}: the stored document (version {document.Version}) is not a stored lead: {e.Message}", e);
        }
    }
}
