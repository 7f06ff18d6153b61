namespace Alignment.Segmentation.Collateral;

/// <summary>What happened to a collateral item.</summary>
public enum CollateralEventKind
{
    /// <summary>Added (revision 1), pending approval.</summary>
    Created = 0,

    /// <summary>Revised by marketing: a new revision, pending approval.</summary>
    Revised = 1,

    /// <summary>Approved by a sales reviewer.</summary>
    Approved = 2,

    /// <summary>Sent back by a sales reviewer, with a reason.</summary>
    SentBack = 3,

    /// <summary>Re-reviewed and found still right: the expiry moves out.</summary>
    Reviewed = 4,

    /// <summary>Retired for good, with a reason when given.</summary>
    Retired = 5,

    /// <summary>
    /// Expired: its expiry (months after its last review) passed without a new review, so it is no longer offered; noted at the
    /// expiry instant by <c>CollateralLibrary.ExpireDue</c>. A later review brings it back.
    /// </summary>
    Expired = 6,
}

/// <summary>One entry of a collateral item's history.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Revision">The revision it happened to.</param>
/// <param name="At">When.</param>
/// <param name="By">Who (the reviewer, the owner or the person who retired it), when known.</param>
/// <param name="Reason">Why (the reason an item was sent back or retired), when given.</param>
public sealed record CollateralHistoryEntry(CollateralEventKind Kind, int Revision, DateTimeOffset At, string? By = null, string? Reason = null);
