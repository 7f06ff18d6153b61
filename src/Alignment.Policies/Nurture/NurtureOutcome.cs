using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Scoring;

namespace Alignment.Policies.Nurture;

/// <summary>What the nurture engine did with one lead, and why. A closed set: one nested type per kind; every one carries an explanation.</summary>
public abstract record NurtureOutcome
{
    private NurtureOutcome(LeadId leadId, DateTimeOffset at, string explanation)
    {
        LeadId = leadId;
        At = at;
        Explanation = explanation;
    }

    /// <summary>The lead.</summary>
    public LeadId LeadId { get; }

    /// <summary>When.</summary>
    public DateTimeOffset At { get; }

    /// <summary>Why, in words a marketer and a rep can both read.</summary>
    public string Explanation { get; }

    /// <summary>The lead was put on a track (or confirmed on the one it is on).</summary>
    /// <param name="Enrolment">The enrolment in force.</param>
    /// <param name="Why">Why this track.</param>
    public sealed record Enrolled(NurtureEnrolmentRecord Enrolment, string Why) : NurtureOutcome(Enrolment.LeadId, Enrolment.EnrolledAt, Why);

    /// <summary>A step was carried out (or found already carried out before a restart, and not repeated).</summary>
    /// <param name="Sent">The sent step.</param>
    /// <param name="Repeated"><see langword="true"/> when the step had already been recorded as sent and was not handed over again.</param>
    public sealed record StepSent(NurtureSentStep Sent, bool Repeated) : NurtureOutcome(Sent.LeadId, Sent.SentAt, Sent.Explanation);

    /// <summary>A step was skipped because no fresh, approved collateral fits it.</summary>
    /// <param name="Lead">The lead.</param>
    /// <param name="TrackId">The track.</param>
    /// <param name="StepId">The step.</param>
    /// <param name="When">When.</param>
    /// <param name="Why">Why.</param>
    public sealed record StepSkipped(LeadId Lead, string TrackId, string StepId, DateTimeOffset When, string Why) : NurtureOutcome(Lead, When, Why);

    /// <summary>A step was postponed (quiet period, lead data unavailable).</summary>
    /// <param name="Lead">The lead.</param>
    /// <param name="TrackId">The track.</param>
    /// <param name="Until">When the step is due again.</param>
    /// <param name="When">When.</param>
    /// <param name="Why">Why.</param>
    public sealed record Paused(LeadId Lead, string TrackId, DateTimeOffset Until, DateTimeOffset When, string Why) : NurtureOutcome(Lead, When, Why);

    /// <summary>Contact stopped (unsubscribed, bounced); the lead stays on record, with marketing, on its track.</summary>
    /// <param name="Lead">The lead.</param>
    /// <param name="TrackId">The track.</param>
    /// <param name="When">When.</param>
    /// <param name="Why">Why.</param>
    public sealed record ContactStopped(LeadId Lead, string TrackId, DateTimeOffset When, string Why) : NurtureOutcome(Lead, When, Why);

    /// <summary>The lead moved to another track (exhausted, time up, replaced by a higher-priority track).</summary>
    /// <param name="Lead">The lead.</param>
    /// <param name="FromTrack">The track left.</param>
    /// <param name="ToTrack">The track entered.</param>
    /// <param name="When">When.</param>
    /// <param name="Why">Why.</param>
    public sealed record TrackChanged(LeadId Lead, string FromTrack, string ToTrack, DateTimeOffset When, string Why) : NurtureOutcome(Lead, When, Why);

    /// <summary>The score crossed the MQL threshold: the lead left nurture and went back to handoff.</summary>
    /// <param name="Lead">The lead.</param>
    /// <param name="TrackId">The track left.</param>
    /// <param name="Score">The score card that crossed.</param>
    /// <param name="Handoff">The routing decision, when a handoff policy is configured.</param>
    /// <param name="When">When.</param>
    /// <param name="Why">Why.</param>
    public sealed record ExitedToHandoff(LeadId Lead, string TrackId, ScoreCard Score, HandoffDecision? Handoff, DateTimeOffset When, string Why) : NurtureOutcome(Lead, When, Why);

    /// <summary>The enrolment ended because the lead left marketing another way (disqualified, or sales holds it).</summary>
    /// <param name="Lead">The lead.</param>
    /// <param name="TrackId">The track left.</param>
    /// <param name="Stage">The lead's lifecycle stage.</param>
    /// <param name="When">When.</param>
    /// <param name="Why">Why.</param>
    public sealed record Ended(LeadId Lead, string TrackId, LifecycleStage Stage, DateTimeOffset When, string Why) : NurtureOutcome(Lead, When, Why);
}
