namespace Alignment.AspNetCore.Wire;

/// <summary>One activity of a lead.</summary>
public sealed record ActivityRequest
{
    /// <summary>
    /// The type (required): one of Alignment's activity types, for example <c>emailOpened</c>, <c>formSubmitted</c>,
    /// <c>demoRequested</c> (case ignored).
    /// </summary>
    public string? Type { get; init; }

    /// <summary>When it happened, with its UTC offset (required).</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>The page or link, if any.</summary>
    public string? Url { get; init; }

    /// <summary>The campaign, if any.</summary>
    public string? Campaign { get; init; }
}
