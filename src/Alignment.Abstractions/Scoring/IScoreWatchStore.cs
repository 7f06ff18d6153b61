using Alignment.Decisions;
using Alignment.Leads;

namespace Alignment.Scoring;

/// <summary>
/// The leads whose score will cross a threshold with time alone, each with the instant it will: what the decay worker of
/// the hosting package wakes up for. One entry per lead; a lead whose state never changes with time, and that is owed no
/// action, has none.
/// </summary>
/// <remarks>
/// Implementations are thread-safe and shared by every instance of the host. Every change of an entry increases its
/// <see cref="ScoreWatch.Version"/>; <see cref="TryUpdateAsync"/> changes an entry only at the version read, so two writers that
/// read the same watch (the decay worker and a <c>WatchAsync</c> for a new activity) never both move it: one wins, and only the
/// winner's crossings are recorded or published.
/// </remarks>
public interface IScoreWatchStore
{
    /// <summary>
    /// Whether the store writes the <see cref="ScoreWatchUpdate.Crossings"/> of every update it applies into an
    /// <see cref="IDecisionOutbox"/>, in the same unit of work as the update (key <c>score-crossed:{lead}:{ticks}</c>, the UTC
    /// ticks of <see cref="AlignmentDecision.ScoreCrossed.CrossedAt"/>: the lead and that instant identify a crossing). When
    /// <see langword="true"/>, the decay watcher publishes no crossing itself: a <see cref="DecisionRelay"/> delivers them.
    /// <see langword="false"/> by default.
    /// </summary>
    bool RecordsDecisions => false;

    /// <summary>
    /// Sets a lead's plain watch (or removes it when <paramref name="crossingAt"/> is <see langword="null"/>), whatever it was,
    /// including an owed action and a due crossing. The decay watcher uses it only for a lead without a watch; to change a watch
    /// it read, use <see cref="TryUpdateAsync"/>.
    /// </summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="state">Its qualification state now, the one the crossing leaves.</param>
    /// <param name="crossingAt">When the state next changes, or <see langword="null"/> for never.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The watch now in force (no action owed, no retry), or <see langword="null"/> when removed.</returns>
    ValueTask<ScoreWatch?> SetAsync(LeadId leadId, QualificationState state, DateTimeOffset? crossingAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a watch only while it is still at <paramref name="current"/>'s version, with the crossings the move records
    /// (see <see cref="RecordsDecisions"/>) in the same unit of work. The entry is removed when the update has neither a
    /// <see cref="ScoreWatchUpdate.CrossingAt"/> nor a <see cref="ScoreWatchUpdate.RetryAt"/>.
    /// </summary>
    /// <param name="current">The watch as read.</param>
    /// <param name="update">What the watch becomes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when replaced (and its crossings recorded); <see langword="false"/> when the entry changed or went meanwhile (nothing is written).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="current"/> or <paramref name="update"/> is null, or its crossings are.</exception>
    /// <exception cref="ArgumentException">A crossing is of another lead than <paramref name="current"/>'s.</exception>
    ValueTask<bool> TryUpdateAsync(ScoreWatch current, ScoreWatchUpdate update, CancellationToken cancellationToken = default);

    /// <summary>A lead's watch, or <see langword="null"/>.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The watch, or <see langword="null"/>.</returns>
    ValueTask<ScoreWatch?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default);

    /// <summary>The watches due at <paramref name="asOf"/> (<see cref="ScoreWatch.WakeAt"/> at or before it), earliest first.</summary>
    /// <param name="asOf">The instant.</param>
    /// <param name="maxCount">The most to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The due watches.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is not positive.</exception>
    ValueTask<IReadOnlyList<ScoreWatch>> GetDueAsync(DateTimeOffset asOf, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>The earliest <see cref="ScoreWatch.WakeAt"/> of any watch, or <see langword="null"/> when there is none.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The earliest wake time.</returns>
    ValueTask<DateTimeOffset?> GetNextWakeAsync(CancellationToken cancellationToken = default);
}
