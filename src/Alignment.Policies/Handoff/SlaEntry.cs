using Alignment.Handoff;
using Alignment.Leads;

namespace Alignment.Policies.Handoff;

/// <summary>One running first-touch service level.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="Rep">The rep who must touch it.</param>
/// <param name="RuleId">The rule whose service level it is.</param>
/// <param name="DueAt">When the first touch is due.</param>
/// <param name="Remaining">Time left; negative once breached.</param>
public sealed record SlaEntry(LeadId LeadId, RepId Rep, string RuleId, DateTimeOffset DueAt, TimeSpan Remaining);
