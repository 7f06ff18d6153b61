namespace Alignment.Segmentation.Collateral;

/// <summary>How a deal ended, as far as is known.</summary>
public enum DealOutcome
{
    /// <summary>Still open; not counted in win rates.</summary>
    Open = 0,

    /// <summary>Won.</summary>
    Won = 1,

    /// <summary>Lost.</summary>
    Lost = 2,
}
