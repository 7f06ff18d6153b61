namespace Alignment.Nurture;

/// <summary>What happened to a lead in a webinar or event campaign (<see cref="Decisions.AlignmentDecision.CampaignChanged"/>).</summary>
public enum CampaignEvent
{
    /// <summary>The lead was invited.</summary>
    Invited = 0,

    /// <summary>The lead registered.</summary>
    Registered = 1,

    /// <summary>The lead attended.</summary>
    Attended = 2,

    /// <summary>The campaign closed: the lead registered, did not attend, and was put on the no-show nurture track.</summary>
    NoShowEnrolled = 3,

    /// <summary>The campaign closed: the lead registered and did not attend, but is with sales or out of marketing's hands, so it was not put on nurture.</summary>
    NoShowNotEnrolled = 4,

    /// <summary>The campaign closed: the lead attended, and a rep's follow-up task was handed over with its due time.</summary>
    FollowUpRequested = 5,

    /// <summary>A rep followed up the attendee.</summary>
    FollowedUp = 6,

    /// <summary>Before the event: a rep's call task for the invitee (to learn their interests so the content can be tailored) was handed over.</summary>
    PreEventCallRequested = 7,

    /// <summary>Before the event: a rep called the invitee and recorded the interests they heard.</summary>
    PreEventCalled = 8,
}
