using System.Collections.Immutable;

namespace Alignment.Policies.Handoff;

/// <summary>The service levels that are breached, and those due soon, at one instant.</summary>
/// <param name="AsOf">The instant.</param>
/// <param name="Breached">Handoffs past their first-touch deadline, most overdue first.</param>
/// <param name="Upcoming">Handoffs due within the window asked for, soonest first.</param>
public sealed record SlaReport(DateTimeOffset AsOf, ImmutableArray<SlaEntry> Breached, ImmutableArray<SlaEntry> Upcoming);
