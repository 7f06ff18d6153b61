namespace Alignment.Policies.Metrics;

/// <summary>The waterfall of the leads sharing one value of a dimension (a segment, source, campaign or period).</summary>
/// <param name="key">The value (<c>(none)</c> when the lead has none).</param>
/// <param name="waterfall">Its waterfall.</param>
public sealed class DimensionWaterfall(string key, Waterfall waterfall)
{
    /// <summary>The value (<c>(none)</c> when the lead has none).</summary>
    public string Key { get; } = key;

    /// <summary>Its waterfall.</summary>
    public Waterfall Waterfall { get; } = waterfall;
}
