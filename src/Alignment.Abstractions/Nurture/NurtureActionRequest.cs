using Alignment.Leads;

namespace Alignment.Nurture;

/// <summary>One nurture step handed to an <see cref="INurtureStepAction"/>.</summary>
/// <param name="IdempotencyKey">The step's stable key: the same step always carries the same key, so the plugin can drop a repeat after a crash.</param>
/// <param name="Lead">The lead.</param>
/// <param name="TrackId">The track.</param>
/// <param name="StepId">The step's id in its track.</param>
/// <param name="Topic">The step's collateral topic, or <see langword="null"/>.</param>
/// <param name="ContentId">The id of the collateral chosen for the step, or <see langword="null"/>.</param>
/// <param name="Campaign">The campaign of the enrolment, or <see langword="null"/>.</param>
/// <param name="At">When the step is carried out.</param>
/// <param name="Explanation">Why this step (and this collateral).</param>
public sealed record NurtureActionRequest(
    string IdempotencyKey,
    Lead Lead,
    string TrackId,
    string StepId,
    string? Topic,
    string? ContentId,
    string? Campaign,
    DateTimeOffset At,
    string Explanation);
