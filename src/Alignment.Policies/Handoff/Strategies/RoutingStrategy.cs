using System.Text.Json.Serialization;
using Alignment.Policies.Handoff.Definitions;

namespace Alignment.Policies.Handoff;

/// <summary>
/// How a routing rule chooses one rep among the eligible members of its pool. Each strategy is its own sealed type registered
/// once in <see cref="RoutingStrategies"/>, which resolves the <see cref="Name"/> a policy writes in <c>"strategy"</c>; every
/// member below is abstract, so a new strategy that leaves one out does not compile, and one that is not registered cannot be named
/// by a policy (a test walks the assembly for strategy types missing from the registry).
/// </summary>
/// <remarks>Instances are stateless singletons and thread-safe; the mutable side of routing is the <see cref="RoutingState"/> passed in.</remarks>
[JsonConverter(typeof(RoutingStrategyJsonConverter))]
internal abstract class RoutingStrategy
{
    /// <summary>What <see cref="Choose"/> returns when no member of the pool is eligible: the rule's queue takes the lead, or it falls through.</summary>
    public const int NoEligibleRep = -1;

    /// <summary>What <see cref="Choose"/> returns when the rule does not apply to the lead at all: the next rule is tried, the rule's queue is not used.</summary>
    public const int DoesNotApply = -2;

    /// <summary>The name a policy writes in a rule's <c>"strategy"</c> (camel case, such as <c>roundRobin</c>); unique in the registry.</summary>
    public abstract string Name { get; }

    /// <summary>The words decisions are explained with, such as <c>round robin</c> in <c>rule 'rr' (round robin): assigned to ...</c>.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// Load-time rule: whether a rule with this strategy must name a <c>pool</c> (reps and/or teams). When <see langword="false"/>
    /// the pool is optional and the loader accepts a rule without one.
    /// </summary>
    public abstract bool NeedsPool { get; }

    /// <summary>
    /// Load-time rule: whether the pool only restricts which rep may be chosen (compiled to one flag per roster rep,
    /// <see cref="CompiledRule.InPool"/>, and counted in the match-table bound) instead of being the ring the strategy rotates through.
    /// </summary>
    public abstract bool PoolIsFilter { get; }

    /// <summary>
    /// The state the strategy keeps per pool besides the rotation cursor and the reps' load (which every rule has): whether it
    /// keeps a smooth-weighted credit per member (<see cref="RoutingState"/> sizes that array by it, and stores save it in
    /// <see cref="PoolRotation.Weights"/>).
    /// </summary>
    public abstract bool KeepsCredit { get; }

    /// <summary>
    /// Whether <see cref="AddCandidates"/> may mark reps outside the rule's pool (the account owner, who can be anyone on the
    /// roster) or find that the rule does not apply to a lead even with a queue set: then <see cref="CompiledRoutingPolicy.GetCells"/>
    /// puts the rule with every rep and the rules after it in one cell.
    /// </summary>
    public abstract bool ReachesBeyondPool { get; }

    /// <summary>
    /// Marks the reps <see cref="Choose"/> may look at or choose for <paramref name="lead"/> under <paramref name="rule"/> (what
    /// <see cref="CompiledRoutingPolicy.GetFootprint"/> collects, so that a store locks them): a rep it may choose but does not mark
    /// could exceed its cap under concurrent routers.
    /// </summary>
    /// <param name="rule">The matched rule.</param>
    /// <param name="lead">The lead.</param>
    /// <param name="reps">One flag per roster rep, set for each candidate.</param>
    /// <returns><see langword="false"/> when the rule cannot apply to the lead at all (<see cref="DoesNotApply"/>): it touches nothing.</returns>
    public abstract bool AddCandidates(CompiledRule rule, in RoutingLead lead, bool[] reps);

    /// <summary>Marks every member of the rule's pool: the candidates of a strategy that rotates through it.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="reps">One flag per roster rep.</param>
    /// <returns><see langword="true"/>.</returns>
    private protected static bool AddMembers(CompiledRule rule, bool[] reps)
    {
        foreach (int m in rule.Members)
        {
            reps[m] = true;
        }

        return true;
    }

    /// <summary>
    /// Chooses a rep for a lead that matched <paramref name="rule"/>. Synchronous and allocation-free; it checks each candidate with
    /// <see cref="CompiledRoutingPolicy.Check"/>, writes a note for each one it passes over, and moves the pool's rotation or credit
    /// in <paramref name="state"/> when it chooses (the caller then records the assignment).
    /// </summary>
    /// <param name="policy">The policy the rule belongs to.</param>
    /// <param name="rule">The matched rule.</param>
    /// <param name="lead">The lead, prepared by <paramref name="policy"/>.</param>
    /// <param name="nowTicks">The decision time, in UTC ticks.</param>
    /// <param name="state">The routing state of <paramref name="policy"/>.</param>
    /// <param name="notes">Where the passed-over candidates go.</param>
    /// <returns>The chosen rep's roster index, <see cref="NoEligibleRep"/> or <see cref="DoesNotApply"/>.</returns>
    public abstract int Choose(CompiledRoutingPolicy policy, CompiledRule rule, in RoutingLead lead, long nowTicks, RoutingState state, ref RouteNotes notes);

    /// <summary>Returns <see cref="Name"/>.</summary>
    /// <returns>The strategy's name.</returns>
    public sealed override string ToString() => Name;

    /// <summary>
    /// Walks the pool's ring once, starting after the rep chosen last, and chooses the first eligible member, or with
    /// <paramref name="fewestOpen"/> the eligible member with the fewest open leads (ties go to the first in rotation order).
    /// Moves the rotation cursor to the chosen member.
    /// </summary>
    /// <param name="policy">The policy.</param>
    /// <param name="rule">The rule.</param>
    /// <param name="lead">The lead.</param>
    /// <param name="nowTicks">The decision time, in UTC ticks.</param>
    /// <param name="state">The routing state.</param>
    /// <param name="notes">Where the passed-over candidates go.</param>
    /// <param name="fewestOpen">Whether to look at every member and take the least loaded.</param>
    /// <returns>The chosen rep's roster index, or <see cref="NoEligibleRep"/>.</returns>
    private protected static int ChooseInRotation(CompiledRoutingPolicy policy, CompiledRule rule, in RoutingLead lead, long nowTicks, RoutingState state, ref RouteNotes notes, bool fewestOpen)
    {
        var members = rule.Members;
        int n = members.Length;
        int pool = rule.Index;
        int cursor = state.Cursor[pool];
        int best = -1;
        int bestOpen = int.MaxValue;
        for (int k = 1; k <= n; k++)
        {
            int pos = cursor + k;
            if (pos >= n)
            {
                pos -= n;
            }

            int rep = members[pos];
            var reason = policy.Check(rule, rep, rule.MemberHasSkills[pos], lead, nowTicks, state, out int value);
            if (reason != PassOverReason.None)
            {
                notes.Add(new CandidateNote(pool, rep, reason, value));
                continue;
            }

            if (!fewestOpen)
            {
                state.SetCursor(pool, pos);
                return rep;
            }

            int open = state.Open[rep];
            if (open < bestOpen)
            {
                bestOpen = open;
                best = pos;
            }
        }

        if (best < 0)
        {
            return NoEligibleRep;
        }

        state.SetCursor(pool, best);
        return members[best];
    }
}
