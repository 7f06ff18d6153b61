using System.Collections.Immutable;
using Alignment.Segmentation.Collateral;

namespace Alignment.Segmentation.Playbooks;

/// <summary>The answer to "what should I send this lead?": its segment, the segment's playbook and the items to send, best first.</summary>
/// <param name="Assignment">The lead's segment and why.</param>
/// <param name="Playbook">The segment's playbook, or <see langword="null"/> when the model gives the segment none.</param>
/// <param name="Collateral">The fresh, approved items for the segment, ranked by effectiveness.</param>
public sealed record PlaybookRecommendation(SegmentAssignment Assignment, Playbook? Playbook, ImmutableArray<RankedCollateral> Collateral);
