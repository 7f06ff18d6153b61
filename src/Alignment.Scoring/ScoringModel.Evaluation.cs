using System.Diagnostics.CodeAnalysis;
using Alignment.Models;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Alignment.Activities;
using Alignment.Diagnostics;
using Alignment.Leads;
using Alignment.Scoring.Compilation;
using Alignment.Scoring.Definitions;

namespace Alignment.Scoring;

// The scoring itself: one lead's profile kernels, activities with decay and caps, inactivity, plugins and the thresholds.
public sealed partial class ScoringModel
{
    private LeadScore EvaluateCore(Lead lead, double[]? data, int offset, ReadOnlySpan<LeadActivity> activities, DateTimeOffset asOf, Span<long> categories, Span<long> acc)
    {
        if (_single is { } single)
        {
            long packed = data is null ? single.ObjectKernel(lead) : single.EncodedKernel!(data, offset);
            ProfileKernels.Unpack(packed, out long points, out int steps);
            var singleGrade = Grades.Start.Move(steps);
            return new LeadScore(points, single.IsFit ? points : 0, singleGrade, StateOf(points, singleGrade));
        }

        categories.Clear();
        long fit = 0;
        int gradeSteps = 0;
        foreach (var k in _kernels)
        {
            long packed = data is null ? k.ObjectKernel(lead) : k.EncodedKernel!(data, offset);
            ProfileKernels.Unpack(packed, out long points, out int steps);
            categories[k.Category] += points;
            gradeSteps += steps;
            if (k.IsFit)
            {
                fit += points;
            }
        }

        if (_needsActivities || _plugins.Length > 0)
        {
            long asOfTicks = asOf.UtcTicks;
            if (_needsActivities)
            {
                long lastOwn = AccumulateActivities(lead, activities, asOfTicks, acc);
                foreach (var r in _activityRules)
                {
                    categories[r.Category] += Clamp(acc[r.Slot], r.CapHundredths);
                }

                foreach (var n in _inactivity)
                {
                    if (IsInactive(lead, lastOwn, asOfTicks, n.Days))
                    {
                        categories[n.Category] += n.PointsHundredths;
                    }
                }
            }

            var context = new ScoringContext(asOf);
            foreach (var p in _plugins)
            {
                categories[p.Category] += EvaluatePlugin(p, lead, activities, context);
            }
        }

        long total = 0;
        for (int c = 0; c < categories.Length; c++)
        {
            total += Math.Min(categories[c], _categoryCaps[c]);
        }

        var grade = Grades.Start.Move(gradeSteps);
        return new LeadScore(total, fit, grade, StateOf(total, grade));
    }

    private long AccumulateActivities(Lead lead, ReadOnlySpan<LeadActivity> activities, long asOfTicks, Span<long> acc)
    {
        if (_rowTable is { } table)
        {
            return table.RulesPerRow == 1
                ? AccumulateRows<OneRulePerRow>(table, lead, activities, asOfTicks, acc)
                : AccumulateRows<RulesPerRow>(table, lead, activities, asOfTicks, acc);
        }

        return AccumulateScalar(lead, activities, asOfTicks, acc);
    }

    /// <summary>
    /// The row-table loop (see <see cref="ActivityRowTable"/>): per activity, one row read and added whatever its type, and the
    /// filtered rules only for the types that have them and activities inside their windows. <typeparamref name="TRow"/>
    /// is a struct so that the JIT compiles one loop per row shape with the addition inlined.
    /// </summary>
    private long AccumulateRows<TRow>(ActivityRowTable table, Lead lead, ReadOnlySpan<LeadActivity> activities, long asOfTicks, Span<long> acc)
        where TRow : struct, IRowAdder
    {
        acc.Clear();
        long lastOwn = long.MinValue;
        bool trackOwn = _inactivity.Length > 0;
        var types = table.Types;
        int perRow = table.RulesPerRow;
        ref int rows = ref MemoryMarshal.GetArrayDataReference(table.Rows);
        ref int slots = ref MemoryMarshal.GetArrayDataReference(table.Slots);
        ref ActivityTypeRows typeRows = ref MemoryMarshal.GetArrayDataReference(types);
        ref long sums = ref MemoryMarshal.GetReference(acc);
        foreach (ref readonly var a in activities)
        {
            long ageTicks = asOfTicks - a.Timestamp.UtcTicks;
            if (ageTicks < 0)
            {
                continue; // after the scoring instant: never counts
            }

            uint type = (uint)a.Type;
            if (type >= (uint)types.Length)
            {
                throw UndefinedType(lead, a.Type, nameof(activities));
            }

            if (trackOwn && ((1 << (int)type) & OwnActivityMask) != 0 && asOfTicks - ageTicks > lastOwn)
            {
                lastOwn = asOfTicks - ageTicks;
            }

            // In bounds by construction: the type's rows are [RowOffset, RowOffset + (LastAge + 1) * perRow), its slots are
            // below acc.Length (acc has one spare slot past the rules, where padding entries add their 0).
            ref readonly var t = ref Unsafe.Add(ref typeRows, type);
            ulong ageDays = (ulong)ageTicks / (ulong)TimeSpan.TicksPerDay;
            TRow.Add(ref sums, ref Unsafe.Add(ref rows, t.RowOffset + (MinAge((long)ageDays, t.LastAge) * perRow)), ref slots, t.Slot, perRow);
            if (ageTicks < t.FilteredWindowTicks)
            {
                AccumulateFiltered(t, in a, ageTicks, acc);
            }
        }

        return lastOwn;
    }

