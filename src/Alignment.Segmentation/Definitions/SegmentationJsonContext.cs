using System.Text.Json.Serialization;

namespace Alignment.Segmentation.Definitions;

/// <summary>Source-generated System.Text.Json metadata for segmentation model documents (camelCase, comments and trailing commas allowed, unknown members rejected).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(SegmentationModelDocument))]
internal sealed partial class SegmentationJsonContext : JsonSerializerContext;
