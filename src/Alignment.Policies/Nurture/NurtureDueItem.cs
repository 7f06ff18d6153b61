using Alignment.Leads;

namespace Alignment.Policies.Nurture;

/// <summary>One enrolment whose next step is due: the answer to "what is due now". Equal when every field is.</summary>
public sealed record NurtureDueItem
{
    /// <summary>Creates the item (stores do).</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="enrolmentId">The enrolment.</param>
    /// <param name="trackId">The track.</param>
    /// <param name="stepIndex">The index of the step that is due.</param>
    /// <param name="dueAt">When it fell due.</param>
    public NurtureDueItem(LeadId leadId, string enrolmentId, string trackId, int stepIndex, DateTimeOffset dueAt)
    {
        LeadId = leadId;
        EnrolmentId = enrolmentId;
        TrackId = trackId;
        StepIndex = stepIndex;
        DueAt = dueAt;
    }

    /// <summary>The lead.</summary>
    public LeadId LeadId { get; }

    /// <summary>The enrolment.</summary>
    public string EnrolmentId { get; }

    /// <summary>The track.</summary>
    public string TrackId { get; }

    /// <summary>The index of the step that is due.</summary>
    public int StepIndex { get; }

    /// <summary>When it fell due.</summary>
    public DateTimeOffset DueAt { get; }
}
