using Alignment.Activities;
using Alignment.Leads;

namespace Alignment.Scoring;

/// <summary>
/// Computes when a lead's score next crosses a qualification threshold with the passage of time alone (decay, windows,
/// inactivity), so a host can wake up at that instant instead of re-scoring every lead every day. The scoring package's
/// models implement it; the hosting package's decay worker depends on this, not on the scoring package.
/// </summary>
/// <remarks>Implementations are thread-safe and deterministic, and agree with <see cref="ILeadScorer.Score"/> to the tick.</remarks>
public interface IScoreCrossingCalculator
{
    /// <summary>
    /// The first instant after <paramref name="from"/> at which the lead's qualification state differs from its state at
    /// <paramref name="from"/>, or <see langword="null"/> when it stays the same up to <paramref name="until"/> (or for ever).
    /// </summary>
    /// <param name="lead">The lead.</param>
    /// <param name="activities">Its activities, as passed to <see cref="ILeadScorer.Score"/>.</param>
    /// <param name="from">Where the search starts.</param>
    /// <param name="until">The last instant to search (inclusive), or <see langword="null"/> for no bound.</param>
    /// <returns>The crossing, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lead"/> is null.</exception>
    /// <exception cref="NotSupportedException">The model cannot tell (for example it has plugin rules whose points change with time).</exception>
    PredictedCrossing? NextCrossing(Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset from, DateTimeOffset? until = null);
}

/// <summary>When a lead's qualification state changes with time alone, and how.</summary>
/// <param name="At">The first instant at which the new state holds.</param>
/// <param name="Crossing">From which state to which.</param>
/// <param name="Score">The total score from <paramref name="At"/> on.</param>
public readonly record struct PredictedCrossing(DateTimeOffset At, ThresholdCrossing Crossing, decimal Score);
