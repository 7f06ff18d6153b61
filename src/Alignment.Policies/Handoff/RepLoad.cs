using System.Runtime.InteropServices;

namespace Alignment.Policies.Handoff;

/// <summary>A rep's capacity counters, as a store persists them.</summary>
[StructLayout(LayoutKind.Auto)]
public readonly struct RepLoad
{
    /// <summary>Creates the counters.</summary>
    /// <param name="open">Leads the rep holds open.</param>
    /// <param name="dayKey">The day (days since 0001-01-01 in the rep's time zone) <paramref name="dayCount"/> counts.</param>
    /// <param name="dayCount">Leads received on <paramref name="dayKey"/>.</param>
    /// <param name="assignedTotal">Leads ever assigned.</param>
    public RepLoad(int open, int dayKey, int dayCount, long assignedTotal)
    {
        Open = open;
        DayKey = dayKey;
        DayCount = dayCount;
        AssignedTotal = assignedTotal;
    }

    /// <summary>Leads the rep holds open.</summary>
    public int Open { get; }

    /// <summary>The day (days since 0001-01-01 in the rep's time zone) <see cref="DayCount"/> counts.</summary>
    public int DayKey { get; }

    /// <summary>Leads received on <see cref="DayKey"/>.</summary>
    public int DayCount { get; }

    /// <summary>Leads ever assigned.</summary>
    public long AssignedTotal { get; }

    /// <inheritdoc />
    public override string ToString() => $"open {Open}, {DayCount} on day {DayKey}, {AssignedTotal} in all";
}
