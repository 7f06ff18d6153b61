using System.Collections.Immutable;
using Alignment.Activities;
using Alignment.Leads;
using Alignment.Segmentation;

namespace Alignment.Policies.Nurture;

/// <summary>A lead as the CRM has it now, with its activities: what the nurture engine reads when a step falls due.</summary>
/// <param name="Lead">The lead.</param>
/// <param name="Activities">Its activities, in any order.</param>
public sealed record LeadSnapshot(Lead Lead, ImmutableArray<LeadActivity> Activities)
{
    /// <summary>The lead's current segment, if known.</summary>
    public SegmentId? Segment { get; init; }
}
