using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Alignment.Activities;
using Alignment.Leads;
using Alignment.Scoring.Compilation;

namespace Alignment.Scoring;

// When the score next crosses a threshold with time alone: a search over the instants at which the score can change.
public sealed partial class ScoringModel : IScoreCrossingCalculator
{
    private const int CrossingStackLimit = 256;

    /// <summary>The activity rules by activity type, built on the first <see cref="NextCrossing"/> (idempotent, so a race is harmless).</summary>
    private RulesByType? _rulesByType;

    /// <inheritdoc />
    PredictedCrossing? IScoreCrossingCalculator.NextCrossing(Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset from, DateTimeOffset? until) =>
        NextCrossing(lead, activities, from, until) is { } c ? new PredictedCrossing(c.At, c.Crossing, c.Score.Total) : null;

    /// <summary>
    /// Computes the first instant after <paramref name="from"/> at which the lead's qualification state changes with the
    /// passage of time alone, and the score from then on; <see langword="null"/> when the state stays the same up to
    /// <paramref name="until"/> (or for ever).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Exact with respect to <see cref="Score"/> and <see cref="Evaluate"/>: the state is the same at every instant of
    /// [<paramref name="from"/>, At) and differs at At (compared to the tick). Ages count in whole days, so the score only
    /// changes at an activity's timestamp plus a whole number of days (when its age reaches the next day, a decay step or
    /// the end of its window) or when an inactivity period ends; the search bounds the score over ranges of these instants
    /// and narrows down to the first one whose state differs. It costs a few passes over the lead's activities whose points
    /// can still change (about log2 of the number of such instants up to the last change) and allocates nothing: its buffers
    /// are on the stack, or rented from the shared array pool for a lead with more than 256 activity-rule matches.
    /// </para>
    /// <para>
    /// The state usually falls (decay, windows, inactivity), but it can rise: negative points that decay or leave their
    /// window, stepped decay whose factors increase, and activities dated after <paramref name="from"/>, which count from
    /// their timestamps on as they do in <see cref="Score"/>. Both directions are reported (<see cref="ThresholdCrossing.IsDown"/>, <see cref="ThresholdCrossing.IsUp"/>).
    /// The grade does not change with time: a lead below the MQL grade never crosses. New activities change the answer;
    /// compute it again when the lead has some.
    /// </para>
    /// </remarks>
    /// <param name="lead">The lead.</param>
    /// <param name="activities">Its activities, as passed to <see cref="Score"/>.</param>
    /// <param name="from">Where the search starts; the state at this instant is the one the crossing leaves.</param>
    /// <param name="until">The last instant to search (inclusive), or <see langword="null"/> for no bound.</param>
    /// <returns>The crossing, or <see langword="null"/> when there is none after <paramref name="from"/> up to <paramref name="until"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lead"/> is null.</exception>
    /// <exception cref="ArgumentException">The lead's attributes use another schema, or an activity has an undefined type.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="until"/> is before <paramref name="from"/>.</exception>
    /// <exception cref="NotSupportedException">The model has plugin rules, whose points may change with time in ways the model cannot see.</exception>
    public ScoreCrossing? NextCrossing(Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset from, DateTimeOffset? until = null)
    {
        ArgumentNullException.ThrowIfNull(lead);
        CheckSchema(lead);
        if (until is { } u && u < from)
        {
            throw new ArgumentOutOfRangeException(nameof(until), until, $"The search must end at or after its start ({from:O}).");
        }

        if (_plugins.Length > 0)
        {
            throw new NotSupportedException($"Model {this} has plugin rules: their points may change with time in ways the model cannot see, so it cannot compute when the score crosses a threshold.");
        }

        var byType = _rulesByType ??= new RulesByType(_activityRules);
        int ruleCount = _activityRules.Length;
        Span<long> baseCategories = stackalloc long[Math.Min(_categoryIds.Length, StackLimit)];
        if (baseCategories.Length != _categoryIds.Length)
        {
            baseCategories = new long[_categoryIds.Length];
        }

        int gradeSteps = 0;
        foreach (var k in _kernels)
        {
            ProfileKernels.Unpack(k.ObjectKernel(lead), out long points, out int steps);
            baseCategories[k.Category] += points;
            gradeSteps += steps;
        }

        var grade = Grades.Start.Move(gradeSteps);
        if (!_needsActivities || grade < _mqlGrade)
        {
            return null; // nothing changes with time, or the grade keeps the lead below MQL whatever the score
        }

        // Buffers: the changing (activity, rule) pairs, own-activity timestamps, the residues of change instants in a day.
        int pairCapacity = activities.Length * byType.MostPerType;
        Pair[]? rentedPairs = null;
        long[]? rentedTicks = null;
        Span<Pair> pairs = pairCapacity <= CrossingStackLimit ? stackalloc Pair[pairCapacity] : (rentedPairs = ArrayPool<Pair>.Shared.Rent(pairCapacity));
        int tickCapacity = (2 * activities.Length) + 1;
        Span<long> ticks = tickCapacity <= 2 * CrossingStackLimit ? stackalloc long[tickCapacity] : (rentedTicks = ArrayPool<long>.Shared.Rent(tickCapacity));
        Span<long> acc = ruleCount < StackLimit ? stackalloc long[(ruleCount * 4) + 4] : new long[(ruleCount * 4) + 4];
        int categoryCount = _categoryIds.Length;
        Span<long> work = categoryCount <= StackLimit ? stackalloc long[3 * categoryCount] : new long[3 * categoryCount];
        try
        {
            var search = new CrossingSearch(this, lead, grade, from.UtcTicks, baseCategories, acc[..ruleCount], acc.Slice(ruleCount, ruleCount),
                acc.Slice(2 * ruleCount, ruleCount), acc.Slice(3 * ruleCount, ruleCount), work, ticks[..activities.Length], ticks[activities.Length..]);
            long last = search.Prepare(activities, pairs, byType, until?.UtcTicks ?? long.MaxValue);
            long n = last < 0 ? -1 : search.Find(last);
            if (n < 0)
            {
                return null;
            }

            long at = search.InstantOf(n);
            var atTime = new DateTimeOffset(at, TimeSpan.Zero);
            Span<long> categories = stackalloc long[Math.Min(_categoryIds.Length, StackLimit)];
            if (categories.Length != _categoryIds.Length)
            {
                categories = new long[_categoryIds.Length];
            }

            var score = EvaluateCore(lead, null, 0, activities, atTime, categories, acc[..(ruleCount + 1)]);
            Debug.Assert(score.State != search.StartState, "the search stops at a change of state");
            return new ScoreCrossing(atTime, search.StartState, score);
        }
        finally
        {
            if (rentedPairs is not null)
            {
                ArrayPool<Pair>.Shared.Return(rentedPairs);
            }

            if (rentedTicks is not null)
            {
                ArrayPool<long>.Shared.Return(rentedTicks);
            }
        }
    }

    /// <summary>An activity whose points under one rule can still change after the search's start.</summary>
    private struct Pair
    {
        public long Ticks;
        public int Slot;
    }

    /// <summary>The activity rules grouped by activity type (slots into the model's activity rules).</summary>
    private sealed class RulesByType
    {
        public RulesByType(ActivityRulePlan[] rules)
        {
            int types = Enum.GetValues<ActivityType>().Length;
            var sorted = rules.OrderBy(r => (int)r.Definition.Activity).ThenBy(r => r.Slot).ToArray();
            Starts = new int[types + 1];
            for (int t = 0; t < types; t++)
            {
                Starts[t + 1] = Starts[t] + sorted.Count(r => (int)r.Definition.Activity == t);
                MostPerType = Math.Max(MostPerType, Starts[t + 1] - Starts[t]);
            }

            Slots = [.. sorted.Select(r => r.Slot)];
        }

        /// <summary>The rules of type t are <c>Slots[Starts[t]..Starts[t + 1]]</c>.</summary>
        public int[] Starts { get; }

        public int[] Slots { get; }

        public int MostPerType { get; }
    }
}
