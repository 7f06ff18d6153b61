namespace Alignment.Scoring.Predictive;

/// <summary>What eventually happened to a lead, as recorded in the history the predictive scorer learns from.</summary>
public enum LeadOutcome
{
    /// <summary>The lead is still open: it is scored, never counted in the frequency tables.</summary>
    Open = 0,

    /// <summary>The lead was won: it adds one won to every stage and to each of its field values.</summary>
    Won = 1,

    /// <summary>The lead was lost in its stage: it adds one lost to that stage, every earlier stage and each of its field values.</summary>
    Lost = 2,
}
