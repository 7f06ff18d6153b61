using Alignment.Decisions;
using Alignment.Leads;

namespace Alignment.Scoring;

/// <summary>
/// A lead's qualification state, when it next changes with time alone, and the action still owed for crossings already
/// recorded (putting the lead back on nurture, or letting it leave its track), with when to try that again.
/// </summary>
/// <param name="LeadId">The lead.</param>
/// <param name="State">Its state until <paramref name="CrossingAt"/>.</param>
/// <param name="CrossingAt">When the state changes (the crossing instant), or <see langword="null"/> for never.</param>
/// <param name="Version">Changes (increases) with every change of the entry.</param>
public sealed record ScoreWatch(LeadId LeadId, QualificationState State, DateTimeOffset? CrossingAt, long Version)
{
    /// <summary>
    /// The state before the crossings whose action is not done yet (the lead's state changed from it to <see cref="State"/>), or
    /// <see langword="null"/> when no action is owed. The crossings themselves are already recorded or published.
    /// </summary>
    public QualificationState? OwedFrom { get; init; }

    /// <summary>
    /// When to try again what is not done: the owed action, or a pass that failed before it moved the watch; <see langword="null"/>
    /// for nothing to retry. A retry never changes <see cref="CrossingAt"/>, so a crossing is reported at its own instant.
    /// </summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>
    /// When the decay worker next handles the watch: <see cref="RetryAt"/> when set (a crossing due before it is handled then, still
    /// reported at its own instant), otherwise <see cref="CrossingAt"/> (a stored watch has at least one;
    /// <see cref="DateTimeOffset.MaxValue"/> when neither is set).
    /// </summary>
    public DateTimeOffset WakeAt => RetryAt ?? CrossingAt ?? DateTimeOffset.MaxValue;
}

/// <summary>What a watch becomes (<see cref="IScoreWatchStore.TryUpdateAsync"/>).</summary>
/// <param name="State">The state from now on.</param>
/// <param name="CrossingAt">When it next changes, or <see langword="null"/> for never.</param>
public sealed record ScoreWatchUpdate(QualificationState State, DateTimeOffset? CrossingAt)
{
    /// <summary>The state before the crossings whose action is still owed (<see cref="ScoreWatch.OwedFrom"/>); give it a <see cref="RetryAt"/>.</summary>
    public QualificationState? OwedFrom { get; init; }

    /// <summary>When to try again what is not done (<see cref="ScoreWatch.RetryAt"/>), or <see langword="null"/>.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>
    /// The crossings of the watch's lead this move publishes, in order: a store that <see cref="IScoreWatchStore.RecordsDecisions">records
    /// decisions</see> writes them with the update, others ignore them. Empty by default.
    /// </summary>
    public IReadOnlyList<AlignmentDecision.ScoreCrossed> Crossings { get; init; } = [];

    /// <summary>The update that keeps <paramref name="watch"/> as it is (state, crossing, owed action and retry), for <c>with</c> changes.</summary>
    /// <param name="watch">The watch.</param>
    /// <returns>The update.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="watch"/> is null.</exception>
    public static ScoreWatchUpdate Keep(ScoreWatch watch)
    {
        ArgumentNullException.ThrowIfNull(watch);
        return new ScoreWatchUpdate(watch.State, watch.CrossingAt) { OwedFrom = watch.OwedFrom, RetryAt = watch.RetryAt };
    }

    /// <summary>Checks the update against the watch it replaces (for stores): crossings present and all of that lead.</summary>
    /// <param name="current">The watch as read.</param>
    /// <exception cref="ArgumentNullException"><paramref name="current"/> or <see cref="Crossings"/> is null, or a crossing is.</exception>
    /// <exception cref="ArgumentException">A crossing is of another lead.</exception>
    public void Validate(ScoreWatch current)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(Crossings, "update.Crossings");
        foreach (var c in Crossings)
        {
            ArgumentNullException.ThrowIfNull(c, "update.Crossings");
            if (c.Lead != current.LeadId)
            {
                throw new ArgumentException($"A crossing of lead '{c.Lead.Value}' cannot be recorded with the watch of lead '{current.LeadId.Value}'.", nameof(current));
            }
        }
    }
}
