using Alignment.Handoff;
using Alignment.Leads;

namespace Alignment.Policies.Handoff;

/// <summary>A missed first-touch service level, as handed to an <see cref="IHandoffEscalationHandler"/>.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="Rep">The rep who missed it.</param>
/// <param name="Manager">The rep's manager, when the roster names one.</param>
/// <param name="RuleId">The rule whose service level it was.</param>
/// <param name="DueAt">When the first touch was due.</param>
/// <param name="DetectedAt">When the breach was detected.</param>
public sealed record HandoffEscalation(LeadId LeadId, RepId Rep, RepId? Manager, string RuleId, DateTimeOffset DueAt, DateTimeOffset DetectedAt);
