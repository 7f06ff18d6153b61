using System.Collections.Immutable;

namespace Alignment.Policies.Metrics;

/// <summary>A demand waterfall: leads per stage (inquiry → MQL → SAL → SQL → opportunity → won) and the conversion between each pair.</summary>
/// <param name="Stages">Leads that reached each stage.</param>
/// <param name="Conversions">Conversion between consecutive stages.</param>
public sealed record Waterfall(ImmutableArray<StageCount> Stages, ImmutableArray<StageConversion> Conversions);
