namespace Alignment.Policies.Handoff;

/// <summary><c>loadBalanced</c>: the eligible rep with the fewest open leads; ties are broken by rotation.</summary>
internal sealed class LoadBalancedStrategy : RoutingStrategy
{
    /// <inheritdoc/>
    public override string Name => "loadBalanced";

    /// <inheritdoc/>
    public override string Description => "load-balanced";

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
        ChooseInRotation(policy, rule, lead, nowTicks, state, ref notes, fewestOpen: true);
}
