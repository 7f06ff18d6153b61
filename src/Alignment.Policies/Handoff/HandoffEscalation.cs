using Alignment.Handoff;
using Alignment.Leads;

namespace Alignment.Policies.Handoff;

/// <summary>A missed first-touch service level, as handed to an <see cref="IHandoffEscalationHandler"/>.</summary>
/// <param name="leadId">The lead.</param>
/// <param name="rep">The rep who missed it.</param>
/// <param name="manager">The rep's manager, when the roster names one.</param>
/// <param name="ruleId">The rule whose service level it was.</param>
/// <param name="dueAt">When the first touch was due.</param>
/// <param name="detectedAt">When the breach was detected.</param>
public sealed class HandoffEscalation(LeadId leadId, RepId rep, RepId? manager, string ruleId, DateTimeOffset dueAt, DateTimeOffset detectedAt)
{
    /// <summary>The lead.</summary>
    public LeadId LeadId { get; } = leadId;

    /// <summary>The rep who missed it.</summary>
    public RepId Rep { get; } = rep;

    /// <summary>The rep's manager, when the roster names one.</summary>
    public RepId? Manager { get; } = manager;

    /// <summary>The rule whose service level it was.</summary>
    public string RuleId { get; } = ruleId;

    /// <summary>When the first touch was due.</summary>
    public DateTimeOffset DueAt { get; } = dueAt;

    /// <summary>When the breach was detected.</summary>
    public DateTimeOffset DetectedAt { get; } = detectedAt;
}
