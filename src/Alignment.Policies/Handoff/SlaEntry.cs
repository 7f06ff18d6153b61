using Alignment.Handoff;
using Alignment.Leads;

namespace Alignment.Policies.Handoff;

/// <summary>One running first-touch service level.</summary>
public sealed class SlaEntry
{
    /// <summary>Creates the value (the engine does; hosts read it).</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="rep">The rep who must touch it.</param>
    /// <param name="ruleId">The rule whose service level it is.</param>
    /// <param name="dueAt">When the first touch is due.</param>
    /// <param name="remaining">Time left; negative once breached.</param>
    internal SlaEntry(LeadId leadId, RepId rep, string ruleId, DateTimeOffset dueAt, TimeSpan remaining)
    {
        LeadId = leadId;
        Rep = rep;
        RuleId = ruleId;
        DueAt = dueAt;
        Remaining = remaining;
    }

    /// <summary>The lead.</summary>
    public LeadId LeadId { get; }

    /// <summary>The rep who must touch it.</summary>
    public RepId Rep { get; }

    /// <summary>The rule whose service level it is.</summary>
    public string RuleId { get; }

    /// <summary>When the first touch is due.</summary>
    public DateTimeOffset DueAt { get; }

    /// <summary>Time left; negative once breached.</summary>
    public TimeSpan Remaining { get; }
}
