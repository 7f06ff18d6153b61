using Alignment.Leads;

namespace Alignment.Scoring;

/// <summary>
/// The leads whose score will cross a threshold with time alone, each with the instant it will: what the decay worker of
/// the hosting package wakes up for. One entry per lead; a lead whose state never changes with time has none.
/// </summary>
/// <remarks>
/// Implementations are thread-safe and shared by every instance of the host. Every change of an entry increases its
/// <see cref="ScoreWatch.Version"/>; <see cref="TryUpdateAsync"/> changes an entry only at the version read, so the worker
/// never overwrites a watch the host set again meanwhile (for example because the lead had a new activity).
/// </remarks>
public interface IScoreWatchStore
{
    /// <summary>Sets a lead's watch (or removes it when <paramref name="wakeAt"/> is <see langword="null"/>), whatever it was.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="state">Its qualification state now, the one the crossing leaves.</param>
    /// <param name="wakeAt">When the state next changes, or <see langword="null"/> for never.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The watch now in force, or <see langword="null"/> when removed.</returns>
    ValueTask<ScoreWatch?> SetAsync(LeadId leadId, QualificationState state, DateTimeOffset? wakeAt, CancellationToken cancellationToken = default);

    /// <summary>Replaces a watch only while it is still at <paramref name="current"/>'s version (removes it when <paramref name="wakeAt"/> is <see langword="null"/>).</summary>
    /// <param name="current">The watch as read.</param>
    /// <param name="state">The state from now on.</param>
    /// <param name="wakeAt">When it next changes, or <see langword="null"/> for never.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when replaced; <see langword="false"/> when the entry changed or went meanwhile.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="current"/> is null.</exception>
    ValueTask<bool> TryUpdateAsync(ScoreWatch current, QualificationState state, DateTimeOffset? wakeAt, CancellationToken cancellationToken = default);

    /// <summary>A lead's watch, or <see langword="null"/>.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The watch, or <see langword="null"/>.</returns>
    ValueTask<ScoreWatch?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default);

    /// <summary>The watches due at <paramref name="asOf"/> (wake time at or before it), earliest first.</summary>
    /// <param name="asOf">The instant.</param>
    /// <param name="maxCount">The most to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The due watches.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is not positive.</exception>
    ValueTask<IReadOnlyList<ScoreWatch>> GetDueAsync(DateTimeOffset asOf, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>The earliest wake time of any watch, or <see langword="null"/> when there is none.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The earliest wake time.</returns>
    ValueTask<DateTimeOffset?> GetNextWakeAsync(CancellationToken cancellationToken = default);
}

/// <summary>A lead's qualification state and when it next changes with time alone.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="State">Its state until <paramref name="WakeAt"/>.</param>
/// <param name="WakeAt">When the state changes (the crossing instant).</param>
/// <param name="Version">Changes (increases) with every change of the entry.</param>
public sealed record ScoreWatch(LeadId LeadId, QualificationState State, DateTimeOffset WakeAt, long Version);
