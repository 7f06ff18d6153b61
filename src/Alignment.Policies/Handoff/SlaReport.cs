using System.Collections.Immutable;

namespace Alignment.Policies.Handoff;

/// <summary>The service levels that are breached, and those due soon, at one instant.</summary>
/// <param name="asOf">The instant.</param>
/// <param name="breached">Handoffs past their first-touch deadline, most overdue first.</param>
/// <param name="upcoming">Handoffs due within the window asked for, soonest first.</param>
public sealed class SlaReport(DateTimeOffset asOf, ImmutableArray<SlaEntry> breached, ImmutableArray<SlaEntry> upcoming)
{
    /// <summary>The instant.</summary>
    public DateTimeOffset AsOf { get; } = asOf;

    /// <summary>Handoffs past their first-touch deadline, most overdue first.</summary>
    public ImmutableArray<SlaEntry> Breached { get; } = breached;

    /// <summary>Handoffs due within the window asked for, soonest first.</summary>
    public ImmutableArray<SlaEntry> Upcoming { get; } = upcoming;
}
