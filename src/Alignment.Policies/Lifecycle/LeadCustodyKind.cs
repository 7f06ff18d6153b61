namespace Alignment.Policies.Lifecycle;

/// <summary>Who holds a lead: every lead is always in exactly one of these, except <see cref="None"/>, which is a defect.</summary>
public enum LeadCustodyKind
{
    /// <summary>With marketing, on a nurture track (contact may have stopped; the lead stays on record).</summary>
    MarketingTrack = 0,

    /// <summary>With sales: an assigned rep or a queue, with the handoff's service level running.</summary>
    Sales = 1,

    /// <summary>In the pipeline: an open opportunity owned by sales.</summary>
    Pipeline = 2,

    /// <summary>Won. Final.</summary>
    Won = 3,

    /// <summary>Lost and closed with its reason (a lost lead that is recycled is with marketing instead).</summary>
    Lost = 4,

    /// <summary>Disqualified with its reason. Final.</summary>
    Disqualified = 5,

    /// <summary>No owner and no track: a defect the audit reports.</summary>
    None = 6,
}
