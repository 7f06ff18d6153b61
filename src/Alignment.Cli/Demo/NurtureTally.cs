namespace Alignment.Cli.Demo;

/// <summary>What the nurture engine did over the year.</summary>
internal sealed class NurtureTally
{
    /// <summary>Enrolments (a lead put on a track, including recycles and no-shows).</summary>
    public int Enrolments { get; set; }

    /// <summary>Steps sent (e-mails and rep call tasks).</summary>
    public int StepsSent { get; set; }

    /// <summary>Steps skipped (no fresh, approved collateral left for the lead).</summary>
    public int StepsSkipped { get; set; }

    /// <summary>Leads moved to another track (exhausted or out of time).</summary>
    public int TrackChanges { get; set; }

    /// <summary>Leads whose score crossed MQL on a track and went back to handoff.</summary>
    public int ExitsToHandoff { get; set; }

    /// <summary>Leads whose contact stopped (unsubscribed or bounced), kept on record.</summary>
    public int ContactStopped { get; set; }
}
