using System.Collections.Immutable;

namespace Alignment.Policies.Handoff;

/// <summary>What a routing simulation found: per-rep load, fairness, capacity hits, queues and time to first touch against the SLA.</summary>
internal sealed class RoutingSimulationReport
{
    /// <summary>Leads routed (each got exactly one outcome).</summary>
    public int Leads { get; internal init; }

    /// <summary>Leads assigned to a rep.</summary>
    public int Assigned { get; internal init; }

    /// <summary>Per-rep load, in roster order.</summary>
    public ImmutableArray<RepSimulationLoad> Reps { get; internal init; }

    /// <summary>Leads per queue (queues are not drained in a simulation, so this is also each queue's final depth).</summary>
    public ImmutableDictionary<string, int> Queues { get; internal init; } = ImmutableDictionary<string, int>.Empty;

    /// <summary>The largest total queue depth at any time.</summary>
    public int MaxQueueDepth { get; internal init; }

    /// <summary>The most assignments of a rep divided by the fewest (∞ when a rep got none).</summary>
    public double MaxMinRatio { get; internal init; }

    /// <summary>The Gini coefficient of assignments over reps: 0 is perfectly even, 1 is one rep taking everything.</summary>
    public double Gini { get; internal init; }

    /// <summary>Candidates passed over for being at a cap (open or daily), in all.</summary>
    public int CapacityHits { get; internal init; }

    /// <summary>The median time from a lead's arrival to the rep's first touch.</summary>
    public TimeSpan MedianTimeToFirstTouch { get; internal init; }

    /// <summary>The 95th percentile time from arrival to first touch.</summary>
    public TimeSpan P95TimeToFirstTouch { get; internal init; }

    /// <summary>The share of assigned leads touched before their SLA deadline (0 to 1).</summary>
    public double SlaMetRatio { get; internal init; }
}
