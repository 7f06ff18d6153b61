namespace Alignment.AspNetCore.Wire;

/// <summary>What Alignment decided for a lead on ingest: its score, segment and playbook, and the handoff or the nurture track.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="Created">Whether this ingest created the lead.</param>
/// <param name="Stage">The lifecycle stage after the decision (for example <c>MarketingQualified</c>).</param>
/// <param name="Score">The score card, with the explanation rule by rule.</param>
/// <param name="Segment">The segment and its playbook, when the tenant has a segmentation model.</param>
/// <param name="Handoff">The handoff to sales, when the lead is with sales.</param>
/// <param name="Nurture">The nurture track, when the lead is with marketing on a track.</param>
public sealed record LeadDecisionResponse(string LeadId, bool Created, string Stage, ScoreResponse Score, SegmentResponse? Segment, HandoffResponse? Handoff, NurtureResponse? Nurture);
