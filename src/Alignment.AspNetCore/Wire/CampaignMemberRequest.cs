namespace Alignment.AspNetCore.Wire;

/// <summary>The body of a campaign step (invite, register, attend): the lead.</summary>
public sealed record CampaignMemberRequest
{
    /// <summary>The lead (required; an invite needs a lead ingested before).</summary>
    public string? LeadId { get; init; }
}
