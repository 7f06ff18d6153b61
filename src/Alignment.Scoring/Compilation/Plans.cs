using Alignment.Scoring.Definitions;

namespace Alignment.Scoring.Compilation;

/// <summary>A profile rule ready to evaluate: its index in the model, category, points in hundredths and grade steps.</summary>
internal sealed record ProfileRulePlan(int Index, ProfileRuleDefinition Definition, int Category, long PointsHundredths, int GradeSteps);

/// <summary>An activity rule ready to evaluate.</summary>
internal sealed class ActivityRulePlan
{
    public required int Index { get; init; }

    public required int Slot { get; init; }

    public required ActivityRuleDefinition Definition { get; init; }

    public required int Category { get; init; }

    /// <summary>Points per activity before decay, in hundredths.</summary>
    public required long PointsHundredths { get; init; }

    /// <summary>Activities at least this many whole days old do not count (int.MaxValue: no window).</summary>
    public required int WindowDays { get; init; }

    /// <summary>
    /// The window in ticks: an activity counts when its age in ticks is below it. <see cref="long.MaxValue"/> when there is no
    /// window or when the window is longer than <see cref="long.MaxValue"/> ticks (10,675,199 days): no age a
    /// <see cref="DateTimeOffset"/> can have reaches either, so the clamp is exact.
    /// </summary>
    public long WindowTicks => WindowDays >= long.MaxValue / TimeSpan.TicksPerDay ? long.MaxValue : WindowDays * TimeSpan.TicksPerDay;

    /// <summary>Cap on the absolute value of the rule's total, in hundredths (long.MaxValue: none).</summary>
    public required long CapHundredths { get; init; }

    /// <summary>Contribution in hundredths by age in whole days; null when there is no decay.</summary>
    public required long[]? DecayTable { get; init; }

    /// <summary>The half-life in days for ages beyond the table (0 when the decay is not a half-life).</summary>
    public required double HalfLifeDays { get; init; }

    /// <summary>Contribution beyond the table for step decay.</summary>
    public required long StepTail { get; init; }

    /// <summary>Step decay: the ages at which the steps start, increasing (null for other decays).</summary>
    public required int[]? StepDays { get; init; }

    /// <summary>Step decay: the contribution from each step on, in hundredths (parallel to <see cref="StepDays"/>).</summary>
    public required long[]? StepValues { get; init; }

    /// <summary>
    /// The age in whole days from which <see cref="ValueAt"/> no longer changes: the window, the last step, the age at which a
    /// half-life rounds to 0 hundredths, whichever comes first (0 when nothing changes with age). Used by next-crossing search.
    /// </summary>
    public required long SteadyAge { get; init; }

    /// <summary>
    /// Whether <see cref="ValueAt"/> only moves towards 0 as the age grows (no decay, half-life, or steps whose factors never
    /// increase): its extremes over a range of ages are then its values at the ends of the range.
    /// </summary>
    public required bool TowardsZero { get; init; }

    public required string? UrlContains { get; init; }

    public required string? Campaign { get; init; }

    /// <summary>The most ages a decay table holds (ten years, as <see cref="ActivityRowTable.MaxAge"/>).</summary>
    internal const int MaxDecayTable = ActivityRowTable.MaxAge;

    public long Contribution(long ageDays)
    {
        var table = DecayTable;
        if (table is null)
        {
            return PointsHundredths;
        }

        if ((ulong)ageDays < (ulong)table.Length)
        {
            return table[ageDays];
        }

        if (HalfLifeDays > 0)
        {
            return DeterministicMath.ScaleHundredths(PointsHundredths, DeterministicMath.Exp2NonPositive(-ageDays / HalfLifeDays));
        }

        // Step decay past the table (which stops at ten years): the last step the age has reached, by binary search.
        var days = StepDays!;
        int at = ageDays >= int.MaxValue ? days.Length - 1 : Array.BinarySearch(days, (int)ageDays);
        at = at >= 0 ? at : ~at - 1;
        return at < 0 ? PointsHundredths : StepValues![at];
    }

    /// <summary>The rule's contribution for one activity of its type (filters aside) by age: 0 outside the window.</summary>
    public long ValueAt(long ageDays) => ageDays < WindowDays ? Contribution(ageDays) : 0;

