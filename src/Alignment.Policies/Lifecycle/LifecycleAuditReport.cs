using System.Collections.Immutable;

namespace Alignment.Policies.Lifecycle;

/// <summary>The result of a lifecycle audit: how many leads are held how, and every defect by lead.</summary>
public sealed class LifecycleAuditReport
{
    /// <summary>Creates the value (the engine does; hosts read it).</summary>
    /// <param name="leadsAudited">The number of leads audited.</param>
    /// <param name="countsByCustody">How many leads each custody kind holds, indexed by <see cref="LeadCustodyKind"/>.</param>
    /// <param name="withoutOwnerOrTrack">Leads with no owner and no track (should be empty).</param>
    /// <param name="heldTwice">Leads held by sales (or closed) that are also on an active nurture track (should be empty).</param>
    internal LifecycleAuditReport(int leadsAudited, ImmutableArray<int> countsByCustody, ImmutableArray<LeadCustody> withoutOwnerOrTrack, ImmutableArray<LeadCustody> heldTwice)
    {
        LeadsAudited = leadsAudited;
        CountsByCustody = countsByCustody;
        WithoutOwnerOrTrack = withoutOwnerOrTrack;
        HeldTwice = heldTwice;
    }

    /// <summary>The number of leads audited.</summary>
    public int LeadsAudited { get; }

    /// <summary>How many leads each custody kind holds, indexed by <see cref="LeadCustodyKind"/>.</summary>
    public ImmutableArray<int> CountsByCustody { get; }

    /// <summary>Leads with no owner and no track (should be empty).</summary>
    public ImmutableArray<LeadCustody> WithoutOwnerOrTrack { get; }

    /// <summary>Leads held by sales (or closed) that are also on an active nurture track (should be empty).</summary>
    public ImmutableArray<LeadCustody> HeldTwice { get; }

    /// <summary>The number of leads with no owner and no track: the <c>leadsWithoutOwnerOrTrack</c> figure, which must be 0.</summary>
    public int LeadsWithoutOwnerOrTrack => WithoutOwnerOrTrack.Length;

    /// <summary><see langword="true"/> when no lead is lost or held twice.</summary>
    public bool IsClean => WithoutOwnerOrTrack.IsEmpty && HeldTwice.IsEmpty;

    /// <summary>How many leads a custody kind holds.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The count.</returns>
    public int Count(LeadCustodyKind kind) => CountsByCustody[(int)kind];
}
