using Alignment.Handoff;

namespace Alignment.Segmentation.Collateral;

/// <summary>Where a rep's suggestion for new or changed collateral stands.</summary>
public enum ContentSuggestionStatus
{
    /// <summary>Waiting for marketing.</summary>
    Open = 0,

    /// <summary>Marketing turned it into a draft (<see cref="ContentSuggestion.ItemId"/>).</summary>
    Drafted = 1,

    /// <summary>Marketing declined it.</summary>
    Declined = 2,
}

/// <summary>A rep's idea for new material, or a change to an item, with the deal or segment it would have helped.</summary>
/// <param name="Id">The suggestion's id.</param>
/// <param name="Rep">The rep who made it.</param>
/// <param name="Text">What the rep asks for.</param>
/// <param name="SuggestedAt">When.</param>
public sealed record ContentSuggestion(string Id, RepId Rep, string Text, DateTimeOffset SuggestedAt)
{
    /// <summary>The deal it would have helped, when given.</summary>
    public string? DealId { get; init; }

    /// <summary>The segment it would have helped, when given.</summary>
    public SegmentId? Segment { get; init; }

    /// <summary>The item it asks to change, or the item drafted from it; <see langword="null"/> otherwise.</summary>
    public string? ItemId { get; init; }

    /// <summary>Where it stands.</summary>
    public ContentSuggestionStatus Status { get; init; }
}
