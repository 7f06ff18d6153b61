using Alignment.Leads;
using Alignment.Models;

namespace Alignment.Handoff;

/// <summary>
/// The one outcome of routing a lead: a rep, or a named queue. "No eligible rep" is a normal outcome (a queue), never an exception.
/// </summary>
public abstract record HandoffDecision
{
    private HandoffDecision(LeadId leadId, string ruleId, string explanation)
    {
        LeadId = leadId;
        RuleId = ruleId;
        Explanation = explanation;
    }

    /// <summary>The lead routed.</summary>
    public LeadId LeadId { get; }

    /// <summary>The routing rule that decided (or the fallback's id).</summary>
    public string RuleId { get; }

    /// <summary>Why: the strategy, the chosen rep or queue, and why other candidates were passed over.</summary>
    public string Explanation { get; }

    /// <summary>
    /// The routing policy that decided: its id, the version of its release and the content hash of the policy with its roster, so
    /// the decision can be traced to the release that made it. The built-in router always sets it; <see langword="null"/> for a
    /// decision of a policy that does not say (or read from a store written before decisions kept it).
    /// </summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public ModelReference? Policy { get; init; }

    /// <summary>The lead went to a rep.</summary>
    public sealed record Assigned : HandoffDecision
    {
        /// <summary>Creates the outcome.</summary>
        /// <param name="leadId">The lead.</param>
        /// <param name="rep">The rep.</param>
        /// <param name="ruleId">The rule that chose the rep.</param>
        /// <param name="explanation">Why this rep.</param>
        public Assigned(LeadId leadId, RepId rep, string ruleId, string explanation) : base(leadId, ruleId, explanation) => Rep = rep;

        /// <summary>The rep who owns the lead now.</summary>
        public RepId Rep { get; }
    }

    /// <summary>The lead went to a named queue (no rule matched, or every eligible rep was full or away).</summary>
    public sealed record Queued : HandoffDecision
    {
        /// <summary>Creates the outcome.</summary>
        /// <param name="leadId">The lead.</param>
        /// <param name="queue">The queue.</param>
        /// <param name="ruleId">The rule (or fallback) that chose the queue.</param>
        /// <param name="explanation">Why the queue.</param>
        public Queued(LeadId leadId, string queue, string ruleId, string explanation) : base(leadId, ruleId, explanation)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(queue);
            Queue = queue;
        }

        /// <summary>The queue that owns the lead now.</summary>
        public string Queue { get; }
    }
}
