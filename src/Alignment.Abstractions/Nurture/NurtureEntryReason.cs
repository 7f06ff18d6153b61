namespace Alignment.Nurture;

/// <summary>Why a lead entered a nurture track.</summary>
public enum NurtureEntryReason
{
    /// <summary>A new lead that is not sales-ready yet.</summary>
    NotSalesReady = 0,

    /// <summary>A lead that never engaged.</summary>
    NeverEngaged = 1,

    /// <summary>Sales rejected it for timing ("not now").</summary>
    RecycledTiming = 2,

    /// <summary>Its deal was lost.</summary>
    LostDeal = 3,

    /// <summary>It registered for a webinar and did not attend.</summary>
    WebinarNoShow = 4,

    /// <summary>It was met at an event or trade show.</summary>
    EventContact = 5,

    /// <summary>Its score decayed below the MQL threshold.</summary>
    DroppedBelowThreshold = 6,
}
