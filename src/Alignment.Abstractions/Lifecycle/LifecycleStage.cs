namespace Alignment.Lifecycle;

/// <summary>The stages of the demand waterfall. See <see cref="LifecycleStateMachine"/> for the allowed moves.</summary>
public enum LifecycleStage
{
    /// <summary>A new lead that raised its hand or was captured; with marketing.</summary>
    Inquiry = 0,

    /// <summary>Marketing-qualified lead: the score and grade passed the agreed threshold.</summary>
    MarketingQualified = 1,

    /// <summary>Sales-accepted lead: a rep accepted the handoff.</summary>
    SalesAccepted = 2,

    /// <summary>Sales-qualified lead: sales confirmed need, budget and timing.</summary>
    SalesQualified = 3,

    /// <summary>An opportunity is open in the pipeline.</summary>
    Opportunity = 4,

    /// <summary>The deal was won. Final.</summary>
    Won = 5,

    /// <summary>The deal was lost; the lead is then recycled or stays closed with its reason.</summary>
    Lost = 6,

    /// <summary>Returned to marketing for nurture (rejected for timing, dropped below the threshold, or lost).</summary>
    Recycled = 7,

    /// <summary>Disqualified with a reason (not a fit, bad data, duplicate). Final.</summary>
    Disqualified = 8,
}
