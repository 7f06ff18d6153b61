namespace Alignment.Policies.Handoff.Definitions;

/// <summary>A period when a rep is away (leave, holiday): routing passes them over from <see cref="From"/> until <see cref="To"/>.</summary>
internal sealed record OutOfOfficeDefinition
{
    /// <summary>The first instant away (inclusive).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>The instant the rep is back (exclusive); later than <see cref="From"/>.</summary>
    public DateTimeOffset? To { get; init; }
}
