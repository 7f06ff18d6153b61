using System.Runtime.InteropServices;

namespace Alignment.Policies.Handoff;

/// <summary>One line of a routing explanation: a candidate passed over (or a rule that did not place the lead) and why.</summary>
/// <param name="RuleIndex">The rule's position in the policy.</param>
/// <param name="RepIndex">The rep's position in the policy's roster, or -1 for a rule-level note.</param>
/// <param name="Reason">Why.</param>
/// <param name="Value">The count behind a capacity reason (open or today's leads); 0 otherwise.</param>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct CandidateNote(int RuleIndex, int RepIndex, PassOverReason Reason, int Value);
