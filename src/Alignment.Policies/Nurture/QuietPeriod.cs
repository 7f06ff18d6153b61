namespace Alignment.Policies.Nurture;

/// <summary>A recurring yearly window (UTC month and day, both ends inclusive) in which a track sends nothing, for example the year-end holidays.</summary>
/// <remarks>Immutable. A window whose end is before its start wraps over New Year (12-20 to 01-05).</remarks>
/// <param name="Name">The window's name, shown when a step is paused.</param>
/// <param name="FromMonth">Month of the first quiet day (1–12).</param>
/// <param name="FromDay">Day of the first quiet day.</param>
/// <param name="ToMonth">Month of the last quiet day (1–12).</param>
/// <param name="ToDay">Day of the last quiet day.</param>
internal sealed record QuietPeriod(string Name, int FromMonth, int FromDay, int ToMonth, int ToDay)
{
    /// <summary>Tells whether an instant falls in the window.</summary>
    /// <param name="at">The instant (compared in UTC).</param>
    /// <returns><see langword="true"/> when quiet.</returns>
    public bool Contains(DateTimeOffset at)
    {
        var key = Key(at.UtcDateTime.Month, at.UtcDateTime.Day);
        var from = Key(FromMonth, FromDay);
        var to = Key(ToMonth, ToDay);
        return from <= to ? key >= from && key <= to : key >= from || key <= to;
    }

    /// <summary>The first instant after <paramref name="at"/> that is outside the window (midnight UTC of the day after its last day).</summary>
    /// <param name="at">An instant inside the window.</param>
    /// <returns>When the window ends.</returns>
    public DateTimeOffset EndAfter(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        var year = utc.Year;
        if (Key(utc.Month, utc.Day) > Key(ToMonth, ToDay))
        {
            year++;
        }

        var lastDay = Math.Min(ToDay, DateTime.DaysInMonth(year, ToMonth));
        return new DateTimeOffset(year, ToMonth, lastDay, 0, 0, 0, TimeSpan.Zero).AddDays(1);
    }

    private static int Key(int month, int day) => (month * 100) + day;
}
