namespace Alignment.Policies.Handoff;

/// <summary>
/// <c>accountOwner</c>: the owner of the lead's account (matched by account id, then by company or e-mail domain). The rule does
/// not apply to a lead without an owner; a pool, when the rule names one, only restricts which owners it may choose.
/// </summary>
internal sealed class AccountOwnerStrategy : RoutingStrategy
{
    /// <inheritdoc/>
    public override string Name => "accountOwner";

    /// <inheritdoc/>
    public override string Description => "account owner";

    /// <inheritdoc/>
    public override bool NeedsPool => false;

    /// <inheritdoc/>
    public override bool PoolIsFilter => true;

    /// <inheritdoc/>
    public override bool KeepsCredit => false;


    /// <inheritdoc/>

    public override bool ReachesBeyondPool => true;

    /// <inheritdoc/>
    public override bool AddCandidates(CompiledRule rule, in RoutingLead lead, bool[] reps)
    {
        if (lead.Owner < 0)
        {
            return false;
        }

        reps[lead.Owner] = true;
        return true;
    }

    /// <inheritdoc/>
    public override int Choose(CompiledRoutingPolicy policy, CompiledRule rule, in RoutingLead lead, long nowTicks, RoutingState state, ref RouteNotes notes)
    {
        int rep = lead.Owner;
        if (rep < 0)
        {
            notes.Add(new CandidateNote(rule.Index, -1, PassOverReason.NoAccountOwner, 0));
            return DoesNotApply;
        }

        if (rule.InPool is { } inPool && !inPool[rep])
        {
            notes.Add(new CandidateNote(rule.Index, rep, PassOverReason.NotInPool, 0));
            return NoEligibleRep;
        }

        // The pool's required skills are not asked of the owner: only the rep checks (availability, caps, language, territory) apply.
        var reason = policy.Check(rule, rep, true, lead, nowTicks, state, out int value);
        if (reason != PassOverReason.None)
        {
            notes.Add(new CandidateNote(rule.Index, rep, reason, value));
            return NoEligibleRep;
        }

        return rep;
    }
}
