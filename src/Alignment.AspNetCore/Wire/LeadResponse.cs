namespace Alignment.AspNetCore.Wire;

/// <summary>A lead as Alignment knows it: current score and explanation, lifecycle history and owner.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="Stage">The lifecycle stage.</param>
/// <param name="Owner">The rep who owns it, if any.</param>
/// <param name="Activities">How many activities are stored for it.</param>
/// <param name="Score">The latest score card.</param>
/// <param name="Segment">The latest segment.</param>
/// <param name="Handoff">The handoff, if any.</param>
/// <param name="Nurture">The latest nurture enrolment, if any.</param>
/// <param name="History">The lifecycle's transitions, oldest first.</param>
public sealed record LeadResponse(string LeadId, string Stage, string? Owner, int Activities, ScoreResponse? Score, SegmentResponse? Segment, HandoffResponse? Handoff, NurtureResponse? Nurture, IReadOnlyList<TransitionResponse> History);
