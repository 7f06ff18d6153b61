using System.Text.Json.Serialization;
using System.Collections.Immutable;

namespace Alignment.Policies.Metrics;

/// <summary>A demand waterfall: leads per stage (inquiry → MQL → SAL → SQL → opportunity → won) and the conversion between each pair.</summary>
public sealed class Waterfall
{
    /// <summary>Creates the value (the engine does; hosts read it).</summary>
    /// <param name="stages">Leads that reached each stage.</param>
    /// <param name="conversions">Conversion between consecutive stages.</param>
    [JsonConstructor]
    internal Waterfall(ImmutableArray<StageCount> stages, ImmutableArray<StageConversion> conversions)
    {
        Stages = stages;
        Conversions = conversions;
    }

    /// <summary>Leads that reached each stage.</summary>
    public ImmutableArray<StageCount> Stages { get; }

    /// <summary>Conversion between consecutive stages.</summary>
    public ImmutableArray<StageConversion> Conversions { get; }
}
