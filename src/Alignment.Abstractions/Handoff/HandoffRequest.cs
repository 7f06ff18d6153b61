using Alignment.Leads;
using Alignment.Scoring;
using Alignment.Segmentation;

namespace Alignment.Handoff;

/// <summary>A qualified lead to route, with what routing rules match on.</summary>
/// <param name="Lead">The lead.</param>
/// <param name="Score">Its score card.</param>
/// <param name="Segment">Its segment, when segmented.</param>
public sealed record HandoffRequest(Lead Lead, ScoreCard Score, SegmentId? Segment);
