using Alignment.Handoff;

namespace Alignment.Segmentation.Consistency;

/// <summary>A rep's own words for a segment's value proposition.</summary>
/// <param name="Rep">The rep.</param>
/// <param name="Text">What they said.</param>
public sealed record RepAnswer(RepId Rep, string Text);
