using System.Collections.Immutable;

namespace Alignment.Scoring.Predictive;

/// <summary>
/// The outcome of scoring an open lead with <see cref="PredictiveScorer"/>: a probability with its explanation, or the reason the
/// lead cannot be scored. Being unscorable is a normal outcome (no history yet), not an error.
/// </summary>
public abstract record PredictiveScore
{
    private PredictiveScore()
    {
    }

    /// <summary>Gets the probability when the lead could be scored.</summary>
    /// <param name="probability">The win probability in percent, or 0 when the lead cannot be scored.</param>
    /// <returns><see langword="true"/> when the lead was scored.</returns>
    public bool TryGetProbability(out double probability)
    {
        if (this is Scored scored)
        {
            probability = scored.Probability;
            return true;
        }

        probability = 0;
        return false;
    }

    /// <summary>The lead was scored.</summary>
    /// <param name="Probability">
    /// The win probability in percent: rounded to two decimals and clamped to [0.01, 99.99]; exactly 0 for a lead without a stage and
    /// 100 for a lead in a won stage.
    /// </param>
    /// <param name="Basis">Which frequency rows the probability comes from.</param>
    /// <param name="PriorWon">The smoothed won count W of the first stage (0 for <see cref="PredictiveBasis.NoStage"/> and <see cref="PredictiveBasis.WonStage"/>).</param>
    /// <param name="PriorLost">The smoothed lost count L of the first stage (0 like <paramref name="PriorWon"/>).</param>
    /// <param name="Contributions">Every factor applied, in order: the stage, the fields in configuration order, then the tags.</param>
    public sealed record Scored(
        double Probability,
        PredictiveBasis Basis,
        double PriorWon,
        double PriorLost,
        ImmutableArray<PredictiveContribution> Contributions) : PredictiveScore;

    /// <summary>The lead cannot be scored: there is no usable won/lost history for its team nor globally.</summary>
    /// <param name="Reason">Why, in words a person reads.</param>
    public sealed record Unscorable(string Reason) : PredictiveScore;
}
