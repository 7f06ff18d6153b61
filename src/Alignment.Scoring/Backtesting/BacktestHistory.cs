using Alignment.Activities;
using Alignment.Leads;

namespace Alignment.Scoring.Backtesting;

/// <summary>
/// The leads a backtest replays, stored column by column (leads, scoring instants, outcomes, close dates, and every activity in one
/// flat array) so that a million leads cost a few arrays, not a million collections. Build one with <see cref="BacktestHistoryBuilder"/>
/// or <see cref="Create"/>.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class BacktestHistory
{
    internal BacktestHistory(Lead[] leads, DateTimeOffset[] scoredAt, BacktestOutcome[] outcomes, DateTimeOffset?[] closedAt, LeadActivity[] activities, int[] offsets)
    {
        Leads = leads;
        ScoredAt = scoredAt;
        Outcomes = outcomes;
        ClosedAt = closedAt;
        Activities = activities;
        Offsets = offsets;
    }

    /// <summary>The number of leads.</summary>
    public int Count => Leads.Length;

    internal Lead[] Leads { get; }

    internal DateTimeOffset[] ScoredAt { get; }

    internal BacktestOutcome[] Outcomes { get; }

    internal DateTimeOffset?[] ClosedAt { get; }

    internal LeadActivity[] Activities { get; }

    internal int[] Offsets { get; }

    /// <summary>Builds a history from lead records.</summary>
    /// <param name="leads">The leads.</param>
    /// <returns>The history, in the same order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="leads"/> is null.</exception>
    /// <exception cref="ArgumentException">A record is null, or one is closed before it is scored.</exception>
    public static BacktestHistory Create(IEnumerable<HistoricalLead> leads)
    {
        ArgumentNullException.ThrowIfNull(leads);
        var builder = new BacktestHistoryBuilder();
        foreach (var h in leads)
        {
            if (h is null)
            {
                throw new ArgumentException($"The record at index {builder.Count} is null.", nameof(leads));
            }

            builder.Add(h.Lead, h.ScoredAt, h.Outcome, h.ClosedAt, h.Activities.AsSpan());
        }

        return builder.Build();
    }

    /// <summary>The lead at an index.</summary>
    /// <param name="index">The index, in the order the leads were added.</param>
    /// <returns>The lead, its scoring instant, outcome, close date and activities.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the history.</exception>
    public HistoricalLead this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return new HistoricalLead(Leads[index], ScoredAt[index], Outcomes[index])
            {
                ClosedAt = ClosedAt[index],
                Activities = [.. GetActivities(index)],
            };
        }
    }

    internal ReadOnlySpan<LeadActivity> GetActivities(int index) => Activities.AsSpan(Offsets[index], Offsets[index + 1] - Offsets[index]);
}
