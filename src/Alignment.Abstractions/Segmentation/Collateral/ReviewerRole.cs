namespace Alignment.Segmentation.Collateral;

/// <summary>The team a reviewer speaks for.</summary>
public enum ReviewerRole
{
    /// <summary>Marketing, which writes collateral; it cannot approve its own items for sale.</summary>
    Marketing = 0,

    /// <summary>Sales, which uses collateral; only a sales reviewer approves an item.</summary>
    Sales = 1,
}
