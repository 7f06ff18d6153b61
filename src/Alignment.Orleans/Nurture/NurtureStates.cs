using Alignment.Leads;
using Alignment.Models;
using Alignment.Nurture;
using Alignment.Orleans.Grains;
using Alignment.Policies.Nurture;
using Alignment.Segmentation;

namespace Alignment.Orleans.Nurture;

/// <summary>An enrolment as a lead's nurture grain keeps it and sends it over the wire: every field of <see cref="NurtureEnrolmentRecord"/>.</summary>
[GenerateSerializer]
[Alias("alignment.nurture-enrolment.v1")]
internal sealed class EnrolmentState
{
    [Id(0)] public string Lead { get; set; } = "";
    [Id(1)] public int Sequence { get; set; }
    [Id(2)] public string TrackId { get; set; } = "";
    [Id(3)] public int Reason { get; set; }
    [Id(4)] public string? Segment { get; set; }
    [Id(5)] public string? Campaign { get; set; }
    [Id(6)] public DateTimeOffset EnrolledAt { get; set; }
    [Id(7)] public string PolicyVersion { get; set; } = "";
    [Id(8)] public string? PolicyId { get; set; }
    [Id(9)] public string? PolicyModelVersion { get; set; }
    [Id(10)] public string? PolicyContentHash { get; set; }
    [Id(11)] public int NextStep { get; set; }
    [Id(12)] public DateTimeOffset? NextDueAt { get; set; }
    [Id(13)] public int Status { get; set; }
    [Id(14)] public string? StatusReason { get; set; }
    [Id(15)] public DateTimeOffset? EndedAt { get; set; }
    [Id(16)] public int Version { get; set; }
    [Id(17)] public string? LeaseOwner { get; set; }
    [Id(18)] public DateTimeOffset? LeaseUntil { get; set; }

    public bool IsOnTrack => (NurtureEnrolmentStatus)Status != NurtureEnrolmentStatus.Ended;

    /// <summary>
    /// When the scheduler should next look at the enrolment, as UTC ticks: its due time, or its lease's expiry while that is later;
    /// <see cref="long.MaxValue"/> when it is never due (ended, or stopped without a due time). The in-memory store's order.
    /// </summary>
    public long DueTicks => !IsOnTrack || NextDueAt is not { } due
        ? long.MaxValue
        : LeaseUntil is { } lease && lease > due ? lease.UtcTicks : due.UtcTicks;

    /// <summary>Orders the states of one lead: its sequence, then its version (both only grow, and every change raises one).</summary>
    public long Stamp => ((long)Sequence << 32) | (uint)Version;

    public EnrolmentState With(int version)
    {
        var copy = (EnrolmentState)MemberwiseClone();
        copy.Version = version;
        return copy;
    }

    public static EnrolmentState From(NurtureEnrolmentRecord r) => new()
    {
        Lead = r.LeadId.Value,
        Sequence = r.Sequence,
        TrackId = r.TrackId,
        Reason = (int)r.Reason,
        Segment = r.Segment?.Value,
        Campaign = r.Campaign,
        EnrolledAt = r.EnrolledAt,
        PolicyVersion = r.PolicyVersion,
        PolicyId = r.Policy?.Id,
        PolicyModelVersion = r.Policy?.Version,
        PolicyContentHash = r.Policy?.ContentHash,
        NextStep = r.NextStep,
        NextDueAt = r.NextDueAt,
        Status = (int)r.Status,
        StatusReason = r.StatusReason,
        EndedAt = r.EndedAt,
        Version = r.Version,
        LeaseOwner = r.LeaseOwner,
        LeaseUntil = r.LeaseUntil,
    };

    public NurtureEnrolmentRecord ToRecord() => new()
    {
        LeadId = new LeadId(Lead),
        Sequence = Sequence,
        TrackId = TrackId,
        Reason = (NurtureEntryReason)Reason,
        Segment = Segment is null ? null : new SegmentId(Segment),
        Campaign = Campaign,
        EnrolledAt = EnrolledAt,
        PolicyVersion = PolicyVersion,
        Policy = PolicyId is null ? null : new ModelReference(PolicyId, PolicyModelVersion!, PolicyContentHash!),
        NextStep = NextStep,
        NextDueAt = NextDueAt,
        Status = (NurtureEnrolmentStatus)Status,
        StatusReason = StatusReason,
        EndedAt = EndedAt,
        Version = Version,
        LeaseOwner = LeaseOwner,
        LeaseUntil = LeaseUntil,
    };
}

