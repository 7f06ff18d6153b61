using Alignment.Leads;
using Alignment.Lifecycle;

namespace Alignment.Policies.Lifecycle;

/// <summary>Where one lead stands: its lifecycle stage, who holds it and how.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="Stage">Its lifecycle stage.</param>
/// <param name="Kind">Who holds it.</param>
/// <param name="Detail">The track, rep or queue holding it, or the closing reason; for a defect, what is wrong.</param>
public sealed record LeadCustody(LeadId LeadId, LifecycleStage Stage, LeadCustodyKind Kind, string Detail)
{
    /// <summary><see langword="true"/> when the lead is held by sales and is also on an active nurture track (or closed and still on one): a defect.</summary>
    public bool HeldTwice { get; init; }
}
