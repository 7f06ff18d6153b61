using System.Text.Json;
using System.Text.Json.Serialization;

namespace Alignment.Policies.Handoff.Definitions;

/// <summary>Source-generated (reflection-free) JSON metadata for routing policies and rosters.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    UseStringEnumConverter = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RoutingPolicyDefinition))]
[JsonSerializable(typeof(RosterDefinition))]
[JsonSerializable(typeof(RoutingReleaseDefinition))]
internal sealed partial class RoutingJsonContext : JsonSerializerContext;
