using Alignment.Handoff;

namespace Alignment.Segmentation.Consistency;

/// <summary>How close one rep's answer for one segment is to the canonical value proposition.</summary>
/// <param name="Segment">The segment.</param>
/// <param name="Rep">The rep.</param>
/// <param name="Similarity">TF-IDF cosine similarity, 0 (nothing in common) to 1 (the same words in the same proportions).</param>
public sealed record AnswerSimilarity(SegmentId Segment, RepId Rep, double Similarity);
