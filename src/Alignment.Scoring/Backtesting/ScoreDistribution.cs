namespace Alignment.Scoring.Backtesting;

/// <summary>Summary statistics of the scores of every lead (percentiles by nearest rank).</summary>
/// <param name="Min">The lowest score.</param>
/// <param name="P10">The 10th percentile.</param>
/// <param name="P25">The 25th percentile.</param>
/// <param name="Median">The 50th percentile.</param>
/// <param name="P75">The 75th percentile.</param>
/// <param name="P90">The 90th percentile.</param>
/// <param name="Max">The highest score.</param>
/// <param name="Mean">The mean score, rounded to hundredths.</param>
public sealed record ScoreDistribution(decimal Min, decimal P10, decimal P25, decimal Median, decimal P75, decimal P90, decimal Max, decimal Mean);
