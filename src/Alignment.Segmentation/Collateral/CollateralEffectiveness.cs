namespace Alignment.Segmentation.Collateral;

/// <summary>How well an item works, from the usage reps recorded.</summary>
/// <remarks>Immutable.</remarks>
public sealed record CollateralEffectiveness
{
    /// <summary>The item.</summary>
    public required string ItemId { get; init; }

    /// <summary>How many times reps recorded using it.</summary>
    public required int UsageCount { get; init; }

    /// <summary>The number of distinct deals it was used in.</summary>
    public required int Deals { get; init; }

    /// <summary>Of those deals, how many were won.</summary>
    public required int DealsWon { get; init; }

    /// <summary>Of those deals, how many were lost.</summary>
    public required int DealsLost { get; init; }

    /// <summary>Won ÷ (won + lost) over the deals it was used in; <see langword="null"/> while none has closed.</summary>
    public double? WinRate => DealsWon + DealsLost == 0 ? null : (double)DealsWon / (DealsWon + DealsLost);

    /// <summary>The mean rating (1–5) given; <see langword="null"/> when never rated.</summary>
    public required double? AverageRating { get; init; }

    /// <summary>The share of "helpful" answers among the usages that said; <see langword="null"/> when none said.</summary>
    public required double? HelpfulRate { get; init; }

    /// <summary>
    /// The ranking score: the Laplace-smoothed win rate (won + 1) ÷ (won + lost + 2), so an unused item starts at 0.5 and one lucky
    /// deal does not put an item on top. Items are ranked by this score, then <see cref="AverageRating"/> (unrated last), then
    /// <see cref="UsageCount"/>, then id.
    /// </summary>
    public double Score => (DealsWon + 1.0) / (DealsWon + DealsLost + 2.0);
}
