namespace Alignment.Segmentation.Definitions;

/// <summary>An objection and the agreed answer to it.</summary>
public sealed record ObjectionDocument
{
    /// <summary>The objection as a prospect says it. Required.</summary>
    public string? Objection { get; init; }

    /// <summary>The agreed answer. Required.</summary>
    public string? Response { get; init; }
}
