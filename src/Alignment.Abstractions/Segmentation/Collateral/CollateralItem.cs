using System.Collections.Immutable;

namespace Alignment.Segmentation.Collateral;

/// <summary>A governed piece of collateral: who owns it, when it was created and last reviewed, when it expires, and its approval.</summary>
/// <remarks>Immutable; the library (<c>CollateralLibrary</c>) returns a new instance for every change, and an <see cref="IContentStore"/> keeps it with its <see cref="History"/>.</remarks>
public sealed record CollateralItem
{
    /// <summary>The item id (stable across revisions).</summary>
    public required string Id { get; init; }

    /// <summary>The title reps see.</summary>
    public required string Title { get; init; }

    /// <summary>Who in marketing owns it.</summary>
    public required string Owner { get; init; }

    /// <summary>The kind of item, when given.</summary>
    public string? Kind { get; init; }

    /// <summary>Where the item lives, when given.</summary>
    public Uri? Location { get; init; }

    /// <summary>The segments it is for.</summary>
    public required ImmutableArray<SegmentId> Segments { get; init; }

    /// <summary>The revision, 1 for a new item.</summary>
    public required int Revision { get; init; }

    /// <summary>When the item was first added.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last reviewed (or revised).</summary>
    public required DateTimeOffset LastReviewedAt { get; init; }

    /// <summary>When it expires: by default 12 months after <see cref="LastReviewedAt"/>. From then on it is never offered.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Where it stands in review.</summary>
    public required CollateralStatus Status { get; init; }

    /// <summary>The sales reviewer who approved or rejected the current revision.</summary>
    public string? ReviewedBy { get; init; }

    /// <summary>When the current revision was approved, when it was.</summary>
    public DateTimeOffset? ApprovedAt { get; init; }

    /// <summary>Why the current revision was rejected, when it was.</summary>
    public string? RejectionReason { get; init; }

    /// <summary>Everything that happened to the item, oldest first: creation, revisions, sales reviews, re-reviews, retirement.</summary>
    public ImmutableArray<CollateralHistoryEntry> History { get; init; } = [];

    /// <summary>Whether the item has expired at <paramref name="now"/>.</summary>
    /// <param name="now">The instant.</param>
    /// <returns><see langword="true"/> from <see cref="ExpiresAt"/> on.</returns>
    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>Whether a rep may be offered the item at <paramref name="now"/>: approved and not expired.</summary>
    /// <param name="now">The instant.</param>
    /// <returns><see langword="true"/> when offered.</returns>
    public bool IsOffered(DateTimeOffset now) => Status == CollateralStatus.Approved && !IsExpired(now);
}
