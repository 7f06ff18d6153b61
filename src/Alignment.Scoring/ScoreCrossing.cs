namespace Alignment.Scoring;

/// <summary>
/// The next instant at which a lead's qualification state changes with the passage of time alone (decay, windows, inactivity,
/// activities dated later coming into force), as computed by <see cref="ScoringModel.NextCrossing"/>.
/// </summary>
/// <remarks>
/// The state is <see cref="ThresholdCrossing.From"/> of <see cref="Crossing"/> on the whole of [from, <see cref="At"/>) and
/// <see cref="ThresholdCrossing.To"/> at <see cref="At"/>: scoring the same lead and activities at <c>At - 1 tick</c> gives the previous state, at <see cref="At"/>
/// exactly <see cref="Score"/>.
/// </remarks>
public readonly record struct ScoreCrossing
{
    internal ScoreCrossing(DateTimeOffset at, QualificationState previousState, LeadScore score)
    {
        At = at;
        Crossing = new ThresholdCrossing(previousState, score.State);
        Score = score;
    }

    /// <summary>The first instant after the search's start at which the state differs from the state at the start, in UTC.</summary>
    public DateTimeOffset At { get; }

    /// <summary>The state before <see cref="At"/> (the state at the search's start) and from <see cref="At"/> on; see <see cref="ThresholdCrossing.IsDown"/>.</summary>
    public ThresholdCrossing Crossing { get; }

    /// <summary>The score at <see cref="At"/>, as <see cref="ScoringModel.Evaluate"/> gives it.</summary>
    public LeadScore Score { get; }
}
