using Alignment.Scoring.Governance;

namespace Alignment.Scoring.Backtesting;

/// <summary>Two models replayed on the same history, side by side, so the teams can choose with data.</summary>
/// <remarks>Immutable and thread-safe. Create one with <see cref="Backtester.Compare"/>.</remarks>
public sealed class BacktestComparison
{
    internal BacktestComparison(BacktestReport baseline, BacktestReport candidate)
    {
        Baseline = baseline;
        Candidate = candidate;
    }

    /// <summary>The current model's report.</summary>
    public BacktestReport Baseline { get; }

    /// <summary>The proposed model's report.</summary>
    public BacktestReport Candidate { get; }

    /// <summary>Writes the key metrics side by side, then each report's tables.</summary>
    /// <returns>The text; lines end with <c>\n</c>.</returns>
    public string ToText() => BacktestText.Write(this);

    /// <summary>Writes both reports as JSON: <c>{"baseline": …, "candidate": …}</c>.</summary>
    /// <param name="indented">Whether to indent.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool indented = true) => GovernanceJsonContext.Write(this, BacktestingJsonContext.Default.BacktestComparison, indented);

    /// <summary>Returns <see cref="ToText"/>.</summary>
    /// <returns>The comparison as text.</returns>
    public override string ToString() => ToText();
}
