using System.Buffers;
using Alignment.Handoff;

namespace Alignment.Policies.Handoff;

/// <summary>
/// A rule's <c>"strategy": {"plugin": "name"}</c> as read, before the loader resolves the name among the registered plugins. It never
/// routes: the compiler replaces it by a <see cref="PluginStrategy"/> or reports the name.
/// </summary>
internal sealed class PluginStrategyReference(string pluginName) : RoutingStrategy
{
    public string PluginName { get; } = pluginName;

    public override string Name => PluginName;

    public override string Description => $"plugin '{PluginName}'";

    public override bool NeedsPool => true;

    public override bool PoolIsFilter => false;

    public override bool KeepsCredit => false;


    /// <inheritdoc/>

    public override bool ReachesBeyondPool => false;

    public override bool AddCandidates(CompiledRule rule, in RoutingLead lead, bool[] reps) => AddMembers(rule, reps);

    public override int Choose(CompiledRoutingPolicy policy, CompiledRule rule, in RoutingLead lead, long nowTicks, RoutingState state, ref RouteNotes notes) =>
        throw new InvalidOperationException($"The plugin strategy '{PluginName}' was not resolved.");
}

/// <summary>
/// A registered <see cref="IRoutingStrategy"/> behind the engine's strategy shape: the engine checks each pool member, notes those
/// passed over, hands the eligible ones (in rep-id order) to the plugin and commits its choice.
/// </summary>
internal sealed class PluginStrategy(IRoutingStrategy plugin) : RoutingStrategy
{
    public IRoutingStrategy Plugin { get; } = plugin;

    public override string Name => Plugin.Name;

    public override string Description => $"plugin '{Plugin.Name}'";

    public override bool NeedsPool => true;

    public override bool PoolIsFilter => false;

    public override bool KeepsCredit => false;


    /// <inheritdoc/>

    public override bool ReachesBeyondPool => false;

    public override bool AddCandidates(CompiledRule rule, in RoutingLead lead, bool[] reps) => AddMembers(rule, reps);

    public override int Choose(CompiledRoutingPolicy policy, CompiledRule rule, in RoutingLead lead, long nowTicks, RoutingState state, ref RouteNotes notes)
    {
        var members = rule.Members;
        int[] positions = ArrayPool<int>.Shared.Rent(members.Length);
        RepId[] eligible = ArrayPool<RepId>.Shared.Rent(members.Length);
        try
        {
            int count = 0;
            for (int pos = 0; pos < members.Length; pos++)
            {
                int rep = members[pos];
                var reason = policy.Check(rule, rep, rule.MemberHasSkills[pos], lead, nowTicks, state, out int value);
                if (reason != PassOverReason.None)
                {
                    notes.Add(new CandidateNote(rule.Index, rep, reason, value));
                    continue;
                }

                positions[count] = pos;
                eligible[count++] = policy.RepTable[rep].Id;
            }

            if (count == 0)
            {
                return NoEligibleRep;
            }

            int chosen;
            try
            {
                chosen = Plugin.Choose(lead.Plugin, eligible.AsSpan(0, count));
            }
            catch (Exception ex)
            {
                throw Failure(rule, lead, "threw", ex);
            }

            if (chosen == -1)
            {
                return NoEligibleRep;
            }

            if ((uint)chosen >= (uint)count)
            {
                throw Failure(rule, lead, $"returned {chosen}, not -1 or an index below {count}", null);
            }

            state.SetCursor(rule.Index, positions[chosen]);
            return members[positions[chosen]];
        }
        finally
        {
            ArrayPool<int>.Shared.Return(positions);
            ArrayPool<RepId>.Shared.Return(eligible, clearArray: true);
        }
    }

    private InvalidOperationException Failure(CompiledRule rule, in RoutingLead lead, string what, Exception? inner) =>
        new($"The routing strategy plugin '{Plugin.Name}' of rule '{rule.Id}' {what} for lead '{lead.Plugin.LeadId}'.", inner);
}
