namespace Alignment.Scoring.Backtesting;

/// <summary>A recommended MQL score threshold for a goal (sales capacity or precision), or why none meets it.</summary>
/// <param name="Goal">The goal, in words (for example <c>at most 200 MQLs a month</c>).</param>
/// <param name="Threshold">How the recommended threshold performs; <see langword="null"/> when no threshold meets the goal.</param>
/// <param name="Reason">Why this threshold (or none) was chosen.</param>
public sealed record ThresholdRecommendation(string Goal, ThresholdResult? Threshold, string Reason);
