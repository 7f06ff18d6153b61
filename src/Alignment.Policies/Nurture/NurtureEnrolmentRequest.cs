using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Segmentation;

namespace Alignment.Policies.Nurture;

/// <summary>Asks the nurture engine to put a lead on a track.</summary>
/// <param name="lead">The lead.</param>
/// <param name="reason">Why it enters nurture.</param>
public sealed class NurtureEnrolmentRequest(Lead lead, NurtureEntryReason reason)
{
    /// <summary>The lead.</summary>
    public Lead Lead { get; } = lead;

    /// <summary>Why it enters nurture.</summary>
    public NurtureEntryReason Reason { get; } = reason;

    /// <summary>The lead's segment, if known; tracks may be per segment.</summary>
    public SegmentId? Segment { get; init; }

    /// <summary>The campaign (webinar, event) behind the enrolment, if any; steps use it to find campaign collateral (the recording).</summary>
    public string? Campaign { get; init; }

    /// <summary>Who sends the lead to nurture (recorded on the lifecycle transition when the lead is recycled).</summary>
    /// <value>Defaults to <see cref="LifecycleActor.Marketing"/>.</value>
    public LifecycleActor Actor { get; init; } = LifecycleActor.Marketing;

    /// <summary>Free-text detail recorded with the reason (for example the rep's rejection note).</summary>
    public string? Note { get; init; }
}
