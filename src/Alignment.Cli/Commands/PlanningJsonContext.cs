using System.Text.Json.Serialization;
using Alignment.Policies.Planning;

namespace Alignment.Cli.Commands;

/// <summary>Source-generated (reflection-free) JSON of the planning results the commands print: camelCase, enums by name, indented.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, WriteIndented = true)]
[JsonSerializable(typeof(DemandPlan))]
[JsonSerializable(typeof(SlaReport))]
[JsonSerializable(typeof(SpendReport))]
[JsonSerializable(typeof(BudgetRecommendation))]
[JsonSerializable(typeof(BudgetBacktest))]
internal sealed partial class PlanningJsonContext : JsonSerializerContext;
