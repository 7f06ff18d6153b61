namespace Alignment.Scoring.Backtesting;

/// <summary>How a qualification threshold (score and minimum grade) performs on the history.</summary>
/// <param name="Score">The minimum score.</param>
/// <param name="MinGrade">The minimum grade (the model's MQL grade).</param>
/// <param name="Mqls">Leads at or above the threshold, open ones included.</param>
/// <param name="DecidedMqls">Decided leads at or above the threshold.</param>
/// <param name="WonMqls">Won leads at or above the threshold.</param>
/// <param name="Precision">Won / decided among MQLs; <see langword="null"/> when no MQL is decided.</param>
/// <param name="Recall">MQLs among won leads; <see langword="null"/> when nothing was won.</param>
/// <param name="MqlsPerMonth">MQLs per calendar month on average over the months the history spans.</param>
/// <param name="PeakMonthMqls">MQLs in the busiest calendar month.</param>
public sealed record ThresholdResult(decimal Score, Grade MinGrade, int Mqls, int DecidedMqls, int WonMqls, double? Precision, double? Recall, double MqlsPerMonth, int PeakMonthMqls);
