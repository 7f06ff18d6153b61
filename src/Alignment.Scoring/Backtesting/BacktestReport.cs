using System.Collections.Immutable;
using Alignment.Scoring.Governance;

namespace Alignment.Scoring.Backtesting;

/// <summary>
/// The result of replaying a history through one model: score distribution, conversion per score band and per grade, ROC AUC,
/// calibration, precision and recall of the MQL threshold, top-decile lift and recommended thresholds. Write it for people with
/// <see cref="ToText"/> or for machines with <see cref="ToJson"/>.
/// </summary>
/// <remarks>Immutable and thread-safe. Create one with <see cref="Backtester.Run"/>.</remarks>
public sealed class BacktestReport
{
    internal BacktestReport() { }

    /// <summary>The model replayed.</summary>
    public required ModelVersionInfo Model { get; init; }

    /// <summary>Every lead replayed.</summary>
    public required int Leads { get; init; }

    /// <summary>Won leads (within the outcome horizon).</summary>
    public required int Won { get; init; }

    /// <summary>Lost leads (within the outcome horizon).</summary>
    public required int Lost { get; init; }

    /// <summary>Disqualified leads (within the outcome horizon).</summary>
    public required int Disqualified { get; init; }

    /// <summary>Open leads, including those closed after the outcome horizon.</summary>
    public required int Open { get; init; }

    /// <summary>Decided leads: won, lost and (unless switched off) disqualified.</summary>
    public required int Decided { get; init; }

    /// <summary>Calendar months (UTC) from the first to the last scoring instant, inclusive.</summary>
    public required int Months { get; init; }

    /// <summary>Won / decided over the whole history; <see langword="null"/> when nothing is decided.</summary>
    public required double? ConversionRate { get; init; }

    /// <summary>Summary statistics of every lead's score; <see langword="null"/> for an empty history.</summary>
    public required ScoreDistribution? Distribution { get; init; }

    /// <summary>Every score band from the lowest to the highest score (empty bands in between included).</summary>
    public required ImmutableArray<OutcomeBucket> ScoreBands { get; init; }

    /// <summary>Every grade that has leads, from A+ down.</summary>
    public required ImmutableArray<OutcomeBucket> GradeBuckets { get; init; }

    /// <summary>
    /// The probability that a won lead outscores a decided non-won lead (ties count one half), computed from average ranks;
    /// <see langword="null"/> without both won and non-won decided leads.
    /// </summary>
    public required double? RocAuc { get; init; }

    /// <summary>Decided leads in about ten bins of increasing score, with their win rates.</summary>
    public required ImmutableArray<CalibrationBin> Calibration { get; init; }

    /// <summary>Win rate of the top 10 % of decided leads by score (leads tied at the cut count in proportion); <see langword="null"/> when nothing is decided.</summary>
    public required double? TopDecileWinRate { get; init; }

    /// <summary><see cref="TopDecileWinRate"/> / <see cref="ConversionRate"/>; <see langword="null"/> when nothing was won.</summary>
    public required double? TopDecileLift { get; init; }

    /// <summary>How the model's own MQL threshold performs.</summary>
    public required ThresholdResult Mql { get; init; }

    /// <summary>The threshold recommended for <see cref="BacktestOptions.CapacityPerMonth"/>; <see langword="null"/> when no capacity was given.</summary>
    public required ThresholdRecommendation? ForCapacity { get; init; }

    /// <summary>The threshold recommended for <see cref="BacktestOptions.TargetPrecision"/>; <see langword="null"/> when no target was given.</summary>
    public required ThresholdRecommendation? ForPrecision { get; init; }

    /// <summary>Writes the report as tables for people.</summary>
    /// <returns>The text; lines end with <c>\n</c>.</returns>
    public string ToText() => BacktestText.Write(this);

    /// <summary>Writes the report as JSON (camelCase; grades as letters; rates as fractions from 0 to 1).</summary>
    /// <param name="indented">Whether to indent.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool indented = true) => GovernanceJsonContext.Write(this, BacktestingJsonContext.Default.BacktestReport, indented);

    /// <summary>Returns <see cref="ToText"/>.</summary>
    /// <returns>The report as text.</returns>
    public override string ToString() => ToText();
}
