using Alignment.Handoff;
using Alignment.Leads;

namespace Alignment.Policies.Handoff;

/// <summary>One running first-touch service level.</summary>
/// <param name="leadId">The lead.</param>
/// <param name="rep">The rep who must touch it.</param>
/// <param name="ruleId">The rule whose service level it is.</param>
/// <param name="dueAt">When the first touch is due.</param>
/// <param name="remaining">Time left; negative once breached.</param>
public sealed class SlaEntry(LeadId leadId, RepId rep, string ruleId, DateTimeOffset dueAt, TimeSpan remaining)
{
    /// <summary>The lead.</summary>
    public LeadId LeadId { get; } = leadId;

    /// <summary>The rep who must touch it.</summary>
    public RepId Rep { get; } = rep;

    /// <summary>The rule whose service level it is.</summary>
    public string RuleId { get; } = ruleId;

    /// <summary>When the first touch is due.</summary>
    public DateTimeOffset DueAt { get; } = dueAt;

    /// <summary>Time left; negative once breached.</summary>
    public TimeSpan Remaining { get; } = remaining;
}
