using Alignment.Leads;

namespace Alignment.Policies.Nurture;

/// <summary>A step to carry out: the e-mail to send or the rep task to create, with its collateral and explanation.</summary>
/// <param name="idempotencyKey">The step's stable key (<c>{enrolment}/{step index}</c>): the same step always carries the same key, so a handler can drop a repeat after a crash.</param>
/// <param name="lead">The lead.</param>
/// <param name="trackId">The track.</param>
/// <param name="step">The step.</param>
/// <param name="content">The collateral chosen, if the step carries any.</param>
/// <param name="campaign">The campaign of the enrolment, if any.</param>
/// <param name="at">When the step was carried out.</param>
/// <param name="explanation">Why this step and this collateral.</param>
public sealed class NurtureStepExecution(string idempotencyKey, Lead lead, string trackId, NurtureStep step, NurtureContent? content, string? campaign, DateTimeOffset at, string explanation)
{
    /// <summary>The step's stable key (<c>{enrolment}/{step index}</c>): the same step always carries the same key, so a handler can drop a repeat after a crash.</summary>
    public string IdempotencyKey { get; } = idempotencyKey;

    /// <summary>The lead.</summary>
    public Lead Lead { get; } = lead;

    /// <summary>The track.</summary>
    public string TrackId { get; } = trackId;

    /// <summary>The step.</summary>
    public NurtureStep Step { get; } = step;

    /// <summary>The collateral chosen, if the step carries any.</summary>
    public NurtureContent? Content { get; } = content;

    /// <summary>The campaign of the enrolment, if any.</summary>
    public string? Campaign { get; } = campaign;

    /// <summary>When the step was carried out.</summary>
    public DateTimeOffset At { get; } = at;

    /// <summary>Why this step and this collateral.</summary>
    public string Explanation { get; } = explanation;
}
