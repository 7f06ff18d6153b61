using System.Collections.Immutable;

namespace Alignment.Segmentation.Collateral;

/// <summary>The content of a new or revised collateral item.</summary>
/// <param name="Id">The item id (stable across revisions).</param>
/// <param name="Title">The title reps see.</param>
/// <param name="Owner">Who in marketing owns it.</param>
/// <param name="Segments">The segments it is for.</param>
public sealed record CollateralDraft(string Id, string Title, string Owner, ImmutableArray<SegmentId> Segments)
{
    /// <summary>The kind of item (for example <c>case-study</c>, <c>one-pager</c>, <c>deck</c>).</summary>
    public string? Kind { get; init; }

    /// <summary>Where the item lives.</summary>
    public Uri? Location { get; init; }
}
