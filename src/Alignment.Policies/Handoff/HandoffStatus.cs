namespace Alignment.Policies.Handoff;

/// <summary>Where a handoff stands.</summary>
public enum HandoffStatus
{
    /// <summary>The lead waits in a queue.</summary>
    Queued = 0,

    /// <summary>A rep holds the lead and has not touched it yet: the service-level clock runs.</summary>
    Assigned = 1,

    /// <summary>The rep made first contact; the lead still counts against the rep's cap until accepted or rejected.</summary>
    Touched = 2,

    /// <summary>The rep accepted the lead (it became a sales-accepted lead); it no longer counts against the cap.</summary>
    Accepted = 3,

    /// <summary>The rep rejected the lead for a reason that closes it (not a fit, bad data, duplicate, …).</summary>
    Rejected = 4,

    /// <summary>The rep rejected the lead for timing (not now); it went back to marketing for nurture.</summary>
    Recycled = 5,
}
