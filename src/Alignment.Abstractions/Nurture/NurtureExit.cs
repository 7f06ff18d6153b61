namespace Alignment.Nurture;

/// <summary>How a nurture enrolment ended (<see cref="Decisions.AlignmentDecision.NurtureExited"/>).</summary>
public enum NurtureExit
{
    /// <summary>The score reached the MQL threshold: the lead left nurture for handoff to sales.</summary>
    ToSales = 0,

    /// <summary>The lead left marketing another way (sales holds it, it was disqualified, the deal closed).</summary>
    LeftMarketing = 1,

    /// <summary>The lead moved to another track (exhausted, time up, track no longer in the policy); an <see cref="Decisions.AlignmentDecision.Enrolled"/> follows.</summary>
    TrackChanged = 2,
}
