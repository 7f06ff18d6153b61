using Alignment.Leads;

namespace Alignment.Policies.Nurture;

/// <summary>One enrolment whose next step is due: the answer to "what is due now".</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="EnrolmentId">The enrolment.</param>
/// <param name="TrackId">The track.</param>
/// <param name="StepIndex">The index of the step that is due.</param>
/// <param name="DueAt">When it fell due.</param>
public sealed record NurtureDueItem(LeadId LeadId, string EnrolmentId, string TrackId, int StepIndex, DateTimeOffset DueAt);
