using Alignment.Leads;
using Alignment.Lifecycle;

namespace Alignment.Policies.Lifecycle;

/// <summary>Where one lead stands: its lifecycle stage, who holds it and how.</summary>
public sealed class LeadCustody
{
    /// <summary>Creates the value (the engine does; hosts read it).</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="stage">Its lifecycle stage.</param>
    /// <param name="kind">Who holds it.</param>
    /// <param name="detail">The track, rep or queue holding it, or the closing reason; for a defect, what is wrong.</param>
    internal LeadCustody(LeadId leadId, LifecycleStage stage, LeadCustodyKind kind, string detail)
    {
        LeadId = leadId;
        Stage = stage;
        Kind = kind;
        Detail = detail;
    }

    /// <summary>The lead.</summary>
    public LeadId LeadId { get; }

    /// <summary>Its lifecycle stage.</summary>
    public LifecycleStage Stage { get; }

    /// <summary>Who holds it.</summary>
    public LeadCustodyKind Kind { get; }

    /// <summary>The track, rep or queue holding it, or the closing reason; for a defect, what is wrong.</summary>
    public string Detail { get; }

    /// <summary><see langword="true"/> when the lead is held by sales and is also on an active nurture track (or closed and still on one): a defect.</summary>
    public bool HeldTwice { get; init; }
}
