using Alignment.Models;
using System.Text.Json.Serialization;

namespace Alignment.Scoring.Governance;

/// <summary>Source-generated System.Text.Json metadata for the governance reports (no reflection at run time).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true,
    Converters = [typeof(LeadIdJsonConverter), typeof(GradeJsonConverter)])]
[JsonSerializable(typeof(ScoringModelDiff))]
[JsonSerializable(typeof(ImpactPreview))]
internal sealed partial class GovernanceJsonContext : JsonSerializerContext
{
    /// <summary>Serializes a value with the given metadata, indented or not.</summary>
    public static string Write<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, bool indented)
    {
        using var stream = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(stream, new System.Text.Json.JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            System.Text.Json.JsonSerializer.Serialize(writer, value, typeInfo);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
