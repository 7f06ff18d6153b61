using System.Collections.Immutable;

namespace Alignment.Policies.Handoff;

/// <summary>The service levels that are breached, and those due soon, at one instant.</summary>
public sealed class SlaReport
{
    /// <summary>Creates the value (the engine does; hosts read it).</summary>
    /// <param name="asOf">The instant.</param>
    /// <param name="breached">Handoffs past their first-touch deadline, most overdue first.</param>
    /// <param name="upcoming">Handoffs due within the window asked for, soonest first.</param>
    internal SlaReport(DateTimeOffset asOf, ImmutableArray<SlaEntry> breached, ImmutableArray<SlaEntry> upcoming)
    {
        AsOf = asOf;
        Breached = breached;
        Upcoming = upcoming;
    }

    /// <summary>The instant.</summary>
    public DateTimeOffset AsOf { get; }

    /// <summary>Handoffs past their first-touch deadline, most overdue first.</summary>
    public ImmutableArray<SlaEntry> Breached { get; }

    /// <summary>Handoffs due within the window asked for, soonest first.</summary>
    public ImmutableArray<SlaEntry> Upcoming { get; }
}
