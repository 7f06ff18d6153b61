using Alignment.Handoff;

namespace Alignment.Policies.Handoff;

internal sealed class CompiledRule
{
    public required string Id { get; init; }

    public required int Index { get; init; }

    public required bool Qualification { get; init; }

    /// <summary>How the rule chooses among its pool; one of <see cref="RoutingStrategies.All"/>.</summary>
    public required RoutingStrategy Strategy { get; init; }

    public required AvailabilityMode Availability { get; init; }

    public SymbolSet? Segments { get; init; }

    public SymbolSet? Countries { get; init; }

    public SymbolSet? ExcludeCountries { get; init; }

    public SymbolSet? Regions { get; init; }

    public SymbolSet? Languages { get; init; }

    public SymbolSet? Sources { get; init; }

    public SymbolSet? Accounts { get; init; }

    public SymbolSet? Domains { get; init; }

    /// <summary>Indexed by <see cref="Alignment.Scoring.QualificationState"/>; null when any state matches.</summary>
    public bool[]? States { get; init; }

    public decimal? MinScore { get; init; }

    public decimal? MaxScore { get; init; }

    public int MinGrade { get; init; }

    public int MaxGrade { get; init; } = int.MaxValue;

    /// <summary>Roster indices of the pool, in rep-id order (the rotation ring).</summary>
    public required int[] Members { get; init; }

    /// <summary>Per member: whether the member has every required skill.</summary>
    public required bool[] MemberHasSkills { get; init; }

    /// <summary>Per roster rep: whether the rep is in the pool, for a rule with a pool whose strategy only filters by it (<see cref="RoutingStrategy.PoolIsFilter"/>); otherwise null.</summary>
    public required bool[]? InPool { get; init; }

    public required bool MatchLanguage { get; init; }

    public required bool MatchTerritory { get; init; }

    public required int QueueIndex { get; init; }

    public required TimeSpan Sla { get; init; }

    public required bool NotifyManager { get; init; }

    public required int MaxReassignments { get; init; }

    public required int EscalationQueueIndex { get; init; }

    /// <summary>The plugin conditions the rule names (<c>"conditions"</c>); every one must hold. Empty when it names none.</summary>
    public IRoutingCondition[] Conditions { get; init; } = [];

    public bool Matches(in RoutingLead lead) => MatchesFields(lead) && MatchesConditions(lead);

    private bool MatchesConditions(in RoutingLead lead)
    {
        foreach (var condition in Conditions)
        {
            bool holds;
            try
            {
                holds = condition.Matches(lead.Plugin);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"The routing condition plugin '{condition.Name}' of rule '{Id}' threw for lead '{lead.Plugin.LeadId}'.", ex);
            }

            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    private bool MatchesFields(in RoutingLead lead)
    {
        if (Qualification && lead.Phase != RoutingPhase.Initial)
        {
            return false;
        }

        if (!In(Segments, lead.Segment) || !In(Countries, lead.Country) || !In(Regions, lead.Region) || !In(Languages, lead.Language)
            || !In(Sources, lead.Source) || !In(Accounts, lead.Account) || !In(Domains, lead.Domain))
        {
            return false;
        }

        if (ExcludeCountries is not null && ExcludeCountries.Contains(lead.Country))
        {
            return false;
        }

        if (States is not null && ((uint)lead.State >= (uint)States.Length || !States[lead.State]))
        {
            return false;
        }

        if ((MinScore is { } min && lead.Score < min) || (MaxScore is { } max && lead.Score > max))
        {
            return false;
        }

        return lead.Grade >= MinGrade && lead.Grade <= MaxGrade;
    }

    private static bool In(SymbolSet? set, int symbol) => set is null || set.Contains(symbol);
}
