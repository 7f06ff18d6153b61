using Alignment.Handoff;

namespace Alignment.Policies.Handoff;

internal sealed class CompiledRep
{
    public required RepId Id { get; init; }

    public required int Index { get; init; }

    public required string Team { get; init; }

    public required int ZoneIndex { get; init; }

    public required int MaxOpen { get; init; }

    public required int MaxPerDay { get; init; }

    public required int Weight { get; init; }

    public required RepId? Manager { get; init; }

    /// <summary>One bit per minute of the week (Monday 00:00 first) in the rep's zone; null when always working.</summary>
    public required ulong[]? WeekMinutes { get; init; }

    /// <summary>Sorted, non-overlapping out-of-office periods as UTC ticks [from, to).</summary>
    public required long[] AwayFrom { get; init; }

    public required long[] AwayTo { get; init; }

    public required SymbolSet Languages { get; init; }

    public required SymbolSet Territories { get; init; }

    public required HashSet<string> Skills { get; init; }

    public bool IsAway(long utcTicks)
    {
        var from = AwayFrom;
        for (int i = 0; i < from.Length; i++)
        {
            if (utcTicks < from[i])
            {
                return false;
            }

            if (utcTicks < AwayTo[i])
            {
                return true;
            }
        }

        return false;
    }

    public bool IsWorking(long localTicks)
    {
        var week = WeekMinutes;
        if (week is null)
        {
            return true;
        }

        long day = localTicks / TimeSpan.TicksPerDay;
        int minute = (int)((day % 7) * 1440 + (localTicks % TimeSpan.TicksPerDay) / TimeSpan.TicksPerMinute);
        return (week[minute >> 6] & (1UL << (minute & 63))) != 0;
    }
}
