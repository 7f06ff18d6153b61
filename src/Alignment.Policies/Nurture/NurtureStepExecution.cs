using Alignment.Leads;

namespace Alignment.Policies.Nurture;

/// <summary>A step to carry out: the e-mail to send or the rep task to create, with its collateral and explanation.</summary>
/// <param name="IdempotencyKey">The step's stable key (<c>{enrolment}/{step index}</c>): the same step always carries the same key, so a handler can drop a repeat after a crash.</param>
/// <param name="Lead">The lead.</param>
/// <param name="TrackId">The track.</param>
/// <param name="Step">The step.</param>
/// <param name="Content">The collateral chosen, if the step carries any.</param>
/// <param name="Campaign">The campaign of the enrolment, if any.</param>
/// <param name="At">When the step was carried out.</param>
/// <param name="Explanation">Why this step and this collateral.</param>
public sealed record NurtureStepExecution(string IdempotencyKey, Lead Lead, string TrackId, NurtureStep Step, NurtureContent? Content, string? Campaign, DateTimeOffset At, string Explanation);
