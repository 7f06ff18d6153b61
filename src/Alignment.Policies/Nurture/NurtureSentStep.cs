using Alignment.Leads;
using Alignment.Decisions;
using Alignment.Models;

namespace Alignment.Policies.Nurture;

/// <summary>The record that a step was sent: written once per (enrolment, step), so that a step is never sent twice.</summary>
/// <param name="EnrolmentId">The enrolment.</param>
/// <param name="LeadId">The lead.</param>
/// <param name="TrackId">The track.</param>
/// <param name="StepIndex">The step's index.</param>
/// <param name="StepId">The step's id.</param>
/// <param name="Kind">What the step did.</param>
/// <param name="ContentId">The collateral sent, if any.</param>
/// <param name="SentAt">When it was handed to the step handler.</param>
/// <param name="Explanation">Why this step and this collateral.</param>
public sealed record NurtureSentStep(string EnrolmentId, LeadId LeadId, string TrackId, int StepIndex, string StepId, NurtureStepKind Kind, string? ContentId, DateTimeOffset SentAt, string Explanation)
{
    /// <summary>The idempotency key of the step: <c>{enrolment}/{step index}</c>.</summary>
    public string IdempotencyKey => $"{EnrolmentId}/{StepIndex}";

    /// <summary>
    /// The nurture policy the step was carried out under (id, version, content hash): the policy active for the lead's tenant when the
    /// step began, which may be later than the one that chose the track; <see langword="null"/> for a step recorded before policies were hashed.
    /// </summary>
    public ModelReference? Policy { get; init; }

    /// <summary>The step's <see cref="AlignmentDecision.NurtureStepSent"/>, with its policy.</summary>
    /// <returns>The decision.</returns>
    public AlignmentDecision.NurtureStepSent ToDecision() => new(LeadId, EnrolmentId, TrackId, StepIndex, StepId, ContentId, SentAt, Explanation) { Policy = Policy };
}
