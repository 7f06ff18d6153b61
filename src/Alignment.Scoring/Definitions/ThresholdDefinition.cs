using Alignment.Scoring;

namespace Alignment.Scoring.Definitions;

/// <summary>A qualification threshold: a lead passes when its score is at least <paramref name="Score"/> and its grade at least <paramref name="MinGrade"/>.</summary>
/// <param name="Score">The minimum score.</param>
/// <param name="MinGrade">The minimum grade.</param>
public sealed record ThresholdDefinition(decimal Score, Grade MinGrade);
