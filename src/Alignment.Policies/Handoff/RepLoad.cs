using System.Runtime.InteropServices;

namespace Alignment.Policies.Handoff;

/// <summary>A rep's capacity counters, as a store persists them.</summary>
/// <param name="Open">Leads the rep holds open.</param>
/// <param name="DayKey">The day (days since 0001-01-01 in the rep's time zone) <paramref name="DayCount"/> counts.</param>
/// <param name="DayCount">Leads received on <paramref name="DayKey"/>.</param>
/// <param name="AssignedTotal">Leads ever assigned.</param>
[StructLayout(LayoutKind.Auto)]
public readonly record struct RepLoad(int Open, int DayKey, int DayCount, long AssignedTotal);
