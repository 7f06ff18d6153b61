namespace Alignment.Segmentation.Definitions;

/// <summary>One segment definition: its id, its conditions (all must hold) and its playbook.</summary>
public sealed record SegmentDocument
{
    /// <summary>The segment id (for example <c>enterprise-software</c>); unique in the model.</summary>
    public string? Id { get; init; }

    /// <summary>The display name; defaults to the id.</summary>
    public string? Name { get; init; }

    /// <summary>A description for people.</summary>
    public string? Description { get; init; }

    /// <summary>The conditions, all of which must hold. Not allowed on the default segment.</summary>
    public IReadOnlyList<ConditionDocument>? When { get; init; }

    /// <summary>The segment's playbook.</summary>
    public PlaybookDocument? Playbook { get; init; }
}
