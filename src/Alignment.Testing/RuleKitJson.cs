using System.Text.Json.Serialization;

namespace Alignment.Testing;

/// <summary>Source-generated JSON for the one string the kit writes (the rule's name in its model), so the kit stays trim- and AOT-safe.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class RuleKitJson : JsonSerializerContext;
