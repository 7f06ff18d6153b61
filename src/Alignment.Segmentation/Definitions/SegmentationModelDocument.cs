namespace Alignment.Segmentation.Definitions;

/// <summary>
/// A segmentation model as written in JSON (see docs/segmentation-model.md): ordered segment definitions, a default segment,
/// and the named bands and clusterings the definitions may refer to. Load it with <see cref="Rules.SegmentationModelLoader"/>.
/// </summary>
public sealed record SegmentationModelDocument
{
    /// <summary>The model's id (for example <c>acme-segments</c>).</summary>
    public string? Id { get; init; }

    /// <summary>The model's version (free text, for example <c>2026.1</c>).</summary>
    public string? Version { get; init; }

    /// <summary>A description for people.</summary>
    public string? Description { get; init; }

    /// <summary>Named band sets (size band, revenue band, engagement level) that turn a number into a named band.</summary>
    public IReadOnlyList<BandSetDocument>? Bands { get; init; }

    /// <summary>Named clusterings (centroids from k-means) that segment definitions can refer to as <c>cluster.&lt;id&gt;</c>.</summary>
    public IReadOnlyList<ClusteringDocument>? Clusterings { get; init; }

    /// <summary>The segment definitions, in precedence order: a lead lands in the first one whose conditions all hold.</summary>
    public IReadOnlyList<SegmentDocument>? Segments { get; init; }

    /// <summary>The segment of every lead no definition matches. Required; it has no conditions.</summary>
    public SegmentDocument? Default { get; init; }
}