    /// <summary>
    /// The age in whole days from which <see cref="ValueAt"/> no longer changes, if it is at most <paramref name="maxAge"/>;
    /// -1 otherwise (a long window, or a half-life that has not decayed to 0 by then).
    /// </summary>
    public int StableFrom(int maxAge)
    {
        if (WindowDays != int.MaxValue)
        {
            return WindowDays <= maxAge ? WindowDays : -1;
        }

        if (DecayTable is null)
        {
            return 0;
        }

        if (HalfLifeDays <= 0)
        {
            int last = StepDays![^1];
            return last <= maxAge ? last : -1; // stepped: the tail from the last step on
        }

        // Half-life without a window: the contribution shrinks with age and, once it rounds to 0 hundredths, stays 0.
        for (int age = 0; age <= maxAge; age++)
        {
            if (Contribution(age) == 0)
            {
                return age;
            }
        }

        return -1;
    }

    /// <summary>The first age at which points with this half-life round to 0 hundredths (they shrink with age: binary search).</summary>
    private static long ZeroAge(long points, double halfLifeDays)
    {
        if (points == 0)
        {
            return 0;
        }

        // points * 2^(-age / h) < 0.5 once age > h * log2(2 |points|): one half-life more is a safe upper bound.
        long hi = (long)Math.Ceiling(halfLifeDays * (Math.Log2(2d * Math.Abs(points)) + 1)) + 1;
        long lo = 0;
        while (lo < hi)
        {
            long mid = lo + ((hi - lo) / 2);
            if (DeterministicMath.ScaleHundredths(points, DeterministicMath.Exp2NonPositive(-mid / halfLifeDays)) == 0)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    public static ActivityRulePlan Create(int index, int slot, ActivityRuleDefinition d, int category)
    {
        long points = DeterministicMath.ToHundredths(d.Points);
        int window = d.WindowDays ?? int.MaxValue;
        long[]? table = null;
        double halfLife = 0;
        long tail = 0;
        int[]? stepDays = null;
        long[]? stepValues = null;
        switch (d.Decay)
        {
            case DecayDefinition.HalfLife h:
                halfLife = h.Days;
                int length = Math.Min(window, MaxDecayTable);
                table = new long[length];
                for (int age = 0; age < length; age++)
                {
                    table[age] = DeterministicMath.ScaleHundredths(points, DeterministicMath.Exp2NonPositive(-age / h.Days));
                }

                break;
            case DecayDefinition.Stepped s:
                stepDays = [.. s.Steps.Select(x => x.AfterDays)];
                stepValues = [.. s.Steps.Select(x => DeterministicMath.ScaleHundredths(points, x.Factor))];

                // The table covers ages up to the last step, the window or ten years, whichever comes first (older ages find
                // their step by binary search in Contribution), so a step at int.MaxValue days costs nothing. One pass: the
                // steps increase, so the step in force only moves forward with the age.
                table = new long[Math.Min(Math.Min(stepDays[^1], window), MaxDecayTable)];
                int step = -1;
                for (int age = 0; age < table.Length; age++)
                {
                    while (step + 1 < stepDays.Length && age >= stepDays[step + 1])
                    {
                        step++;
                    }

                    table[age] = step < 0 ? points : stepValues[step];
                }

                tail = stepValues[^1];
                break;
        }

        // A window ends in 0 at its end, unless a half-life reached 0 before; without one, the decay settles at its own end.
        long steady = window == int.MaxValue ? 0 : window;
        bool towardsZero = true;
        if (halfLife > 0)
        {
            steady = Math.Min(window, ZeroAge(points, halfLife));
        }
        else if (stepDays is not null)
        {
            steady = window == int.MaxValue ? stepDays[^1] : window;
            for (int k = 0; k < stepValues!.Length; k++)
            {
                towardsZero &= Math.Abs(stepValues[k]) <= Math.Abs(k == 0 ? points : stepValues[k - 1]);
            }
        }

        return new ActivityRulePlan
        {
            SteadyAge = steady,
            TowardsZero = towardsZero,
            Index = index,
            Slot = slot,
            Definition = d,
            Category = category,
            PointsHundredths = points,
            WindowDays = window,
            CapHundredths = d.Cap is decimal c ? DeterministicMath.ToHundredths(c) : long.MaxValue,
            DecayTable = table,
            HalfLifeDays = halfLife,
            StepTail = tail,
            StepDays = stepDays,
            StepValues = stepValues,
            UrlContains = d.UrlContains,
            Campaign = d.Campaign,
        };
    }
}
