namespace Alignment.AspNetCore.Wire;

/// <summary>A lead's handoff to sales.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="Status">The status: <c>Queued</c>, <c>Assigned</c>, <c>Touched</c>, <c>Accepted</c>, <c>Rejected</c>, <c>Recycled</c>.</param>
/// <param name="Rep">The rep it is assigned to, if any.</param>
/// <param name="Queue">The queue it waits in, if queued.</param>
/// <param name="Rule">The routing rule that decided.</param>
/// <param name="Explanation">Why.</param>
/// <param name="DecidedAt">When it was routed.</param>
/// <param name="SlaDueAt">When the first touch is due, if an SLA applies.</param>
/// <param name="FirstTouchAt">When the rep first touched it.</param>
/// <param name="Rejection">The rejection reason, if rejected.</param>
/// <param name="Policy">The routing policy release used, when routed from a registry.</param>
public sealed record HandoffResponse(string LeadId, string Status, string? Rep, string? Queue, string Rule, string Explanation, DateTimeOffset DecidedAt, DateTimeOffset? SlaDueAt, DateTimeOffset? FirstTouchAt, string? Rejection, ModelResponse? Policy);
