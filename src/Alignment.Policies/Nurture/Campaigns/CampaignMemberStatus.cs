namespace Alignment.Policies.Nurture.Campaigns;

/// <summary>How far a lead got in a webinar or event campaign. Each status implies the ones before it.</summary>
public enum CampaignMemberStatus
{
    /// <summary>Invited.</summary>
    Invited = 0,

    /// <summary>Registered.</summary>
    Registered = 1,

    /// <summary>Attended.</summary>
    Attended = 2,
}
