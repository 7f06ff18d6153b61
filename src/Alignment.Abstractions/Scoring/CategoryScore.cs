namespace Alignment.Scoring;

/// <summary>The sub-score of one category (for example a product line), after its cap.</summary>
/// <param name="Category">The category's id.</param>
/// <param name="Points">The category's points after its cap.</param>
public readonly record struct CategoryScore(string Category, decimal Points);
