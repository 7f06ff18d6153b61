namespace Alignment.AspNetCore.Wire;

/// <summary>What the lead document store keeps for one lead: the lead as merged from every ingest, its activities and the last decision.</summary>
internal sealed record StoredLead
{
    public required LeadRequest Lead { get; init; }

    public List<ActivityRequest> Activities { get; init; } = [];

    public LeadDecisionResponse? LastDecision { get; init; }
}
