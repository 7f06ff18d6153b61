using Alignment.Activities;
using Alignment.Leads;

namespace Alignment.Scoring.Backtesting;

/// <summary>Collects the leads of a <see cref="BacktestHistory"/> one at a time, without a collection per lead.</summary>
/// <remarks>Not thread-safe. After <see cref="Build"/> the builder can no longer be used.</remarks>
public sealed class BacktestHistoryBuilder
{
    private readonly List<Lead> _leads = [];
    private readonly List<DateTimeOffset> _scoredAt = [];
    private readonly List<BacktestOutcome> _outcomes = [];
    private readonly List<DateTimeOffset?> _closedAt = [];
    private readonly List<LeadActivity> _activities = [];
    private readonly List<int> _offsets = [0];
    private bool _built;

    /// <summary>The number of leads added so far.</summary>
    public int Count => _leads.Count;

    /// <summary>Adds a lead.</summary>
    /// <param name="lead">The lead as it was when scored.</param>
    /// <param name="scoredAt">When the model scores it; later activities never count.</param>
    /// <param name="outcome">What eventually happened.</param>
    /// <param name="closedAt">When it was won, lost or disqualified; <see langword="null"/> when open or unknown.</param>
    /// <param name="activities">Its activities, at any time.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lead"/> is null.</exception>
    /// <exception cref="ArgumentException">The outcome is undefined, or the lead closed before it was scored.</exception>
    /// <exception cref="InvalidOperationException"><see cref="Build"/> was called.</exception>
    public BacktestHistoryBuilder Add(Lead lead, DateTimeOffset scoredAt, BacktestOutcome outcome, DateTimeOffset? closedAt, ReadOnlySpan<LeadActivity> activities)
    {
        ArgumentNullException.ThrowIfNull(lead);
        if (_built)
        {
            throw new InvalidOperationException("The history was already built; use a new builder.");
        }

        if (!Enum.IsDefined(outcome))
        {
            throw new ArgumentException($"Lead {lead.Id}: outcome {(int)outcome} is not defined.", nameof(outcome));
        }

        if (closedAt is DateTimeOffset closed && closed < scoredAt)
        {
            throw new ArgumentException($"Lead {lead.Id}: it closed ({closed:O}) before it was scored ({scoredAt:O}); the backtest would look ahead.", nameof(closedAt));
        }

        _leads.Add(lead);
        _scoredAt.Add(scoredAt);
        _outcomes.Add(outcome);
        _closedAt.Add(closedAt);
        _activities.AddRange(activities);
        _offsets.Add(_activities.Count);
        return this;
    }

    /// <summary>Creates the history.</summary>
    /// <returns>The history, in the order the leads were added.</returns>
    /// <exception cref="InvalidOperationException">Called twice.</exception>
    public BacktestHistory Build()
    {
        if (_built)
        {
            throw new InvalidOperationException("The history was already built; use a new builder.");
        }

        _built = true;
        return new BacktestHistory([.. _leads], [.. _scoredAt], [.. _outcomes], [.. _closedAt], [.. _activities], [.. _offsets]);
    }
}
