namespace Alignment.AspNetCore.Wire;

/// <summary>What the lead document store keeps for one lead: the lead as merged from every ingest, its activities and the last decision.</summary>
internal sealed record StoredLead
{
    public required LeadRequest Lead { get; init; }

    public List<ActivityRequest> Activities { get; init; } = [];

    public LeadDecisionResponse? LastDecision { get; init; }
}

/// <summary>
/// What the nurture engine reads of a stored lead: the lead, its activities and the id of its last segment. Reading this instead
/// of <see cref="StoredLead"/> skips the last decision's score card, explanation and playbook (most of the document, and its
/// slowest part to read), which the nurture engine never uses.
/// </summary>
internal sealed record StoredLeadHead
{
    public required LeadRequest Lead { get; init; }

    public List<ActivityRequest> Activities { get; init; } = [];

    public DecisionHead? LastDecision { get; init; }

    /// <summary>The part of the last decision the nurture engine uses.</summary>
    internal sealed record DecisionHead
    {
        public SegmentHead? Segment { get; init; }
    }

    /// <summary>The id of the last segment.</summary>
    internal sealed record SegmentHead
    {
        public string? Id { get; init; }
    }
}
