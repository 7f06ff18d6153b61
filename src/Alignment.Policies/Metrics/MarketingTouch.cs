namespace Alignment.Policies.Metrics;

/// <summary>One marketing touch of a lead (a campaign response), for closed-loop attribution.</summary>
/// <param name="at">When.</param>
/// <param name="source">The marketing source (for example <c>Webinar</c>, <c>Paid Search</c>).</param>
/// <param name="campaign">The campaign, if known.</param>
public sealed class MarketingTouch(DateTimeOffset at, string source, string? campaign)
{
    /// <summary>When.</summary>
    public DateTimeOffset At { get; } = at;

    /// <summary>The marketing source (for example <c>Webinar</c>, <c>Paid Search</c>).</summary>
    public string Source { get; } = source;

    /// <summary>The campaign, if known.</summary>
    public string? Campaign { get; } = campaign;
}
