namespace Alignment.Policies.Metrics;

/// <summary>One marketing touch of a lead (a campaign response), for closed-loop attribution.</summary>
/// <param name="At">When.</param>
/// <param name="Source">The marketing source (for example <c>Webinar</c>, <c>Paid Search</c>).</param>
/// <param name="Campaign">The campaign, if known.</param>
public sealed record MarketingTouch(DateTimeOffset At, string Source, string? Campaign);
