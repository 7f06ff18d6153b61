namespace Alignment.Segmentation.Definitions;

/// <summary>One band: values from <see cref="AtLeast"/> (inclusive) up to <see cref="Below"/> (exclusive); a missing bound is open.</summary>
public sealed record BandDocument
{
    /// <summary>The band's name (for example <c>enterprise</c>).</summary>
    public string? Name { get; init; }

    /// <summary>The inclusive lower bound, or none.</summary>
    public double? AtLeast { get; init; }

    /// <summary>The exclusive upper bound, or none.</summary>
    public double? Below { get; init; }
}
