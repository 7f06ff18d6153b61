using Alignment.Activities;

namespace Alignment.Benchmarks.Scoring;

/// <summary>
/// The 15 engagement rules of <see cref="EngagementWorkload.ModelJson"/> written by hand the way a CRM developer would:
/// one pass over the activities, a switch per type, <see cref="Math.Pow(double, double)"/> per activity for the decay.
/// The baseline of <see cref="EngagementScoringBenchmark"/>.
/// </summary>
public static class EngagementHandWritten
{
    /// <summary>Scores one lead's activities, in hundredths of a point.</summary>
    /// <param name="activities">The activities.</param>
    /// <param name="asOf">The scoring instant.</param>
    /// <returns>The score in hundredths.</returns>
    public static long Score(ReadOnlySpan<LeadActivity> activities, DateTimeOffset asOf)
    {
        Span<long> acc = stackalloc long[15];
        long now = asOf.UtcTicks;
        foreach (ref readonly var a in activities)
        {
            long ticks = a.Timestamp.UtcTicks;
            if (ticks > now)
            {
                continue;
            }

            long age = (now - ticks) / TimeSpan.TicksPerDay;
            switch (a.Type)
            {
                case ActivityType.EmailOpened: Add(acc, 0, 100, age, 90, 30); break;
                case ActivityType.EmailClicked: Add(acc, 1, 300, age, 90, 30); break;
                case ActivityType.WebVisit: Add(acc, 2, 200, age, 60, 14); break;
                case ActivityType.PageView:
                    if (a.Url is not null && a.Url.Contains("/pricing", StringComparison.OrdinalIgnoreCase))
                    {
                        Add(acc, 3, 1000, age, 30, 7);
                    }

                    if (a.Url is not null && a.Url.Contains("/docs", StringComparison.OrdinalIgnoreCase))
                    {
                        Add(acc, 4, 200, age, 60, 21);
                    }

                    Add(acc, 5, 50, age, 30, 14);
                    break;
                case ActivityType.FormSubmitted: Add(acc, 6, 1500, age, 180, 60); break;
                case ActivityType.ContentDownloaded: Add(acc, 7, 800, age, 120, 45); break;
                case ActivityType.WebinarRegistered: Add(acc, 8, 500, age, 90, 30); break;
                case ActivityType.WebinarAttended: Add(acc, 9, 1500, age, 120, 60); break;
                case ActivityType.EventContact: Add(acc, 10, 1000, age, 180, 90); break;
                case ActivityType.DemoRequested: Add(acc, 11, 4000, age, 60, 30); break;
                case ActivityType.SalesMeeting: Add(acc, 12, 500, age, 90, 30); break;
                case ActivityType.Unsubscribed: acc[13] -= 5000; break;
                case ActivityType.Bounced:
                    if (age < 180)
                    {
                        acc[14] -= 1000;
                    }

                    break;
            }
        }

        long[] caps = [1000, 1500, 2000, 3000, 1000, 1000, 3000, 2400, 1000, 3000, 2000, 4000, 1000, 5000, 3000];
        long marketing = 0, sales = 0, other = 0;
        for (int r = 0; r < 15; r++)
        {
            long v = Math.Clamp(acc[r], -caps[r], caps[r]);
            if (r <= 10)
            {
                marketing += v;
            }
            else if (r <= 12)
            {
                sales += v;
            }
            else
            {
                other += v;
            }
        }

        return Math.Min(marketing, 15000) + sales + other;
    }

    private static void Add(Span<long> acc, int rule, long points, long ageDays, int window, double halfLife)
    {
        if (ageDays < window)
        {
            acc[rule] += (long)Math.Round(points * Math.Pow(0.5, ageDays / halfLife), MidpointRounding.AwayFromZero);
        }
    }
}
