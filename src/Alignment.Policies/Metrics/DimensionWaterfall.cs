namespace Alignment.Policies.Metrics;

/// <summary>The waterfall of the leads sharing one value of a dimension (a segment, source, campaign or period).</summary>
/// <param name="Key">The value (<c>(none)</c> when the lead has none).</param>
/// <param name="Waterfall">Its waterfall.</param>
public sealed record DimensionWaterfall(string Key, Waterfall Waterfall);
