using Alignment.AspNetCore.Wire;
using Alignment.Handoff;
using Alignment.Lifecycle;
using Alignment.Models;
using Alignment.Policies.Handoff;
using Alignment.Policies.Nurture;
using Alignment.Scoring;
using Alignment.Segmentation;
using Alignment.Segmentation.Playbooks;

namespace Alignment.AspNetCore.Endpoints;

/// <summary>Alignment's types in their wire form.</summary>
internal static class Responses
{
    public static ScoreResponse Score(ScoreCard card) => new(
        card.Total, card.Fit, card.Engagement, card.Grade.ToLetter(), card.State.ToString(), card.AsOf,
        new ModelResponse(card.ModelId, card.ModelVersion, card.ModelHash),
        [.. card.Explanation.Select(c => new ContributionResponse(c.RuleId, c.Category, c.Component.ToString(), c.Points, c.GradeSteps))]);

    public static SegmentResponse Segment(SegmentAssignment assignment, PlaybookRecommendation? recommendation) => new(
        assignment.Segment.Value, assignment.Reason,
        recommendation?.Playbook is { } p ? new PlaybookResponse(p.ValueProposition, p.ProofPoints, [.. recommendation.Collateral.Select(c => c.Item.Id)]) : null);

    public static HandoffResponse Handoff(HandoffAssignment a) => new(
        a.LeadId.Value, a.Status.ToString(), a.Rep?.Value, (a.Decision as HandoffDecision.Queued)?.Queue, a.Decision.RuleId, a.Decision.Explanation,
        Wire(a.DecidedAt), Wire(a.SlaDueAt), Wire(a.FirstTouchAt), a.Rejection is { } r ? LeadMapping.Camel(r.ToString()) : null, Model(a.Decision.Policy));

    public static NurtureResponse Nurture(NurtureEnrolmentRecord e) => new(e.TrackId, e.Reason.ToString(), e.Status.ToString(), Wire(e.EnrolledAt), Wire(e.NextDueAt));

    public static TransitionResponse Transition(LifecycleTransition t) => new(t.From.ToString(), t.To.ToString(), t.At, t.Actor.ToString(), t.Reason, t.ModelVersion);

    /// <summary>
    /// A store's time as the wire shows it: in UTC, to the microsecond, which is what PostgreSQL keeps. So a decision answers the
    /// same times whether it was read back from a store or taken from the engine that just made it, and both stores answer alike.
    /// </summary>
    private static DateTimeOffset Wire(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);

    private static DateTimeOffset? Wire(DateTimeOffset? at) => at is { } value ? Wire(value) : null;

    private static ModelResponse? Model(ModelReference? reference) => reference is { } r ? new ModelResponse(r.Id, r.Version, r.ContentHash) : null;
}
