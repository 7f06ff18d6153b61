using System.Globalization;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Scoring;

namespace Alignment.Policies.Nurture;

/// <summary>
/// What the nurture engine did with one lead, and why. A closed set: one nested type per kind (no other type can derive from
/// it), and every one carries the lead, the instant and an explanation a marketer and a rep can both read.
/// </summary>
public abstract class NurtureOutcome
{
    private NurtureOutcome(LeadId leadId, DateTimeOffset at, string explanation)
    {
        ArgumentNullException.ThrowIfNull(explanation);
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

    /// <summary>The kind, the lead, the instant and the explanation, for logs.</summary>
    /// <returns>For example <c>Paused lead-1 at 2026-03-02T09:00:00.0000000+00:00: quiet period until ...</c>.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{GetType().Name} {LeadId} at {At:O}: {Explanation}");

    /// <summary>The lead was put on a track (or confirmed on the one it is on).</summary>
    public sealed class Enrolled : NurtureOutcome
    {
        /// <summary>Creates the value (the engine does; hosts read it).</summary>
        /// <param name="enrolment">The enrolment in force.</param>
        /// <param name="why">Why this track (the <see cref="Explanation"/>).</param>
        internal Enrolled(NurtureEnrolmentRecord enrolment, string why)
            : base((enrolment ?? throw new ArgumentNullException(nameof(enrolment))).LeadId, enrolment.EnrolledAt, why)
        {
            Enrolment = enrolment;
        }

        /// <summary>The enrolment in force.</summary>
        public NurtureEnrolmentRecord Enrolment { get; }
    }

    /// <summary>A step was carried out (or found already carried out before a restart, and not repeated).</summary>
    public sealed class StepSent : NurtureOutcome
    {
        /// <summary>Creates the value (the engine does; hosts read it).</summary>
        /// <param name="sent">The sent step; its explanation is the outcome's.</param>
        /// <param name="repeated"><see langword="true"/> when the step had already been recorded as sent and was not handed over again.</param>
        internal StepSent(NurtureSentStep sent, bool repeated)
            : base((sent ?? throw new ArgumentNullException(nameof(sent))).LeadId, sent.SentAt, sent.Explanation)
        {
            Sent = sent;
            Repeated = repeated;
        }

        /// <summary>The sent step.</summary>
        public NurtureSentStep Sent { get; }

        /// <summary><see langword="true"/> when the step had already been recorded as sent and was not handed over again.</summary>
        public bool Repeated { get; }
    }

    /// <summary>A step was skipped because no fresh, approved collateral fits it.</summary>
    public sealed class StepSkipped : NurtureOutcome
    {
        /// <summary>Creates the value (the engine does; hosts read it).</summary>
        /// <param name="lead">The lead.</param>
        /// <param name="trackId">The track.</param>
        /// <param name="stepId">The step.</param>
        /// <param name="when">When.</param>
        /// <param name="why">Why.</param>
        internal StepSkipped(LeadId lead, string trackId, string stepId, DateTimeOffset when, string why)
            : base(lead, when, why)
        {
            TrackId = trackId;
            StepId = stepId;
        }

        /// <summary>The track.</summary>
        public string TrackId { get; }

        /// <summary>The step skipped.</summary>
        public string StepId { get; }
    }

    /// <summary>A step was postponed (quiet period, lead data unavailable).</summary>
    public sealed class Paused : NurtureOutcome
    {
        /// <summary>Creates the value (the engine does; hosts read it).</summary>
        /// <param name="lead">The lead.</param>
        /// <param name="trackId">The track.</param>
        /// <param name="until">When the step is due again.</param>
        /// <param name="when">When.</param>
        /// <param name="why">Why.</param>
        internal Paused(LeadId lead, string trackId, DateTimeOffset until, DateTimeOffset when, string why)
            : base(lead, when, why)
        {
            TrackId = trackId;
            Until = until;
        }

        /// <summary>The track.</summary>
        public string TrackId { get; }

        /// <summary>When the step is due again.</summary>
        public DateTimeOffset Until { get; }
    }

    /// <summary>Contact stopped (unsubscribed, bounced); the lead stays on record, with marketing, on its track.</summary>
    public sealed class ContactStopped : NurtureOutcome
    {
        /// <summary>Creates the value (the engine does; hosts read it).</summary>
        /// <param name="lead">The lead.</param>
        /// <param name="trackId">The track.</param>
        /// <param name="when">When.</param>
        /// <param name="why">Why.</param>
        internal ContactStopped(LeadId lead, string trackId, DateTimeOffset when, string why)
            : base(lead, when, why)
        {
            TrackId = trackId;
        }

        /// <summary>The track the lead stays on.</summary>
        public string TrackId { get; }
    }

    /// <summary>The lead moved to another track (exhausted, time up, replaced by a higher-priority track).</summary>
    public sealed class TrackChanged : NurtureOutcome
    {
        /// <summary>Creates the value (the engine does; hosts read it).</summary>
        /// <param name="lead">The lead.</param>
        /// <param name="fromTrack">The track left.</param>
        /// <param name="toTrack">The track entered.</param>
        /// <param name="when">When.</param>
        /// <param name="why">Why.</param>
        internal TrackChanged(LeadId lead, string fromTrack, string toTrack, DateTimeOffset when, string why)
            : base(lead, when, why)
        {
            FromTrack = fromTrack;
            ToTrack = toTrack;
        }

        /// <summary>The track left.</summary>
        public string FromTrack { get; }

        /// <summary>The track entered.</summary>
        public string ToTrack { get; }
    }

    /// <summary>The score crossed the MQL threshold: the lead left nurture and went back to handoff.</summary>
    public sealed class ExitedToHandoff : NurtureOutcome
    {
        /// <summary>Creates the value (the engine does; hosts read it).</summary>
        /// <param name="lead">The lead.</param>
        /// <param name="trackId">The track left.</param>
        /// <param name="score">The score card that crossed.</param>
        /// <param name="handoff">The routing decision, when a handoff policy is configured.</param>
        /// <param name="when">When.</param>
        /// <param name="why">Why.</param>
        internal ExitedToHandoff(LeadId lead, string trackId, ScoreCard score, HandoffDecision? handoff, DateTimeOffset when, string why)
            : base(lead, when, why)
        {
            TrackId = trackId;
            Score = score;
            Handoff = handoff;
        }

        /// <summary>The track left.</summary>
        public string TrackId { get; }

        /// <summary>The score card that crossed.</summary>
        public ScoreCard Score { get; }

        /// <summary>The routing decision, when a handoff policy is configured.</summary>
        public HandoffDecision? Handoff { get; }
    }

    /// <summary>The enrolment ended because the lead left marketing another way (disqualified, or sales holds it).</summary>
    public sealed class Ended : NurtureOutcome
    {
        /// <summary>Creates the value (the engine does; hosts read it).</summary>
        /// <param name="lead">The lead.</param>
        /// <param name="trackId">The track left.</param>
        /// <param name="stage">The lead's lifecycle stage.</param>
        /// <param name="when">When.</param>
        /// <param name="why">Why.</param>
        internal Ended(LeadId lead, string trackId, LifecycleStage stage, DateTimeOffset when, string why)
            : base(lead, when, why)
        {
            TrackId = trackId;
            Stage = stage;
        }

        /// <summary>The track left.</summary>
        public string TrackId { get; }

        /// <summary>The lead's lifecycle stage.</summary>
        public LifecycleStage Stage { get; }
    }
}
