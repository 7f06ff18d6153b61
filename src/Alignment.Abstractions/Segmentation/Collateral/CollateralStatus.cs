namespace Alignment.Segmentation.Collateral;

/// <summary>Where a collateral item stands in review.</summary>
public enum CollateralStatus
{
    /// <summary>New or revised, waiting for a sales reviewer: never offered to reps.</summary>
    PendingApproval = 0,

    /// <summary>Approved by a sales reviewer: offered while not expired.</summary>
    Approved = 1,

    /// <summary>Rejected by a sales reviewer: not offered until revised and approved.</summary>
    Rejected = 2,

    /// <summary>Retired by marketing: never offered again.</summary>
    Retired = 3,
}
