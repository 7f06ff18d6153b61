namespace Alignment.Policies.Nurture;

/// <summary>Where an enrolment stands. Values are stable: they are persisted.</summary>
public enum NurtureEnrolmentStatus
{
    /// <summary>On the track; steps are sent as they fall due.</summary>
    Active = 0,

    /// <summary>The lead unsubscribed or bounced: no more contact, but the lead stays with marketing, on record, on this track (its exits are still checked once a cadence).</summary>
    ContactStopped = 1,

    /// <summary>The lead left the track (back to sales, moved to another track, or disqualified); see the status reason.</summary>
    Ended = 2,
}
