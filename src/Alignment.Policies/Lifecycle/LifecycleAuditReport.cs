using System.Collections.Immutable;

namespace Alignment.Policies.Lifecycle;

/// <summary>The result of a lifecycle audit: how many leads are held how, and every defect by lead.</summary>
/// <param name="LeadsAudited">The number of leads audited.</param>
/// <param name="CountsByCustody">How many leads each custody kind holds, indexed by <see cref="LeadCustodyKind"/>.</param>
/// <param name="WithoutOwnerOrTrack">Leads with no owner and no track (should be empty).</param>
/// <param name="HeldTwice">Leads held by sales (or closed) that are also on an active nurture track (should be empty).</param>
public sealed record LifecycleAuditReport(int LeadsAudited, ImmutableArray<int> CountsByCustody, ImmutableArray<LeadCustody> WithoutOwnerOrTrack, ImmutableArray<LeadCustody> HeldTwice)
{
    /// <summary>The number of leads with no owner and no track: the <c>leadsWithoutOwnerOrTrack</c> figure, which must be 0.</summary>
    public int LeadsWithoutOwnerOrTrack => WithoutOwnerOrTrack.Length;

    /// <summary><see langword="true"/> when no lead is lost or held twice.</summary>
    public bool IsClean => WithoutOwnerOrTrack.IsEmpty && HeldTwice.IsEmpty;

    /// <summary>How many leads a custody kind holds.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The count.</returns>
    public int Count(LeadCustodyKind kind) => CountsByCustody[(int)kind];
}
