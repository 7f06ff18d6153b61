using System.Collections.Immutable;
using Alignment.Activities;
using Alignment.Leads;
using Alignment.Segmentation;

namespace Alignment.Policies.Nurture;

/// <summary>A lead as the CRM has it now, with its activities: what the nurture engine reads when a step falls due.</summary>
/// <param name="lead">The lead.</param>
/// <param name="activities">Its activities, in any order.</param>
public sealed class LeadSnapshot(Lead lead, ImmutableArray<LeadActivity> activities)
{
    /// <summary>The lead.</summary>
    public Lead Lead { get; } = lead;

    /// <summary>Its activities, in any order.</summary>
    public ImmutableArray<LeadActivity> Activities { get; } = activities;

    /// <summary>The lead's current segment, if known.</summary>
    public SegmentId? Segment { get; init; }
}
