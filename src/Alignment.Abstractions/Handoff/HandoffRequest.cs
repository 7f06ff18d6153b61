using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Scoring;
using Alignment.Segmentation;

namespace Alignment.Handoff;

/// <summary>A qualified lead to route, with what routing rules match on.</summary>
/// <param name="Lead">The lead.</param>
/// <param name="Score">Its score card.</param>
/// <param name="Segment">Its segment, when segmented.</param>
public sealed record HandoffRequest(Lead Lead, ScoreCard Score, SegmentId? Segment)
{
    /// <summary>
    /// The lead's lifecycle stage as the caller has just written it, when known. A router that keeps an accepted lead still with
    /// sales away from routing (the handoff router, given a lifecycle store) reads the lead's lifecycle to know that; a known
    /// stage saves that read, and a stage that is not with sales (not SAL, SQL, opportunity or won) also saves reading the
    /// handoff first. The router trusts it: give a stage the caller has just saved (for example the lead's first move to MQL),
    /// not one read a while ago, which a rep's accept may have moved on since. <see langword="null"/> (the default): the router
    /// reads what it needs.
    /// </summary>
    public LifecycleStage? KnownStage { get; init; }
}
