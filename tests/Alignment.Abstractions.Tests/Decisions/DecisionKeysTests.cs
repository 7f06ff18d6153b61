using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Nurture;

namespace Alignment.Abstractions.Tests.Decisions;

public sealed class DecisionKeysTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Versioned_keys_name_the_kind_the_lead_and_the_version()
    {
        var routed = new AlignmentDecision.Routed(new HandoffDecision.Queued(new LeadId("lead-42"), "q", "r", "why"), T0);
        Assert.Equal("routed:lead-42:3", DecisionKeys.For(routed, 3));
        Assert.Equal("sla-breached:lead-42:3", DecisionKeys.For(new AlignmentDecision.SlaBreached(new LeadId("lead-42"), new RepId("r"), T0, T0), 3));
    }

    [Fact]
    public void Self_identifying_decisions_are_keyed_by_their_enrolment_step_or_campaign()
    {
        var lead = new LeadId("lead-42");
        Assert.Equal("nurture-step-sent:lead-42:2/0", DecisionKeys.For(new AlignmentDecision.NurtureStepSent(lead, "lead-42:2", "t", 0, "s", null, T0, "why")));
        Assert.Equal("nurture-step-skipped:lead-42:2/1", DecisionKeys.For(new AlignmentDecision.NurtureStepSkipped(lead, "lead-42:2", "t", 1, "s", T0, "why")));
        Assert.Equal("nurture-exited:lead-42:2", DecisionKeys.For(new AlignmentDecision.NurtureExited(lead, "lead-42:2", "t", NurtureExit.ToSales, T0, "why")));
        Assert.Equal("campaign-invited:lead-42:webinar-1", DecisionKeys.For(new AlignmentDecision.CampaignChanged(lead, "webinar-1", CampaignEvent.Invited, T0)));
        Assert.Equal("campaign-follow-up-requested:lead-42:webinar-1", DecisionKeys.For(new AlignmentDecision.CampaignChanged(lead, "webinar-1", CampaignEvent.FollowUpRequested, T0)));

        // Free text in both parts cannot make two members share a key.
        Assert.NotEqual(
            DecisionKeys.For(new AlignmentDecision.CampaignChanged(new LeadId("a:b"), "c", CampaignEvent.Invited, T0)),
            DecisionKeys.For(new AlignmentDecision.CampaignChanged(new LeadId("a"), "b:c", CampaignEvent.Invited, T0)));
        Assert.Equal("campaign-invited:a:b%3Ac%2525", DecisionKeys.For(new AlignmentDecision.CampaignChanged(new LeadId("a"), "b:c%25", CampaignEvent.Invited, T0)));

        // Every campaign event has a key of its own: a sink that deduplicates never merges two events of one member.
        var keys = Enum.GetValues<CampaignEvent>().Select(e => DecisionKeys.For(new AlignmentDecision.CampaignChanged(lead, "w", e, T0))).ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void A_decision_that_needs_a_version_is_refused_with_the_overload_to_use()
    {
        var routed = new AlignmentDecision.Routed(new HandoffDecision.Queued(new LeadId("a"), "q", "r", "why"), T0);
        var e = Assert.Throws<ArgumentException>(() => DecisionKeys.For(routed));
        Assert.Contains("DecisionKeys.For(decision, version)", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => DecisionKeys.For(null!));
    }
}
