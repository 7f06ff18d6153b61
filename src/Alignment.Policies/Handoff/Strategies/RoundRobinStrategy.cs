namespace Alignment.Policies.Handoff;

/// <summary>
/// <c>roundRobin</c>: rotation in rep-id order that skips unavailable or full reps without resetting for the others; a rep back
/// from leave rejoins the rotation where it stands and is not flooded.
/// </summary>
internal sealed class RoundRobinStrategy : RoutingStrategy
{
    /// <inheritdoc/>
    public override string Name => "roundRobin";

    /// <inheritdoc/>
    public override string Description => "round robin";

    /// <inheritdoc/>
    public override bool NeedsPool => true;

    /// <inheritdoc/>
    public override bool PoolIsFilter => false;

    /// <inheritdoc/>
    public override bool KeepsCredit => false;


    /// <inheritdoc/>

    public override bool ReachesBeyondPool => false;

    /// <inheritdoc/>
    public override bool AddCandidates(CompiledRule rule, in RoutingLead lead, bool[] reps) => AddMembers(rule, reps);

    /// <inheritdoc/>
    public override int Choose(CompiledRoutingPolicy policy, CompiledRule rule, in RoutingLead lead, long nowTicks, RoutingState state, ref RouteNotes notes) =>
        ChooseInRotation(policy, rule, lead, nowTicks, state, ref notes, fewestOpen: false);
}
