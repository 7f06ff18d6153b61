using System.Collections.Immutable;
using Alignment.Lifecycle;
using Alignment.Segmentation;

namespace Alignment.Policies.Metrics;

/// <summary>What the metrics read about one lead: its lifecycle history and the facts around it (segment, source, first touch, revenue).</summary>
/// <param name="lifecycle">The lead's lifecycle with its full history.</param>
/// <param name="createdAt">When the lead was captured (its inquiry date; periods are counted by it).</param>
public sealed class FunnelLead(LeadLifecycle lifecycle, DateTimeOffset createdAt)
{
    /// <summary>The lead's lifecycle with its full history.</summary>
    public LeadLifecycle Lifecycle { get; } = lifecycle;

    /// <summary>When the lead was captured (its inquiry date; periods are counted by it).</summary>
    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>The lead's segment, if known.</summary>
    public SegmentId? Segment { get; init; }

    /// <summary>The sales team that works the lead, if known (plans and service levels can be cut by it).</summary>
    public string? Team { get; init; }

    /// <summary>The lead source.</summary>
    public string? Source { get; init; }

    /// <summary>The campaign that created the lead.</summary>
    public string? Campaign { get; init; }

    /// <summary>When a rep first touched the lead after it became MQL, if ever.</summary>
    public DateTimeOffset? FirstSalesTouchAt { get; init; }

    /// <summary>When the first touch was due under the handoff's service level, if one ran.</summary>
    public DateTimeOffset? SlaDueAt { get; init; }

    /// <summary>Whether the handoff was escalated (for example reassigned after an SLA breach).</summary>
    public bool Escalated { get; init; }

    /// <summary>The won deal's revenue, for a won lead.</summary>
    public decimal? WonAmount { get; init; }

    /// <summary>The marketing touches, in any order; when empty, <see cref="Source"/> and <see cref="Campaign"/> count as the one touch.</summary>
    public ImmutableArray<MarketingTouch> Touches { get; init; } = [];
}
