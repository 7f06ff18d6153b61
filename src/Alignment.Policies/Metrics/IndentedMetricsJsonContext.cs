using System.Text.Json.Serialization;
using Alignment.Policies.Nurture.Campaigns;

namespace Alignment.Policies.Metrics;

/// <summary>Source-generated (reflection-free) JSON for the metrics and campaign funnels: indented.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, WriteIndented = true)]
[JsonSerializable(typeof(AlignmentMetricsReport))]
[JsonSerializable(typeof(CampaignFunnel))]
internal sealed partial class IndentedMetricsJsonContext : JsonSerializerContext;
