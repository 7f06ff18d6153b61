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

    /// <summary>Cap on the absolute value of the rule's total, in hundredths (long.MaxValue: none).</summary>
    public required long CapHundredths { get; init; }

    /// <summary>Contribution in hundredths by age in whole days; null when there is no decay.</summary>
    public required long[]? DecayTable { get; init; }

    /// <summary>The half-life in days for ages beyond the table (0 when the decay is not a half-life).</summary>
    public required double HalfLifeDays { get; init; }

    /// <summary>Contribution beyond the table for step decay.</summary>
    public required long StepTail { get; init; }

    public required string? UrlContains { get; init; }

    public required string? Campaign { get; init; }

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

        return HalfLifeDays > 0 ? DeterministicMath.ScaleHundredths(PointsHundredths, DeterministicMath.Exp2NonPositive(-ageDays / HalfLifeDays)) : StepTail;
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
            return DecayTable.Length <= maxAge ? DecayTable.Length : -1; // stepped: the tail from the last step on
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

    public static ActivityRulePlan Create(int index, int slot, ActivityRuleDefinition d, int category)
    {
        long points = DeterministicMath.ToHundredths(d.Points);
        int window = d.WindowDays ?? int.MaxValue;
        long[]? table = null;
        double halfLife = 0;
        long tail = 0;
        switch (d.Decay)
        {
            case DecayDefinition.HalfLife h:
                halfLife = h.Days;
                int length = (int)Math.Min(window, 3660);
                table = new long[length];
                for (int age = 0; age < length; age++)
                {
                    table[age] = DeterministicMath.ScaleHundredths(points, DeterministicMath.Exp2NonPositive(-age / h.Days));
                }

                break;
            case DecayDefinition.Stepped s:
                int last = s.Steps[^1].AfterDays;
                table = new long[Math.Min(last, window)];
                for (int age = 0; age < table.Length; age++)
                {
                    table[age] = DeterministicMath.ScaleHundredths(points, FactorAt(s, age));
                }

                tail = DeterministicMath.ScaleHundredths(points, s.Steps[^1].Factor);
                break;
        }

        return new ActivityRulePlan
        {
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
            UrlContains = d.UrlContains,
            Campaign = d.Campaign,
        };
    }

    private static double FactorAt(DecayDefinition.Stepped s, int age)
    {
        double factor = 1d;
        foreach (var step in s.Steps)
        {
            if (age >= step.AfterDays)
            {
                factor = step.Factor;
            }
        }

        return factor;
    }
}
