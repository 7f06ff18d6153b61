namespace Alignment.Scoring.Backtesting;

/// <summary>How a backtest groups scores and which thresholds it recommends.</summary>
public sealed class BacktestOptions
{
    /// <summary>The width of a score band: bands are [k·width, (k+1)·width) for whole k.</summary>
    /// <value>Defaults to 10 points; positive, in whole hundredths.</value>
    public decimal BandWidth { get; set; } = 10m;

    /// <summary>
    /// Sales capacity: the most MQLs sales can take in any calendar month (UTC, by scoring instant). When set, the report recommends the
    /// lowest score threshold whose busiest month stays within it.
    /// </summary>
    /// <value>Defaults to <see langword="null"/> (no capacity recommendation); otherwise positive.</value>
    public int? CapacityPerMonth { get; set; }

    /// <summary>When set, the report recommends the lowest score threshold whose precision (won / decided MQLs) reaches it.</summary>
    /// <value>Defaults to <see langword="null"/>; otherwise above 0 and at most 1.</value>
    public double? TargetPrecision { get; set; }

    /// <summary>Whether disqualified leads count as decided negatives (like lost); when off they are left out like open leads.</summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool CountDisqualifiedAsDecided { get; set; } = true;

    /// <summary>
    /// When set, a lead counts as decided only if it closed within this many days of its scoring instant (a lead without a close date, or
    /// closed later, counts as open), so that recent and old leads are judged over the same horizon.
    /// </summary>
    /// <value>Defaults to <see langword="null"/> (any close date); otherwise positive.</value>
    public int? OutcomeHorizonDays { get; set; }

    internal List<string> Validate()
    {
        var errors = new List<string>();
        if (BandWidth <= 0 || decimal.Round(BandWidth, 2) != BandWidth)
        {
            errors.Add($"BandWidth must be positive with at most two decimals (found {BandWidth}).");
        }

        if (CapacityPerMonth is <= 0)
        {
            errors.Add($"CapacityPerMonth must be positive (found {CapacityPerMonth}).");
        }

        if (TargetPrecision is double p && !(p > 0 && p <= 1))
        {
            errors.Add($"TargetPrecision must be above 0 and at most 1 (found {p}).");
        }

        if (OutcomeHorizonDays is <= 0)
        {
            errors.Add($"OutcomeHorizonDays must be positive (found {OutcomeHorizonDays}).");
        }

        return errors;
    }
}
