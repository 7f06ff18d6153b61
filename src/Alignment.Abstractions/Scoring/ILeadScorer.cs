using Alignment.Activities;
using Alignment.Leads;

namespace Alignment.Scoring;

/// <summary>Scores leads against the scoring standard both teams agreed on. Other engines (routing, nurture) depend on this, not on the scoring package.</summary>
/// <remarks>Implementations are thread-safe and deterministic: the same lead, activities and instant give the same card.</remarks>
public interface ILeadScorer
{
    /// <summary>Scores one lead with its explanation.</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="activities">The lead's activities; those after <paramref name="asOf"/> never count.</param>
    /// <param name="asOf">The instant to score at (decay and windows are measured back from it).</param>
    /// <returns>The score card.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lead"/> is null.</exception>
    ScoreCard Score(Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset asOf);
}
