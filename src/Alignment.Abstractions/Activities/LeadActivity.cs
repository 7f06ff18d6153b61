namespace Alignment.Activities;

/// <summary>One timestamped thing a lead did or that was done to it.</summary>
/// <remarks>A small immutable value, passed to scoring as a <see cref="ReadOnlySpan{T}"/> so that reading activities allocates nothing.</remarks>
/// <param name="Type">What happened.</param>
/// <param name="Timestamp">When it happened.</param>
public readonly record struct LeadActivity(ActivityType Type, DateTimeOffset Timestamp)
{
    /// <summary>The page or link, for <see cref="ActivityType.PageView"/>, <see cref="ActivityType.WebVisit"/> and <see cref="ActivityType.EmailClicked"/>.</summary>
    public string? Url { get; init; }

    /// <summary>The campaign, webinar or event the activity belongs to, when known.</summary>
    public string? Campaign { get; init; }
}
