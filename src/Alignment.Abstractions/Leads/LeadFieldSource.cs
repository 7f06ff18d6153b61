namespace Alignment.Leads;

/// <summary>Where the value of a field of the <see cref="LeadFields"/> catalogue comes from.</summary>
public enum LeadFieldSource
{
    /// <summary>The <see cref="Lead"/> itself: its company, its person, or the lead record.</summary>
    Lead = 0,

    /// <summary>The lead's <see cref="Alignment.Scoring.ScoreCard"/>: known once the lead is scored (segmentation and routing read it; scoring conditions cannot).</summary>
    Score = 1,

    /// <summary>The lead's segment: known once the lead is segmented (routing reads it).</summary>
    Segment = 2,
}
