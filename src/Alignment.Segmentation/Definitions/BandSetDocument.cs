namespace Alignment.Segmentation.Definitions;

/// <summary>A named set of bands over one number field (for example <c>sizeBand</c> over <c>company.employeeCount</c>).</summary>
public sealed record BandSetDocument
{
    /// <summary>The name conditions use as their field (for example <c>sizeBand</c>).</summary>
    public string? Name { get; init; }

    /// <summary>The number field the bands cut (for example <c>company.employeeCount</c>).</summary>
    public string? Field { get; init; }

    /// <summary>The bands; they must not overlap.</summary>
    public IReadOnlyList<BandDocument>? Values { get; init; }
}
