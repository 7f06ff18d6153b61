using System.Globalization;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Orleans;

namespace Alignment.Orleans.Grains;

/// <summary>
/// A decision a recording store saved with the change that made it, in the outbox of the cell that applied the change, until a
/// subscribed host has published it: <see cref="AlignmentDecision.Routed"/> (the whole handoff) or
/// <see cref="AlignmentDecision.SlaBreached"/>, with its idempotency key (<see cref="DecisionKeys"/>).
/// </summary>
[GenerateSerializer]
[Alias("alignment.recorded-decision.v1")]
internal sealed class RecordedDecision
{
    [Id(0)] public long Sequence { get; set; }
    [Id(1)] public string Key { get; set; } = "";
    [Id(2)] public HandoffRecord? Routed { get; set; }
    [Id(3)] public string Lead { get; set; } = "";
    [Id(4)] public string? Rep { get; set; }
    [Id(5)] public DateTimeOffset DueAt { get; set; }
    [Id(6)] public DateTimeOffset At { get; set; }

    /// <summary>The routing decision that made <paramref name="handoff"/>.</summary>
    public static RecordedDecision OfRouted(HandoffRecord handoff) => new()
    {
        // DecisionKeys.For(routed, epoch), without building the decision on the decision's path.
        Key = string.Create(CultureInfo.InvariantCulture, $"routed:{handoff.Lead}:{handoff.Epoch}"),
        Routed = handoff,
        Lead = handoff.Lead,
        At = handoff.DecidedAt,
    };

    /// <summary>A decision an update of the handoff at <paramref name="epoch"/> names.</summary>
    /// <exception cref="NotSupportedException">The store records no decision of this kind.</exception>
    public static RecordedDecision Of(AlignmentDecision decision, int epoch) => decision switch
    {
        AlignmentDecision.SlaBreached b => new RecordedDecision
        {
            Key = DecisionKeys.For(b, epoch), Lead = b.Lead.Value, Rep = b.Rep.Value, DueAt = b.DueAt, At = b.DetectedAt,
        },
        _ => throw new NotSupportedException($"The Orleans routing store records routing and service-level decisions, not {decision.GetType().Name}."),
    };

    /// <summary>The decision, with its idempotency key.</summary>
    public AlignmentDecision ToDecision() => Routed is { } handoff
        ? new AlignmentDecision.Routed(handoff.ToAssignment().Decision, handoff.DecidedAt) { IdempotencyKey = Key }
        : new AlignmentDecision.SlaBreached(new LeadId(Lead), new RepId(Rep ?? ""), DueAt, At) { IdempotencyKey = Key };
}
