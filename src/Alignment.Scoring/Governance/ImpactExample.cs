using Alignment.Leads;

namespace Alignment.Scoring.Governance;

/// <summary>One lead whose result changes between two model versions, with its score, grade and state under each.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="OldScore">Its score under the older version.</param>
/// <param name="NewScore">Its score under the newer version.</param>
/// <param name="OldGrade">Its grade under the older version.</param>
/// <param name="NewGrade">Its grade under the newer version.</param>
/// <param name="OldState">Its state under the older version.</param>
/// <param name="NewState">Its state under the newer version.</param>
public sealed record ImpactExample(LeadId LeadId, decimal OldScore, decimal NewScore, Grade OldGrade, Grade NewGrade, QualificationState OldState, QualificationState NewState);
