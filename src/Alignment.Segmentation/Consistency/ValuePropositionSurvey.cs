namespace Alignment.Segmentation.Consistency;

/// <summary>For one segment: the canonical value proposition and every rep's answer to "what is your value proposition for this segment?".</summary>
/// <param name="Segment">The segment.</param>
/// <param name="Canonical">The canonical value proposition (the playbook's).</param>
/// <param name="Answers">The reps' answers.</param>
public sealed record ValuePropositionSurvey(SegmentId Segment, string Canonical, IReadOnlyList<RepAnswer> Answers);
