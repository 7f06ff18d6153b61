using System.Text.Json.Serialization;
namespace Alignment.Policies.Metrics;

/// <summary>The waterfall of the leads sharing one value of a dimension (a segment, source, campaign or period).</summary>
public sealed class DimensionWaterfall
{
    /// <summary>Creates the value (the engine does; hosts read it).</summary>
    /// <param name="key">The value (<c>(none)</c> when the lead has none).</param>
    /// <param name="waterfall">Its waterfall.</param>
    [JsonConstructor]
    internal DimensionWaterfall(string key, Waterfall waterfall)
    {
        Key = key;
        Waterfall = waterfall;
    }

    /// <summary>The value (<c>(none)</c> when the lead has none).</summary>
    public string Key { get; }

    /// <summary>Its waterfall.</summary>
    public Waterfall Waterfall { get; }
}
