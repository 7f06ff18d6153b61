using System.Collections.Immutable;
using Alignment.Handoff;

namespace Alignment.Policies.Handoff;

/// <summary>Runs a routing policy over a stream of leads and a roster for a simulated period, with a fresh in-memory state.</summary>
internal static class RoutingSimulation
{
    /// <summary>Simulates routing.</summary>
    /// <param name="policy">The compiled policy (with its roster).</param>
    /// <param name="leads">The leads, in arrival order; a lead's <c>CreatedAt</c> inside the period is its arrival time.</param>
    /// <param name="options">The simulation settings; defaults when <see langword="null"/>.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> or <paramref name="leads"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options have no days, or a negative time.</exception>
    public static RoutingSimulationReport Run(CompiledRoutingPolicy policy, IReadOnlyList<HandoffRequest> leads, RoutingSimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(leads);
        options ??= new RoutingSimulationOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Days, 1, nameof(options.Days));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MeanResponseTime, TimeSpan.Zero, nameof(options.MeanResponseTime));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.HoldTime, TimeSpan.Zero, nameof(options.HoldTime));

        var end = options.Start.AddDays(options.Days);
        var step = leads.Count == 0 ? TimeSpan.Zero : (end - options.Start) / leads.Count;
        var arrivals = new (DateTimeOffset At, int Index)[leads.Count];
        for (int i = 0; i < leads.Count; i++)
        {
            var created = leads[i].Lead.CreatedAt;
            arrivals[i] = (created is { } c && c >= options.Start && c < end ? c : options.Start + step * i, i);
        }

        Array.Sort(arrivals, static (a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Index.CompareTo(b.Index));

        var state = new RoutingState(policy);
        int reps = policy.Reps.Length;
        var assigned = new int[reps];
        var peak = new int[reps];
        var hits = new int[reps];
        var releases = new PriorityQueue<int, DateTimeOffset>();
        var queues = new Dictionary<string, int>(StringComparer.Ordinal);
        var touch = new List<double>();
        var random = new Random(options.Seed);
        var notes = new CandidateNote[256];
        int queued = 0;
        int met = 0;
        int capacityHits = 0;
        foreach (var (at, index) in arrivals)
        {
            while (releases.TryPeek(out int rep, out var when) && when <= at)
            {
                releases.Dequeue();
                state.Release(rep);
            }

            var r = policy.Route(policy.Prepare(leads[index], RoutingPhase.Initial), at, state, notes);
            for (int n = 0; n < r.NoteCount; n++)
            {
                if (notes[n].Reason is PassOverReason.AtCapacity or PassOverReason.DailyCap)
                {
                    capacityHits++;
                    hits[notes[n].RepIndex]++;
                }
            }

            if (!r.IsAssigned)
            {
                string q = policy.Queues[r.QueueIndex];
                queues[q] = queues.GetValueOrDefault(q) + 1;
                queued++;
                continue;
            }

            assigned[r.RepIndex]++;
            peak[r.RepIndex] = Math.Max(peak[r.RepIndex], state.GetRepLoad(r.RepIndex).Open);
            double delay = -Math.Log(1 - random.NextDouble()) * options.MeanResponseTime.TotalMinutes;
            var touchedAt = r.SlaStartsAt + TimeSpan.FromMinutes(delay);
            touch.Add((touchedAt - at).TotalMinutes);
            if (touchedAt <= r.SlaDueAt)
            {
                met++;
            }

            releases.Enqueue(r.RepIndex, touchedAt + options.HoldTime);
        }

        var loads = ImmutableArray.CreateBuilder<RepSimulationLoad>(reps);
        for (int i = 0; i < reps; i++)
        {
            loads.Add(new RepSimulationLoad(policy.Reps[i], assigned[i], peak[i], hits[i]));
        }

        touch.Sort();
        return new RoutingSimulationReport
        {
            Leads = leads.Count,
            Assigned = touch.Count,
            Reps = loads.MoveToImmutable(),
            Queues = queues.ToImmutableDictionary(StringComparer.Ordinal),
            MaxQueueDepth = queued,
            MaxMinRatio = reps == 0 ? 0 : assigned.Min() == 0 ? (assigned.Max() == 0 ? 1 : double.PositiveInfinity) : (double)assigned.Max() / assigned.Min(),
            Gini = Gini(assigned),
            CapacityHits = capacityHits,
            MedianTimeToFirstTouch = Percentile(touch, 0.5),
            P95TimeToFirstTouch = Percentile(touch, 0.95),
            SlaMetRatio = touch.Count == 0 ? 1 : (double)met / touch.Count,
        };
    }

    /// <summary>The Gini coefficient of non-negative counts (0 when all are equal or all zero).</summary>
    /// <param name="counts">The counts.</param>
    /// <returns>The coefficient, 0 to 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="counts"/> is null.</exception>
    internal static double Gini(IReadOnlyList<int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var sorted = counts.Order().ToArray();
        long total = sorted.Sum(c => (long)c);
        if (sorted.Length == 0 || total == 0)
        {
            return 0;
        }

        double weighted = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            weighted += (i + 1) * (double)sorted[i];
        }

        int n = sorted.Length;
        return (2 * weighted) / (n * (double)total) - (n + 1d) / n;
    }

    private static TimeSpan Percentile(List<double> sortedMinutes, double p)
    {
        if (sortedMinutes.Count == 0)
        {
            return TimeSpan.Zero;
        }

        int i = (int)Math.Ceiling(p * sortedMinutes.Count) - 1;
        return TimeSpan.FromMinutes(sortedMinutes[Math.Clamp(i, 0, sortedMinutes.Count - 1)]);
    }
}
