using System.Text.Json.Serialization;

namespace Alignment.Policies.Nurture.Definitions;

/// <summary>Source-generated (reflection-free) serializer for nurture policy documents.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(NurturePolicyDocument))]
internal sealed partial class NurturePolicyJsonContext : JsonSerializerContext;
