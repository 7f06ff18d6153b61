using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Segmentation;

/// <summary>Puts a lead in exactly one segment of the segmentation model marketing and sales agreed on.</summary>
/// <remarks>Implementations are thread-safe and deterministic.</remarks>
public interface ISegmenter
{
    /// <summary>Assigns a lead to its segment.</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="score">The lead's latest score card, for segments defined on score or grade; <see langword="null"/> when not scored.</param>
    /// <returns>The assignment with its reason.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lead"/> is null.</exception>
    SegmentAssignment Assign(Lead lead, ScoreCard? score);
}
