using System.Collections.Immutable;

namespace Alignment.Segmentation.Consistency;

/// <summary>The consistency of one segment's message.</summary>
/// <param name="Segment">The segment.</param>
/// <param name="Index">The mean similarity of the reps' answers to the canonical value proposition, 0 to 1 (0 when nobody answered).</param>
/// <param name="Answers">Each answer's similarity, least similar first.</param>
public sealed record SegmentConsistency(SegmentId Segment, double Index, ImmutableArray<AnswerSimilarity> Answers);
