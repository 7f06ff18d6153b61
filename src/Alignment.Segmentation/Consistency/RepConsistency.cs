using Alignment.Handoff;

namespace Alignment.Segmentation.Consistency;

/// <summary>The consistency of one rep across the segments they answered for.</summary>
/// <param name="Rep">The rep.</param>
/// <param name="Index">The mean similarity of their answers to the canonical value propositions, 0 to 1.</param>
/// <param name="Answers">How many answers it is the mean of.</param>
public sealed record RepConsistency(RepId Rep, double Index, int Answers);
