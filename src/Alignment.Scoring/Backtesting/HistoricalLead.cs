using System.Collections.Immutable;
using Alignment.Activities;
using Alignment.Leads;

namespace Alignment.Scoring.Backtesting;

/// <summary>One lead of a backtest history: the lead, when it would have been scored, and what happened to it.</summary>
/// <param name="Lead">The lead as it was when scored.</param>
/// <param name="ScoredAt">The instant the model scores it at; activities after it never count (no look-ahead).</param>
/// <param name="Outcome">What eventually happened.</param>
public sealed record HistoricalLead(Lead Lead, DateTimeOffset ScoredAt, BacktestOutcome Outcome)
{
    /// <summary>When the lead was won, lost or disqualified; <see langword="null"/> when open or unknown.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The lead's activities, at any time (those after <see cref="ScoredAt"/> are ignored by the backtest).</summary>
    /// <value>Defaults to none.</value>
    public ImmutableArray<LeadActivity> Activities { get; init; } = [];

    /// <summary>Compares two historical leads by content, including every activity.</summary>
    /// <param name="other">The other lead.</param>
    /// <returns><see langword="true"/> when both have the same content.</returns>
    public bool Equals(HistoricalLead? other) =>
        other is not null && Lead == other.Lead && ScoredAt == other.ScoredAt && Outcome == other.Outcome && ClosedAt == other.ClosedAt &&
        Activities.SequenceEqual(other.Activities);

    /// <summary>Hashes the lead id and the scoring instant.</summary>
    /// <returns>A hash code consistent with <see cref="Equals(HistoricalLead?)"/>.</returns>
    public override int GetHashCode() => HashCode.Combine(Lead.Id, ScoredAt, Outcome);
}
