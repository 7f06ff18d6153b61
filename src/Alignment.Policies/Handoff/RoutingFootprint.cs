using System.Collections.Immutable;
using Alignment.Handoff;
using Alignment.Leads;

namespace Alignment.Policies.Handoff;

/// <summary>
/// What one routing decision can read and change in a <see cref="RoutingState"/>: the pools whose rotation it may move and the reps
/// whose counters it may read or raise. Made by <see cref="CompiledRoutingPolicy.GetFootprint"/> before the decision, so that a
/// store can lock only these (see <see cref="IRoutingStateStore.DecideWithinAsync(CompiledRoutingPolicy, LeadId, int?, RoutingFootprint, Func{HandoffAssignment?, RoutingState, HandoffAssignment}, CancellationToken)"/>)
/// and decisions in other pools run at the same time.
/// </summary>
/// <remarks>
/// Immutable. It does not name the rep the lead's current handoff holds, whose capacity the store frees itself: the store knows
/// that rep once it has read the handoff.
/// </remarks>
public sealed class RoutingFootprint
{
    internal RoutingFootprint(ImmutableArray<string> poolKeys, ImmutableArray<RepId> reps, bool wholePolicy)
    {
        PoolKeys = poolKeys;
        Reps = reps;
        IsWholePolicy = wholePolicy;
    }

    /// <summary>The keys of the pools the decision may read and move (a subset of <see cref="RoutingState.PoolKeys"/>), in policy order.</summary>
    public ImmutableArray<string> PoolKeys { get; }

    /// <summary>The reps whose counters the decision may read or change (a subset of <see cref="RoutingState.Reps"/>), in roster order.</summary>
    public ImmutableArray<RepId> Reps { get; }

    /// <summary>Whether this is every pool and rep of the policy (the footprint of a decision nothing is known about beforehand).</summary>
    public bool IsWholePolicy { get; }
}