/// <summary>A sent step as a lead's nurture grain keeps it: every field of <see cref="NurtureSentStep"/>.</summary>
[GenerateSerializer]
[Alias("alignment.nurture-sent.v1")]
internal sealed class SentState
{
    [Id(0)] public string EnrolmentId { get; set; } = "";
    [Id(1)] public string Lead { get; set; } = "";
    [Id(2)] public string TrackId { get; set; } = "";
    [Id(3)] public int StepIndex { get; set; }
    [Id(4)] public string StepId { get; set; } = "";
    [Id(5)] public int Kind { get; set; }
    [Id(6)] public string? ContentId { get; set; }
    [Id(7)] public DateTimeOffset SentAt { get; set; }
    [Id(8)] public string Explanation { get; set; } = "";
    [Id(9)] public string? PolicyId { get; set; }
    [Id(10)] public string? PolicyVersion { get; set; }
    [Id(11)] public string? PolicyContentHash { get; set; }

    public static SentState From(NurtureSentStep s) => new()
    {
        EnrolmentId = s.EnrolmentId,
        Lead = s.LeadId.Value,
        TrackId = s.TrackId,
        StepIndex = s.StepIndex,
        StepId = s.StepId,
        Kind = (int)s.Kind,
        ContentId = s.ContentId,
        SentAt = s.SentAt,
        Explanation = s.Explanation,
        PolicyId = s.Policy?.Id,
        PolicyVersion = s.Policy?.Version,
        PolicyContentHash = s.Policy?.ContentHash,
    };

    public NurtureSentStep ToStep() =>
        new(EnrolmentId, new LeadId(Lead), TrackId, StepIndex, StepId, (NurtureStepKind)Kind, ContentId, SentAt, Explanation)
        {
            Policy = PolicyId is null ? null : new ModelReference(PolicyId, PolicyVersion!, PolicyContentHash!),
        };
}

/// <summary>The saved state of a lead's nurture grain: its latest enrolment and every step sent to it.</summary>
[GenerateSerializer]
[Alias("alignment.nurture-lead-state.v1")]
internal sealed class LeadNurtureState
{
    [Id(0)] public EnrolmentState? Latest { get; set; }
    [Id(1)] public List<SentState> Sent { get; set; } = [];
}

/// <summary>The saved state of a due-index partition: every lead of the partition with an enrolment, and when each is next due (a lower bound).</summary>
[GenerateSerializer]
[Alias("alignment.nurture-due-state.v1")]
internal sealed class NurtureDueState : IJournaledState
{
    [Id(0)] public Dictionary<string, long> Due { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per lead, the stamp of the newest state the partition was told of (<see cref="EnrolmentState.Stamp"/>).</summary>
    [Id(1)] public Dictionary<string, long> Stamps { get; set; } = new(StringComparer.Ordinal);

    /// <inheritdoc />
    [Id(2)] public long JournalSequence { get; set; }

    /// <inheritdoc />
    [Id(3)] public Guid JournalLink { get; set; }
}

/// <summary>What one save of a due-index partition changed: the entries (time and stamp) of the leads it set.</summary>
[GenerateSerializer]
[Alias("alignment.nurture-due-delta.v1")]
internal sealed class NurtureDueDelta : JournalDelta
{
    /// <summary>The leads whose entries the save set.</summary>
    [Id(3)] public string[] Leads { get; set; } = [];

    /// <summary>Their due times (ticks; <see cref="long.MaxValue"/> for none), in the same order.</summary>
    [Id(4)] public long[] Due { get; set; } = [];

    /// <summary>Their stamps, in the same order.</summary>
    [Id(5)] public long[] Stamps { get; set; } = [];
}

/// <summary>One candidate of a due-index partition: a lead and the time the index holds for it.</summary>
[GenerateSerializer]
[Alias("alignment.nurture-due-entry.v1")]
internal readonly record struct DueEntry([property: Id(0)] string Lead, [property: Id(1)] long Ticks);
