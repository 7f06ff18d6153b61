using System.Runtime.CompilerServices;
using Alignment.Activities;
using Alignment.Leads;
using Alignment.Scoring.Compilation;

namespace Alignment.Scoring;

// The search behind NextCrossing.
public sealed partial class ScoringModel
{
    /// <summary>
    /// The search for the next change of state. Ages count in whole days, so the score changes only at instants congruent,
    /// modulo a day, to an activity's timestamp (or to the instant an inactivity period starts from). The instants after the
    /// start form a lattice: day q, residue j (the residues sorted in (0, 1 day]) is instant <c>from + q days + residue[j]</c>,
    /// numbered <c>q * residues + j</c>. The score is constant between two lattice instants. For a range of lattice instants,
    /// one pass over the pairs that still change bounds the score from below and above (each pair's points move monotonically
    /// towards 0 or are bounded by their steps; rule caps and category caps are monotone), and gives the exact score at the
    /// range's end; a range whose bounds both have the start's state is skipped, others are halved. When the score only falls,
    /// this is a bisection: about log2(instants up to the horizon) passes.
    /// </summary>
    private ref struct CrossingSearch
    {
        private const long Day = TimeSpan.TicksPerDay;

        private readonly ScoringModel _model;
        private readonly Lead _lead;
        private readonly Grade _grade;
        private readonly long _from;
        private readonly Span<long> _baseCategories;
        private readonly Span<long> _accBase;
        private readonly Span<long> _accLo;
        private readonly Span<long> _accHi;
        private readonly Span<long> _accEnd;
        private readonly Span<long> _categories;
        private readonly Span<long> _ownAfter;
        private readonly Span<long> _residues;
        private Span<Pair> _pairs;
        private int _ownCount;
        private int _residueCount;
        private long _ownBefore;

        public CrossingSearch(ScoringModel model, Lead lead, Grade grade, long from, Span<long> baseCategories, Span<long> accBase, Span<long> accLo,
            Span<long> accHi, Span<long> accEnd, Span<long> categories, Span<long> ownAfter, Span<long> residues)
        {
            _model = model;
            _lead = lead;
            _grade = grade;
            _from = from;
            _baseCategories = baseCategories;
            _accBase = accBase;
            _accLo = accLo;
            _accHi = accHi;
            _accEnd = accEnd;
            _categories = categories;
            _ownAfter = ownAfter;
            _residues = residues;
            _ownBefore = long.MinValue;
        }

        /// <summary>The state at the start.</summary>
        public QualificationState StartState { get; private set; }

        /// <summary>
        /// Collects the pairs whose points still change, the constant points of the others, the own activities and the residues;
        /// returns the number of the last lattice instant up to the horizon (after which nothing changes) and the bound, or -1.
        /// </summary>
        public long Prepare(ReadOnlySpan<LeadActivity> activities, Span<Pair> pairBuffer, RulesByType byType, long until)
        {
            var rules = _model._activityRules;
            var starts = byType.Starts;
            var slots = byType.Slots;
            int types = starts.Length - 1;
            bool inactivity = _model._inactivity.Length > 0;
            long inactiveSpan = 0;
            foreach (var n in _model._inactivity)
            {
                inactiveSpan = Math.Max(inactiveSpan, (n.Days + 1L) * Day);
            }

            long maxTicks = DateTimeOffset.MaxValue.UtcTicks;
            long from = _from;
            long horizon = from;
            int pairCount = 0;
            _accBase.Clear();
            foreach (ref readonly var a in activities)
            {
                uint type = (uint)a.Type;
                if (type >= (uint)types)
                {
                    throw UndefinedType(_lead, a.Type, nameof(activities));
                }

                long ts = a.Timestamp.UtcTicks;
                long age = from - ts;
                bool changes = false;
                for (int k = starts[type]; k < starts[type + 1]; k++)
                {
                    var r = rules[slots[k]];
                    if (r.PointsHundredths == 0
                        || (r.UrlContains is not null && (a.Url is null || !a.Url.Contains(r.UrlContains, StringComparison.OrdinalIgnoreCase)))
                        || (r.Campaign is not null && !string.Equals(a.Campaign, r.Campaign, StringComparison.OrdinalIgnoreCase)))
                    {
                        continue;
                    }

                    if (age >= 0 && age / Day >= r.SteadyAge)
                    {
                        _accBase[r.Slot] += ValueAt(r, age / Day); // no longer changes
                        continue;
                    }

                    pairBuffer[pairCount++] = new Pair { Ticks = ts, Slot = r.Slot };
                    horizon = Math.Max(horizon, r.SteadyAge >= (maxTicks - ts) / Day ? maxTicks : ts + (r.SteadyAge * Day));
                    changes = true;
                }

                if (inactivity && ((1 << (int)type) & OwnActivityMask) != 0)
                {
                    if (age >= 0)
                    {
                        _ownBefore = Math.Max(_ownBefore, ts);
                    }
                    else
                    {
                        _ownAfter[_ownCount++] = ts;
                        horizon = Math.Max(horizon, Math.Min(maxTicks, ts + inactiveSpan));
                        changes = true;
                    }
                }

                if (changes)
                {
                    AddResidue(ts);
                }
            }

            if (inactivity)
            {
                long since = _ownBefore != long.MinValue ? _ownBefore : _lead.CreatedAt?.UtcTicks ?? long.MinValue;
                if (since != long.MinValue)
                {
                    AddResidue(since);
                    horizon = Math.Max(horizon, Math.Min(maxTicks, since + inactiveSpan));
                }
            }

            _pairs = pairBuffer[..pairCount];
            Bounds(from, from, out _, out _, out long start);
            StartState = _model.StateOf(start, _grade);

            // Nothing changes after the horizon; a day's margin costs one more lattice day and guards the half-life zero age.
            horizon = Math.Min(Math.Min(horizon, maxTicks - Day) + Day, until);
            if (horizon <= from || _residueCount == 0)
            {
                return -1;
            }

            var residues = _residues[.._residueCount];
            residues.Sort();
            int distinct = 1;
            for (int i = 1; i < residues.Length; i++)
            {
                if (residues[i] != residues[distinct - 1])
                {
                    residues[distinct++] = residues[i];
                }
            }

            _residueCount = distinct;
            long count = 0;
            for (int j = 0; j < distinct; j++)
            {
                long span = horizon - from - residues[j];
                count += span >= 0 ? (span / Day) + 1 : 0;
            }

            return count - 1;
        }

        /// <summary>The first lattice instant in [0, last] whose state differs from the start's, or -1.</summary>
        public long Find(long last) => Search(0, last, false);

        /// <summary>The instant (UTC ticks) of lattice instant <paramref name="n"/>.</summary>
        public readonly long InstantOf(long n) => _from + ((n / _residueCount) * Day) + _residues[(int)(n % _residueCount)];

        private void AddResidue(long ts)
        {
            long r = (ts - _from) % Day;
            r = r <= 0 ? r + Day : r; // in (0, 1 day]: the first instant after the start congruent to ts
            _residues[_residueCount++] = r;
        }

        /// <summary>The first lattice instant in [a, b] whose state differs from the start's, or -1; <paramref name="endDiffers"/>: b's does.</summary>
        private long Search(long a, long b, bool endDiffers)
        {
            if (!endDiffers)
            {
                Bounds(InstantOf(a), InstantOf(b), out long lo, out long hi, out long end);
                var start = StartState;
                if (_model.StateOf(lo, _grade) == start && _model.StateOf(hi, _grade) == start)
                {
                    return -1; // the state cannot change in this range
                }

                endDiffers = _model.StateOf(end, _grade) != start;
            }

            if (a == b)
            {
                return a; // a single instant: its bounds are its score, so it differs
            }

            long mid = a + ((b - a) / 2);
            long first = Search(a, mid, false);
            return first >= 0 ? first : Search(mid + 1, b, endDiffers);
        }

        /// <summary>Bounds the total over the instants [t1, t2] (UTC ticks) and gives the total at t2 exactly.</summary>
        private readonly void Bounds(long t1, long t2, out long lo, out long hi, out long end)
        {
            var rules = _model._activityRules;
            _accBase.CopyTo(_accLo);
            _accBase.CopyTo(_accHi);
            _accBase.CopyTo(_accEnd);
            foreach (ref readonly var p in _pairs)
            {
                long a2 = t2 - p.Ticks;
                if (a2 < 0)
                {
                    continue; // not yet counted anywhere in the range
                }

                var r = rules[p.Slot];
                long d2 = a2 / Day;
                long v2 = ValueAt(r, d2);
                long a1 = t1 - p.Ticks;
                long l, h;
                if (a1 < 0)
                {
                    // Counted from inside the range: 0 before, then its points from age 0 on.
                    long v0 = ValueAt(r, 0);
                    l = Math.Min(0, Math.Min(v0, v2));
                    h = Math.Max(0, Math.Max(v0, v2));
                    if (!r.TowardsZero)
                    {
                        WidenBySteps(r, 0, d2, ref l, ref h);
                    }
                }
                else
                {
                    long d1 = a1 / Day;
                    if (d1 == d2)
                    {
                        l = h = v2;
                    }
                    else
                    {
                        long v1 = ValueAt(r, d1);
                        l = Math.Min(v1, v2);
                        h = Math.Max(v1, v2);
                        if (!r.TowardsZero)
                        {
                            WidenBySteps(r, d1, d2, ref l, ref h);
                        }
                    }
                }

                _accLo[p.Slot] += l;
                _accHi[p.Slot] += h;
                _accEnd[p.Slot] += v2;
            }

            int categoryCount = _baseCategories.Length;
            var catLo = _categories[..categoryCount];
            var catHi = _categories.Slice(categoryCount, categoryCount);
            var catEnd = _categories.Slice(2 * categoryCount, categoryCount);
            _baseCategories.CopyTo(catLo);
            _baseCategories.CopyTo(catHi);
            _baseCategories.CopyTo(catEnd);
            foreach (var r in rules)
            {
                catLo[r.Category] += Clamp(_accLo[r.Slot], r.CapHundredths);
                catHi[r.Category] += Clamp(_accHi[r.Slot], r.CapHundredths);
                catEnd[r.Category] += Clamp(_accEnd[r.Slot], r.CapHundredths);
            }

            if (_model._inactivity.Length > 0)
            {
                long last1 = _ownBefore, last2 = _ownBefore;
                bool arrives = false;
                foreach (long ts in _ownAfter[.._ownCount])
                {
                    last1 = ts <= t1 ? Math.Max(last1, ts) : last1;
                    last2 = ts <= t2 ? Math.Max(last2, ts) : last2;
                    arrives |= ts > t1 && ts <= t2;
                }

                foreach (var n in _model._inactivity)
                {
                    bool inactive1 = IsInactive(_lead, last1, t1, n.Days);
                    bool inactive2 = IsInactive(_lead, last2, t2, n.Days);
                    long points = n.PointsHundredths;
                    if (arrives || inactive1 != inactive2)
                    {
                        catLo[n.Category] += Math.Min(0, points);
                        catHi[n.Category] += Math.Max(0, points);
                    }
                    else if (inactive2)
                    {
                        catLo[n.Category] += points;
                        catHi[n.Category] += points;
                    }

                    catEnd[n.Category] += inactive2 ? points : 0;
                }
            }

            var caps = _model._categoryCaps;
            lo = hi = end = 0;
            for (int c = 0; c < categoryCount; c++)
            {
                lo += Math.Min(catLo[c], caps[c]);
                hi += Math.Min(catHi[c], caps[c]);
                end += Math.Min(catEnd[c], caps[c]);
            }
        }

        /// <summary><see cref="ActivityRulePlan.ValueAt"/> with its common cases inlined: the search calls it twice per pair and pass.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static long ValueAt(ActivityRulePlan r, long ageDays)
        {
            if (ageDays >= r.WindowDays)
            {
                return 0;
            }

            var table = r.DecayTable;
            return table is null ? r.PointsHundredths : (ulong)ageDays < (ulong)table.Length ? table[ageDays] : r.Contribution(ageDays);
        }

        /// <summary>A stepped decay whose factors rise somewhere: the values of the steps that start in (d1, d2] inside the window.</summary>
        private static void WidenBySteps(ActivityRulePlan r, long d1, long d2, ref long lo, ref long hi)
        {
            var days = r.StepDays!;
            var values = r.StepValues!;
            for (int k = 0; k < days.Length; k++)
            {
                if (days[k] > d1 && days[k] <= d2 && days[k] < r.WindowDays)
                {
                    lo = Math.Min(lo, values[k]);
                    hi = Math.Max(hi, values[k]);
                }
            }
        }
    }
}
