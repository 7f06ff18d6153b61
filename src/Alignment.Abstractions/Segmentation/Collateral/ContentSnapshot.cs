using System.Collections.Immutable;

namespace Alignment.Segmentation.Collateral;

/// <summary>The collateral of one tenant as an <see cref="IContentStore"/> keeps it.</summary>
/// <param name="Items">The items with their history, in id order (ordinal).</param>
/// <param name="Usages">The usages, in the order they were recorded.</param>
/// <param name="Deals">The outcome of each deal, in deal id order (ordinal).</param>
/// <param name="Suggestions">The reps' suggestions, in id order (ordinal).</param>
public sealed record ContentSnapshot(
    ImmutableArray<CollateralItem> Items,
    ImmutableArray<CollateralUsage> Usages,
    ImmutableArray<KeyValuePair<string, DealOutcome>> Deals,
    ImmutableArray<ContentSuggestion> Suggestions)
{
    /// <summary>A tenant with nothing stored.</summary>
    public static ContentSnapshot Empty { get; } = new([], [], [], []);
}
