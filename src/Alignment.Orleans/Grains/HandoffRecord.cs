using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Policies.Handoff;
using Alignment.Scoring;
using Orleans;
using GradeValue = Alignment.Scoring.Grade;

namespace Alignment.Orleans.Grains;

/// <summary>A <see cref="HandoffAssignment"/> as grains keep and send it: every field, flat, in Orleans' serializer.</summary>
[GenerateSerializer]
[Alias("alignment.handoff.v1")]
internal sealed class HandoffRecord
{
    [Id(0)] public string Lead { get; set; } = "";
    [Id(1)] public int Epoch { get; set; }
    [Id(2)] public string PolicyId { get; set; } = "";
    [Id(3)] public string RuleId { get; set; } = "";
    [Id(4)] public string? Rep { get; set; }
    [Id(5)] public string? Queue { get; set; }
    [Id(6)] public string Explanation { get; set; } = "";
    [Id(7)] public DateTimeOffset DecidedAt { get; set; }
    [Id(8)] public int Status { get; set; }
    [Id(9)] public int Phase { get; set; }
    [Id(10)] public bool Qualification { get; set; }
    [Id(11)] public DateTimeOffset? SlaDueAt { get; set; }
    [Id(12)] public int Reassignments { get; set; }
    [Id(13)] public bool Escalated { get; set; }
    [Id(14)] public DateTimeOffset? FirstTouchAt { get; set; }
    [Id(15)] public DateTimeOffset? ClosedAt { get; set; }
    [Id(16)] public int? Rejection { get; set; }
    [Id(17)] public string? Note { get; set; }
    [Id(18)] public string? Country { get; set; }
    [Id(19)] public string? Region { get; set; }
    [Id(20)] public string? Language { get; set; }
    [Id(21)] public string? Segment { get; set; }
    [Id(22)] public string? Source { get; set; }
    [Id(23)] public string? AccountId { get; set; }
    [Id(24)] public string? Domain { get; set; }
    [Id(25)] public decimal Score { get; set; }
    [Id(26)] public int Grade { get; set; }
    [Id(27)] public int State { get; set; }
    [Id(28)] public string? ModelId { get; set; }
    [Id(29)] public string? ModelVersion { get; set; }
    [Id(30)] public string? ModelHash { get; set; }

    /// <summary>Whether the handoff holds a unit of its rep's capacity (assigned or touched, not yet answered).</summary>
    public bool HoldsCapacity => Rep is not null && (HandoffStatus)Status is HandoffStatus.Assigned or HandoffStatus.Touched;

    public static HandoffRecord From(HandoffAssignment a)
    {
        var f = a.Facts;
        return new HandoffRecord
        {
            Lead = a.LeadId.Value,
            Epoch = a.Epoch,
            PolicyId = a.PolicyId,
            RuleId = a.Decision.RuleId,
            Rep = a.Rep?.Value,
            Queue = a.Decision is HandoffDecision.Queued q ? q.Queue : null,
            Explanation = a.Decision.Explanation,
            DecidedAt = a.DecidedAt,
            Status = (int)a.Status,
            Phase = (int)a.Phase,
            Qualification = a.Qualification,
            SlaDueAt = a.SlaDueAt,
            Reassignments = a.Reassignments,
            Escalated = a.Escalated,
            FirstTouchAt = a.FirstTouchAt,
            ClosedAt = a.ClosedAt,
            Rejection = a.Rejection is { } r ? (int)r : null,
            Note = a.Note,
            Country = f.Country,
            Region = f.Region,
            Language = f.Language,
            Segment = f.Segment,
            Source = f.Source,
            AccountId = f.AccountId,
            Domain = f.Domain,
            Score = f.Score,
            Grade = (int)f.Grade,
            State = (int)f.State,
            ModelId = a.Decision.Policy?.Id,
            ModelVersion = a.Decision.Policy?.Version,
            ModelHash = a.Decision.Policy?.ContentHash,
        };
    }

    public HandoffAssignment ToAssignment()
    {
        var lead = new LeadId(Lead);
        var policy = ModelId is null ? null : new ModelReference(ModelId, ModelVersion ?? "", ModelHash ?? "");
        HandoffDecision decision = Rep is null
            ? new HandoffDecision.Queued(lead, Queue ?? "", RuleId, Explanation) { Policy = policy }
            : new HandoffDecision.Assigned(lead, new RepId(Rep), RuleId, Explanation) { Policy = policy };
        var facts = new RoutingFacts(lead)
        {
            Country = Country,
            Region = Region,
            Language = Language,
            Segment = Segment,
            Source = Source,
            AccountId = AccountId,
            Domain = Domain,
            Score = Score,
            Grade = (GradeValue)Grade,
            State = (QualificationState)State,
        };
        return new HandoffAssignment(decision, facts, Epoch, DecidedAt, (HandoffStatus)Status)
        {
            PolicyId = PolicyId,
            Phase = (RoutingPhase)Phase,
            Qualification = Qualification,
            SlaDueAt = SlaDueAt,
            Reassignments = Reassignments,
            Escalated = Escalated,
            FirstTouchAt = FirstTouchAt,
            ClosedAt = ClosedAt,
            Rejection = Rejection is { } r ? (RejectionReason)r : null,
            Note = Note,
        };
    }
}
