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
        if (decision is AlignmentDecision.ContentChanged)
        {
            throw new ArgumentException("A ContentChanged decision carries its own identity: use DecisionKeys.For(decision).", nameof(decision));
        }

        return string.Create(CultureInfo.InvariantCulture, $"{kind}:{decision.LeadId!.Value.Value}:{version}");
    }

    /// <summary>
    /// The key of a decision that carries its own identity: a nurture step (<c>nurture-step-sent:{enrolment}/{step}</c>, the step
    /// handler's idempotency key behind the kind; <c>nurture-step-skipped:…</c> likewise), a nurture exit
    /// (<c>nurture-exited:{enrolment}</c>, an enrolment ends once), a content change (<see cref="Segmentation.Collateral.ContentChange.Key"/>) and a campaign event (<c>campaign-{event}:{lead}:{campaign}</c>,
    /// each happens once per member; <c>%</c> and <c>:</c> in the campaign's id are escaped as <c>%25</c> and <c>%3A</c>, so two
    /// members never share a key).
    /// </summary>
    /// <param name="decision">The decision.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="decision"/> is null.</exception>
    /// <exception cref="ArgumentException">The decision's key needs the version of the record its change wrote: use <see cref="For(AlignmentDecision, long)"/>.</exception>
    public static string For(AlignmentDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return decision switch
        {
            AlignmentDecision.NurtureStepSent s => string.Create(CultureInfo.InvariantCulture, $"nurture-step-sent:{s.EnrolmentId}/{s.StepIndex}"),
            AlignmentDecision.NurtureStepSkipped s => string.Create(CultureInfo.InvariantCulture, $"nurture-step-skipped:{s.EnrolmentId}/{s.StepIndex}"),
            AlignmentDecision.NurtureExited e => $"nurture-exited:{e.EnrolmentId}",
            AlignmentDecision.CampaignChanged c => $"campaign-{Kebab(c.Event)}:{c.Lead.Value}:{Escape(c.Campaign)}",
            AlignmentDecision.ContentChanged c => c.Change.Key,
            _ => throw new ArgumentException($"A {decision.GetType().Name} decision's key needs the version of the lead's record its change wrote: use DecisionKeys.For(decision, version).", nameof(decision)),
        };
    }

    /// <summary>A free-text part that ends a key, with <c>%</c> and <c>:</c> escaped, so the key reads back one way only (lead <c>a:b</c> in campaign <c>c</c> is not lead <c>a</c> in campaign <c>b:c</c>).</summary>
    private static string Escape(string part) => part.Replace("%", "%25", StringComparison.Ordinal).Replace(":", "%3A", StringComparison.Ordinal);

    private static string Kebab(Nurture.CampaignEvent e) => e switch
    {
        Nurture.CampaignEvent.Invited => "invited",
        Nurture.CampaignEvent.Registered => "registered",
        Nurture.CampaignEvent.Attended => "attended",
        Nurture.CampaignEvent.NoShowEnrolled => "no-show-enrolled",
        Nurture.CampaignEvent.NoShowNotEnrolled => "no-show-not-enrolled",
        Nurture.CampaignEvent.FollowUpRequested => "follow-up-requested",
        Nurture.CampaignEvent.FollowedUp => "followed-up",
        Nurture.CampaignEvent.PreEventCallRequested => "pre-event-call-requested",
        Nurture.CampaignEvent.PreEventCalled => "pre-event-called",
        _ => ((int)e).ToString(CultureInfo.InvariantCulture),
    };
}
