using System.Collections.Immutable;

namespace Alignment.Policies.Metrics;

/// <summary>A demand waterfall: leads per stage (inquiry → MQL → SAL → SQL → opportunity → won) and the conversion between each pair.</summary>
/// <param name="stages">Leads that reached each stage.</param>
/// <param name="conversions">Conversion between consecutive stages.</param>
public sealed class Waterfall(ImmutableArray<StageCount> stages, ImmutableArray<StageConversion> conversions)
{
    /// <summary>Leads that reached each stage.</summary>
    public ImmutableArray<StageCount> Stages { get; } = stages;

    /// <summary>Conversion between consecutive stages.</summary>
    public ImmutableArray<StageConversion> Conversions { get; } = conversions;
}