    /// <summary>The type's rules with URL or campaign filters, checked only for activities inside their window.</summary>
    /// <remarks>Never inlined: the string searches would crowd the row loop's registers.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AccumulateFiltered(in ActivityTypeRows t, in LeadActivity a, long ageTicks, Span<long> acc)
    {
        for (int k = t.FilteredStart; k < t.FilteredEnd; k++)
        {
            ref readonly var m = ref _filtered[k];
            if (ageTicks >= m.WindowTicks
                || (m.UrlContains is not null && (a.Url is null || !a.Url.Contains(m.UrlContains, StringComparison.OrdinalIgnoreCase)))
                || (m.Campaign is not null && !string.Equals(a.Campaign, m.Campaign, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            long ageDays = ageTicks / TimeSpan.TicksPerDay;
            acc[m.Slot] += m.Plan.ValueAt(ageDays);
        }
    }

    /// <summary>The smaller of an age and a type's last row, without a branch: which of the two it is depends on the data.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint MinAge(long ageDays, int lastAge)
    {
        long over = ageDays - lastAge; // both are non-negative, so no overflow
        return (nint)(lastAge + (over & (over >> 63)));
    }

    private static ArgumentException UndefinedType(Lead lead, ActivityType type, string paramName) =>
        new($"Lead {lead.Id}: activity type {(int)type} is not defined.", paramName);

    /// <summary>The matcher loop: used when the rules do not fit a row table or the platform has no SIMD.</summary>
    private long AccumulateScalar(Lead lead, ReadOnlySpan<LeadActivity> activities, long asOfTicks, Span<long> acc)
    {
        acc.Clear();
        long lastOwn = long.MinValue;
        bool trackOwn = _inactivity.Length > 0;
        var matchers = _matchers;
        var starts = _matcherStart;
        ref long accumulators = ref MemoryMarshal.GetReference(acc);
        foreach (ref readonly var a in activities)
        {
            long ageTicks = asOfTicks - a.Timestamp.UtcTicks;
            if (ageTicks < 0)
            {
                continue; // after the scoring instant: never counts
            }

            uint type = (uint)a.Type;
            if (type >= (uint)(starts.Length - 1))
            {
                throw UndefinedType(lead, a.Type, nameof(activities));
            }

            if (trackOwn && ((1 << (int)type) & OwnActivityMask) != 0 && asOfTicks - ageTicks > lastOwn)
            {
                lastOwn = asOfTicks - ageTicks;
            }

            int end = starts[type + 1];
            for (int k = starts[type]; k < end; k++)
            {
                ref readonly var m = ref matchers[k];
                if (m.HasFilter)
                {
                    // Filters cost a string search: skip it for activities outside the window.
                    if (ageTicks >= m.WindowTicks
                        || (m.UrlContains is not null && (a.Url is null || !a.Url.Contains(m.UrlContains, StringComparison.OrdinalIgnoreCase)))
                        || (m.Campaign is not null && !string.Equals(a.Campaign, m.Campaign, StringComparison.OrdinalIgnoreCase)))
                    {
                        continue;
                    }
                }

                ulong ageDays = (ulong)ageTicks / (ulong)TimeSpan.TicksPerDay;
                var windowed = m.WindowTable;
                if (windowed is not null)
                {
                    // The table's last entry is 0 and stands for "outside the window": no branch on the activity's age.
                    // Slots are the rule's own accumulator (0 <= Slot < acc.Length) and the index is clamped to the table.
                    Unsafe.Add(ref accumulators, m.Slot) += Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(windowed), (nint)Math.Min(ageDays, (ulong)(windowed.Length - 1)));
                    continue;
                }

                if (ageTicks >= m.WindowTicks)
                {
                    continue;
                }

                var table = m.DecayTable;
                acc[m.Slot] += table is null
                    ? m.PointsHundredths
                    : ageDays < (ulong)table.Length ? table[(int)ageDays] : m.Plan.Contribution((long)ageDays);
            }
        }

        return lastOwn;
    }

    private static bool IsInactive(Lead lead, long lastOwnTicks, long asOfTicks, int days)
    {
        long since = lastOwnTicks != long.MinValue ? lastOwnTicks : lead.CreatedAt?.UtcTicks ?? long.MinValue;
        return since == long.MinValue || (asOfTicks - since) / TimeSpan.TicksPerDay > days;
    }

    private static long EvaluatePlugin(PluginPlan p, Lead lead, ReadOnlySpan<LeadActivity> activities, in ScoringContext context)
    {
        double raw;
        try
        {
            raw = p.Rule.Evaluate(lead, activities, context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The plugin's own message stays on the inner exception: it may carry personal data this message must not.
            throw new ScoringRuleException(p.Id, $"plugin '{p.Rule.Name}' failed for lead {lead.Id} with {ex.GetType().Name} (see the inner exception)", ex);
        }

        if (!double.IsFinite(raw) || Math.Abs(raw) > 1e12)
        {
            throw new ScoringRuleException(p.Id, $"plugin '{p.Rule.Name}' returned {raw} for lead {lead.Id}; expected a finite number of points", null);
        }

        return Clamp((long)Math.Round(raw * 100d, MidpointRounding.AwayFromZero), p.CapHundredths);
    }

    private static long Clamp(long value, long cap) => value > cap ? cap : value < -cap ? -cap : value;

    private QualificationState StateOf(long total, Grade grade)
    {
        if (total < _mqlScore || grade < _mqlGrade)
        {
            return QualificationState.NotQualified;
        }

        return total >= _hotScore && grade >= _hotGrade ? QualificationState.Hot : QualificationState.MarketingQualified;
    }

    private void CheckSchema(Lead lead)
    {
        if (_readsAttributes && !ReferenceEquals(lead.Attributes.Schema, Schema))
        {
            throw new ArgumentException($"Lead {lead.Id}: its custom attributes use another schema than the one model {Id}@{Version} was compiled against.", nameof(lead));
        }
    }

    private void CheckEncoded(EncodedLeadBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!ReferenceEquals(batch.Owner, this))
        {
            throw new ArgumentException($"The batch was encoded by another model; encode it with {this}.", nameof(batch));
        }
    }

    private static void CheckBatch(int leads, LeadActivities activities, int results)
    {
        if (results < leads)
        {
            throw new ArgumentException($"The results span holds {results} scores but there are {leads} leads.", nameof(results));
        }

        if (!activities.IsNone && activities.LeadCount != leads)
        {
            throw new ArgumentException($"The activities cover {activities.LeadCount} leads but there are {leads}.", nameof(activities));
        }
    }

    private sealed class KernelGroup(int category, bool isFit, ProfileRulePlan[] rules, Func<Lead, long> objectKernel)
    {
        public int Category { get; } = category;

        public bool IsFit { get; } = isFit;

        public ProfileRulePlan[] Rules { get; } = rules;

        public Func<Lead, long> ObjectKernel { get; } = objectKernel;

        /// <summary>Set once by the first <see cref="Encode"/>, before any encoded batch exists.</summary>
        public Func<double[], int, long>? EncodedKernel { get; set; }
    }

    /// <summary>The hot fields of an activity rule, stored by value in the per-type arrays the activity loop walks.</summary>
    private readonly struct ActivityMatcher(ActivityRulePlan plan)
    {
        /// <summary>Windows up to this many days get a contribution table by age with a trailing 0 (a few KB at most).</summary>
        private const int MaxWindowTable = 3660;

        public readonly long WindowTicks = plan.WindowTicks;
        public readonly long[]? WindowTable = plan.WindowDays <= MaxWindowTable ? [.. Enumerable.Range(0, plan.WindowDays).Select(age => plan.Contribution(age)), 0L] : null;
        public readonly bool HasFilter = plan.UrlContains is not null || plan.Campaign is not null;
        public readonly long PointsHundredths = plan.PointsHundredths;
        public readonly long[]? DecayTable = plan.DecayTable;
        public readonly int Slot = plan.Slot;
        public readonly string? UrlContains = plan.UrlContains;
        public readonly string? Campaign = plan.Campaign;
        public readonly ActivityRulePlan Plan = plan;
    }

    /// <summary>Adds one row of an <see cref="ActivityRowTable"/> to the accumulators.</summary>
    private interface IRowAdder
    {
        static abstract void Add(ref long sums, ref int row, ref int slots, int slot, int perRow);
    }

    /// <summary>One rule per row: the type's entry holds the slot itself.</summary>
    private readonly struct OneRulePerRow : IRowAdder
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Add(ref long sums, ref int row, ref int slots, int slot, int perRow) => Unsafe.Add(ref sums, slot) += row;
    }

    /// <summary>Several rules per row: the type's entry says where its slots start.</summary>
    private readonly struct RulesPerRow : IRowAdder
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Add(ref long sums, ref int row, ref int slots, int slot, int perRow)
        {
            ref int first = ref Unsafe.Add(ref slots, slot);
            for (int j = 0; j < perRow; j++)
            {
                Unsafe.Add(ref sums, Unsafe.Add(ref first, j)) += Unsafe.Add(ref row, j);
            }
        }
    }

    private sealed record InactivityPlan(int Index, int Category, long PointsHundredths, int Days);

    private sealed record PluginPlan(int Index, string Id, int Category, IScoringRule Rule, long CapHundredths);
}
