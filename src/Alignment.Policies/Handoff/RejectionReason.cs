namespace Alignment.Policies.Handoff;

/// <summary>Why sales rejected a lead; kept with the handoff for backtesting the scoring standard.</summary>
public enum RejectionReason
{
    /// <summary>The company or person does not fit the ideal customer profile.</summary>
    NotAFit = 0,

    /// <summary>The contact data is wrong or fake.</summary>
    BadData = 1,

    /// <summary>The lead duplicates one sales already has.</summary>
    Duplicate = 2,

    /// <summary>No budget.</summary>
    NoBudget = 3,

    /// <summary>Wrong timing: a fit, but not buying yet. Recycled to marketing by default.</summary>
    Timing = 4,

    /// <summary>"Not now": asked to be contacted later. Recycled to marketing by default.</summary>
    NotNow = 5,

    /// <summary>The contact cannot decide or influence a purchase.</summary>
    NoAuthority = 6,

    /// <summary>Any other reason (say which in the note).</summary>
    Other = 7,
}
