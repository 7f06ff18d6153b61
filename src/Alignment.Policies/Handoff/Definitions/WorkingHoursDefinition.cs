namespace Alignment.Policies.Handoff.Definitions;

/// <summary>A weekly working period in the rep's time zone, such as Monday to Friday 09:00–17:30.</summary>
internal sealed record WorkingHoursDefinition
{
    /// <summary>The days: <c>mon</c>, <c>tue</c>, <c>wed</c>, <c>thu</c>, <c>fri</c>, <c>sat</c>, <c>sun</c> (or full English names).</summary>
    public IReadOnlyList<string>? Days { get; init; }

    /// <summary>The start, <c>HH:mm</c>, inclusive.</summary>
    public string? Start { get; init; }

    /// <summary>The end, <c>HH:mm</c> (<c>24:00</c> allowed), exclusive; later than <see cref="Start"/>.</summary>
    public string? End { get; init; }
}
