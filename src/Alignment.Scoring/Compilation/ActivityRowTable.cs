namespace Alignment.Scoring.Compilation;

/// <summary>One activity type's entry in an <see cref="ActivityRowTable"/>.</summary>
internal readonly struct ActivityTypeRows(int rowOffset, int lastAge, int slot, int filteredStart, int filteredEnd, long filteredWindowTicks)
{
    /// <summary>Index in <see cref="ActivityRowTable.Rows"/> of the type's row for age 0.</summary>
    public readonly int RowOffset = rowOffset;

    /// <summary>The type's last row: ages at or beyond it all read this row.</summary>
    public readonly int LastAge = lastAge;

    /// <summary>With one rule per row, the accumulator slot of the type's rule; otherwise where its slots start in <see cref="ActivityRowTable.Slots"/>.</summary>
    public readonly int Slot = slot;

    /// <summary>The type's rules with a URL or campaign filter: matchers [FilteredStart, FilteredEnd) of the filtered array.</summary>
    public readonly int FilteredStart = filteredStart;

    /// <summary>See <see cref="FilteredStart"/>.</summary>
    public readonly int FilteredEnd = filteredEnd;

    /// <summary>The longest window of the type's filtered rules in ticks (0 when it has none): older activities skip the filters.</summary>
    public readonly long FilteredWindowTicks = filteredWindowTicks;
}

/// <summary>
/// The unfiltered activity rules of a model as one compact table by activity type and age in whole days. Every type gets the
/// same number of entries per row (the most unfiltered rules any type has, usually one; padding entries add 0 to a spare
/// accumulator), so scoring an activity is a fixed sequence of table reads and additions whatever its type: no loop whose
/// length depends on the type, no branch on the age. The table is small (4 bytes per entry) so that it stays in the
/// first-level cache while activities stream past.
/// </summary>
internal sealed class ActivityRowTable
{
    /// <summary>The oldest age with a row of its own (ten years); rules that still change after that keep the matcher loop.</summary>
    public const int MaxAge = 3660;

    /// <summary>The most entries the table may hold (16 MB); larger models keep the matcher loop.</summary>
    private const long MaxEntries = 4L << 20;

    private ActivityRowTable(int rulesPerRow, int[] rows, int[] slots, ActivityTypeRows[] types)
    {
        RulesPerRow = rulesPerRow;
        Rows = rows;
        Slots = slots;
        Types = types;
    }

    /// <summary>Entries per row: the most unfiltered rules of one activity type.</summary>
    public int RulesPerRow { get; }

    /// <summary>Contributions in hundredths, type after type, age after age, <see cref="RulesPerRow"/> per row.</summary>
    public int[] Rows { get; }

    /// <summary>The accumulator slot of each entry of a row, <see cref="RulesPerRow"/> per type (the spare slot for padding).</summary>
    public int[] Slots { get; }

    /// <summary>Per activity type (by its numeric value).</summary>
    public ActivityTypeRows[] Types { get; }

    /// <summary>Builds the table, or returns null when the rules do not fit one.</summary>
    /// <param name="rules">The model's activity rules; slot <c>rules.Count</c> is the spare accumulator.</param>
    /// <param name="typeCount">The number of activity types.</param>
    /// <param name="filteredStart">Per type, where its filtered matchers start (<paramref name="typeCount"/> + 1 entries).</param>
    /// <returns>The table, or null.</returns>
    public static ActivityRowTable? TryCreate(IReadOnlyList<ActivityRulePlan> rules, int typeCount, int[] filteredStart)
    {
        var byType = new List<ActivityRulePlan>[typeCount];
        var filteredWindow = new long[typeCount];
        for (int t = 0; t < typeCount; t++)
        {
            byType[t] = [];
        }

        foreach (var r in rules.OrderBy(r => r.Slot))
        {
            int t = (int)r.Definition.Activity;
            if (r.UrlContains is null && r.Campaign is null)
            {
                byType[t].Add(r);
            }
            else
            {
                filteredWindow[t] = Math.Max(filteredWindow[t], r.WindowTicks);
            }
        }

        int perRow = Math.Max(1, byType.Max(l => l.Count));
        var stable = new Dictionary<ActivityRulePlan, int>();
        var rowsPerType = new int[typeCount];
        long totalRows = 0;
        for (int t = 0; t < typeCount; t++)
        {
            int last = 0;
            foreach (var r in byType[t])
            {
                int from = r.StableFrom(MaxAge);
                if (from < 0)
                {
                    return null;
                }

                stable[r] = from;
                last = Math.Max(last, from);
            }

            rowsPerType[t] = last + 1; // a type without unfiltered rules reads one row of zeros
            totalRows += rowsPerType[t];
        }

        if (totalRows * perRow > MaxEntries)
        {
            return null;
        }

        int spare = rules.Count;
        var rows = new int[totalRows * perRow];
        var slots = new int[typeCount * perRow];
        var types = new ActivityTypeRows[typeCount];
        int next = 0;
        for (int t = 0; t < typeCount; t++)
        {
            for (int j = 0; j < perRow; j++)
            {
                slots[(t * perRow) + j] = j < byType[t].Count ? byType[t][j].Slot : spare;
            }

            for (int j = 0; j < byType[t].Count; j++)
            {
                var r = byType[t][j];
                for (int age = 0; age < rowsPerType[t]; age++)
                {
                    long value = r.ValueAt(Math.Min(age, stable[r]));
                    if (value is > int.MaxValue or < int.MinValue)
                    {
                        return null;
                    }

                    rows[next + (age * perRow) + j] = (int)value;
                }
            }

            types[t] = new ActivityTypeRows(next, rowsPerType[t] - 1, perRow == 1 ? slots[t] : t * perRow, filteredStart[t], filteredStart[t + 1], filteredWindow[t]);
            next += rowsPerType[t] * perRow;
        }

        return new ActivityRowTable(perRow, rows, slots, types);
    }
}
