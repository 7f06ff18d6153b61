namespace Alignment.Segmentation.Collateral;

/// <summary>An item offered to a rep, with its rank (1 = send first) and the figures behind it.</summary>
/// <param name="Rank">The rank, from 1.</param>
/// <param name="Item">The item.</param>
/// <param name="Effectiveness">Its effectiveness.</param>
public sealed record RankedCollateral(int Rank, CollateralItem Item, CollateralEffectiveness Effectiveness);
