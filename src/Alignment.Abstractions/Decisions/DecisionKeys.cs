using System.Globalization;

namespace Alignment.Decisions;

/// <summary>
/// The idempotency keys stores give the decisions they record in an <see cref="IDecisionOutbox"/>:
/// <c>{kind}:{lead}:{version}</c>, where the version is what makes the change unique for the lead (a handoff's epoch:
/// <c>routed:lead-42:3</c>, <c>sla-breached:lead-42:3</c>). Stable across retries and redeliveries and the same in every store,
/// so a sink can deduplicate on them.
/// </summary>
public static class DecisionKeys
{
    /// <summary>The key of a decision made by the change that produced <paramref name="version"/> of the lead's record.</summary>
    /// <param name="decision">The decision.</param>
    /// <param name="version">The version (a handoff's epoch, a record's version) of the lead's record the change wrote.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="decision"/> is null.</exception>
    public static string For(AlignmentDecision decision, long version)
    {
        ArgumentNullException.ThrowIfNull(decision);
        string kind = decision switch
        {
            AlignmentDecision.Routed => "routed",
            AlignmentDecision.SlaBreached => "sla-breached",
            AlignmentDecision.StageChanged => "stage-changed",
            AlignmentDecision.Enrolled => "enrolled",
            AlignmentDecision.ScoreCrossed => "score-crossed",
            AlignmentDecision.Scored => "scored",
            AlignmentDecision.Segmented => "segmented",
            _ => "decision",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{kind}:{decision.LeadId.Value}:{version}");
    }
}
