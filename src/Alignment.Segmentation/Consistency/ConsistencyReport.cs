using System.Collections.Immutable;

namespace Alignment.Segmentation.Consistency;

/// <summary>How consistently reps state the value propositions marketing wrote.</summary>
/// <param name="Overall">The mean similarity over every answer, 0 to 1 (0 when there is none).</param>
/// <param name="Segments">Per segment, in the order given.</param>
/// <param name="Reps">Per rep, least consistent first.</param>
/// <param name="MostDivergent">The answers least like the canonical value proposition, least similar first.</param>
public sealed record ConsistencyReport(double Overall, ImmutableArray<SegmentConsistency> Segments, ImmutableArray<RepConsistency> Reps, ImmutableArray<AnswerSimilarity> MostDivergent);
