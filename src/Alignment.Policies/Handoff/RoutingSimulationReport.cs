using System.Collections.Immutable;

namespace Alignment.Policies.Handoff;

/// <summary>What a routing simulation found: per-rep load, fairness, capacity hits, queues and time to first touch against the SLA.</summary>
public sealed record RoutingSimulationReport
{
    /// <summary>Leads routed (each got exactly one outcome).</summary>
    public required int Leads { get; init; }

    /// <summary>Leads assigned to a rep.</summary>
    public required int Assigned { get; init; }

    /// <summary>Per-rep load, in roster order.</summary>
    public required ImmutableArray<RepSimulationLoad> Reps { get; init; }

    /// <summary>Leads per queue (queues are not drained in a simulation, so this is also each queue's final depth).</summary>
    public required ImmutableDictionary<string, int> Queues { get; init; }

    /// <summary>The largest total queue depth at any time.</summary>
    public required int MaxQueueDepth { get; init; }

    /// <summary>The most assignments of a rep divided by the fewest (∞ when a rep got none).</summary>
    public required double MaxMinRatio { get; init; }

    /// <summary>The Gini coefficient of assignments over reps: 0 is perfectly even, 1 is one rep taking everything.</summary>
    public required double Gini { get; init; }

    /// <summary>Candidates passed over for being at a cap (open or daily), in all.</summary>
    public required int CapacityHits { get; init; }

    /// <summary>The median time from a lead's arrival to the rep's first touch.</summary>
    public required TimeSpan MedianTimeToFirstTouch { get; init; }

    /// <summary>The 95th percentile time from arrival to first touch.</summary>
    public required TimeSpan P95TimeToFirstTouch { get; init; }

    /// <summary>The share of assigned leads touched before their SLA deadline (0 to 1).</summary>
    public required double SlaMetRatio { get; init; }
}
