namespace Alignment.Policies.Handoff;

/// <summary>
/// <c>weighted</c>: smooth weighted rotation (for example 70/30) by each rep's <c>weight</c>. Every eligible member earns its
/// weight in credit, the one with the most credit is chosen and pays the total back; reps who are away earn no credit.
/// </summary>
internal sealed class WeightedStrategy : RoutingStrategy
{
    /// <inheritdoc/>
    public override string Name => "weighted";

    /// <inheritdoc/>
    public override string Description => "weighted";

    /// <inheritdoc/>
    public override bool NeedsPool => true;

    /// <inheritdoc/>
    public override bool PoolIsFilter => false;

    /// <inheritdoc/>
    public override bool KeepsCredit => true;


    /// <inheritdoc/>

    public override bool ReachesBeyondPool => false;

    /// <inheritdoc/>
    public override bool AddCandidates(CompiledRule rule, in RoutingLead lead, bool[] reps) => AddMembers(rule, reps);

    /// <inheritdoc/>
    public override int Choose(CompiledRoutingPolicy policy, CompiledRule rule, in RoutingLead lead, long nowTicks, RoutingState state, ref RouteNotes notes)
    {
        var members = rule.Members;
        var reps = policy.RepTable;
        var weights = state.Weights[rule.Index];
        long total = 0;
        int best = -1;
        for (int pos = 0; pos < members.Length; pos++)
        {
            int rep = members[pos];
            var reason = policy.Check(rule, rep, rule.MemberHasSkills[pos], lead, nowTicks, state, out int value);
            if (reason != PassOverReason.None)
            {
                notes.Add(new CandidateNote(rule.Index, rep, reason, value));
                continue;
            }

            int w = reps[rep].Weight;
            weights[pos] += w;
            total += w;
            if (best < 0 || weights[pos] > weights[best])
            {
                best = pos;
            }
        }

        if (best < 0)
        {
            return NoEligibleRep;
        }

        weights[best] -= total;
        state.SetCursor(rule.Index, best);
        return members[best];
    }
}
