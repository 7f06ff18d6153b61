using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Nurture;
using Alignment.Policies.Nurture;
using Alignment.Policies.Nurture.Campaigns;
using Alignment.Policies.Tests.Nurture.TestDoubles;

namespace Alignment.Policies.Tests.Nurture;

/// <summary>
/// The nurture engine and the campaign tracker make the same decisions whether their stores record them in an outbox or the engine
/// publishes them: steps sent and skipped, exits (to sales, track changed) and every campaign event. With recording stores, each
/// of them reaches the sink only through the relay, once, with its key.
/// </summary>
public sealed class NurtureDecisionOutboxTests
{
    private const string Campaign = "webinar-2026-02";

    /// <summary>Runs one scenario and returns what reached the sink directly and what the relay delivered from the outbox.</summary>
    private static async Task<(List<AlignmentDecision> Direct, List<AlignmentDecision> Relayed)> RunAsync(bool record)
    {
        var outbox = new InMemoryDecisionOutbox();
        var h = new NurtureHarness(store: record ? new InMemoryNurtureStore(outbox) : new InMemoryNurtureStore());
        var tracker = new CampaignTracker(Campaign, TimeSpan.FromHours(48), h.Engine, h.Outbox, h.Store, h.Lifecycles, h.Time, record ? new InMemoryCampaignStore(outbox) : new InMemoryCampaignStore());

        // A nurtured lead that gets its first step, then becomes sales-ready and exits to sales.
        var nurtured = h.AddLead("a");
        await h.Engine.EnrolAsync(nurtured, NurtureEntryReason.NeverEngaged);

        // A lead moved to a higher-priority track: its first enrolment exits with TrackChanged.
        var moved = h.AddLead("e");
        await h.Engine.EnrolAsync(moved, NurtureEntryReason.NeverEngaged);
        await h.Engine.PutOnTrackAsync(new NurtureEnrolmentRequest(moved, NurtureEntryReason.WebinarNoShow));

        // A webinar: b registers and does not attend (no-show track, whose recording step has no collateral: skipped), c attends
        // and is followed up, d is only invited.
        foreach (var id in new[] { "b", "c", "d" })
        {
            Assert.True(await tracker.InviteAsync(h.AddLead(id)));
        }

        await tracker.RegisterAsync(new LeadId("b"));
        await tracker.RegisterAsync(new LeadId("c"));
        await tracker.AttendAsync(new LeadId("c"));
        h.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal((1, 1), await tracker.CloseAsync());
        await tracker.RecordRepFollowUpAsync(new LeadId("c"), h.Time.GetUtcNow().AddHours(3));

        await h.Engine.RunDueAsync();
        h.MakeSalesReady(nurtured.Id);
        h.Time.Advance(TimeSpan.FromDays(7));
        await h.Engine.RunDueAsync();

        var relayed = new InMemoryDecisionSink();
        await new DecisionRelay(outbox, relayed).DeliverPendingAsync();
        return ([.. h.Decisions.Decisions], [.. relayed.Decisions]);
    }

    private static bool IsNurtureOrCampaign(AlignmentDecision d) =>
        d is AlignmentDecision.NurtureStepSent or AlignmentDecision.NurtureStepSkipped or AlignmentDecision.NurtureExited or AlignmentDecision.CampaignChanged;

    [Fact]
    public async Task Published_directly_every_step_exit_and_campaign_event_reaches_the_sink()
    {
        var (direct, relayed) = await RunAsync(record: false);

        Assert.Empty(relayed);
        Assert.Contains(direct, d => d is AlignmentDecision.NurtureStepSent { StepId: "welcome" } s && s.LeadId?.Value == "a" && s.ContentId is not null);
        Assert.Contains(direct, d => d is AlignmentDecision.NurtureStepSkipped { StepId: "recording", TrackId: "webinar-no-show" } s && s.LeadId?.Value == "b");
        Assert.Contains(direct, d => d is AlignmentDecision.NurtureExited { Exit: NurtureExit.ToSales, TrackId: "default" } x && x.LeadId?.Value == "a");
        Assert.Contains(direct, d => d is AlignmentDecision.NurtureExited { Exit: NurtureExit.TrackChanged, TrackId: "default" } x && x.LeadId?.Value == "e");
        var events = direct.OfType<AlignmentDecision.CampaignChanged>().Select(c => $"{c.LeadId?.Value}:{c.Event}").Order(StringComparer.Ordinal);
        Assert.Equal(
            ["b:Invited", "b:NoShowEnrolled", "b:Registered", "c:Attended", "c:FollowUpRequested", "c:FollowedUp", "c:Invited", "c:Registered", "d:Invited"],
            events);
    }

    [Fact]
    public async Task Recording_stores_deliver_the_same_decisions_through_the_relay_once_each_with_their_keys()
    {
        var (expected, _) = await RunAsync(record: false);
        var (direct, relayed) = await RunAsync(record: true);

        // Nothing of the nurture engine's or the tracker's own goes to the sink directly: all of it waits in the outbox.
        Assert.DoesNotContain(direct, IsNurtureOrCampaign);
        Assert.DoesNotContain(direct, d => d is AlignmentDecision.Enrolled);
        Assert.All(relayed, d => Assert.NotNull(d.IdempotencyKey));
        Assert.Equal(relayed.Count, relayed.Select(d => d.IdempotencyKey).Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("nurture-step-sent:a:1/0", relayed.Select(d => d.IdempotencyKey));
        Assert.Contains("nurture-exited:e:1", relayed.Select(d => d.IdempotencyKey));
        Assert.Contains($"campaign-no-show-enrolled:b:{Campaign}", relayed.Select(d => d.IdempotencyKey));

        // The same decisions, whichever way they travelled (equality ignores the key).
        var remaining = direct.Concat(relayed).ToList();
        foreach (var decision in expected)
        {
            int i = remaining.FindIndex(d => d.Equals(decision));
            Assert.True(i >= 0, $"missing with recording stores: {decision}");
            remaining.RemoveAt(i);
        }

        Assert.Empty(remaining);
    }

    [Fact]
    public async Task An_exit_to_sales_resumed_after_a_crash_is_recorded_as_ToSales()
    {
        var outbox = new InMemoryDecisionOutbox();
        var h = new NurtureHarness(store: new InMemoryNurtureStore(outbox));
        var lead = h.AddLead("r");
        await h.Engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);

        // The first pass moved the lifecycle to MQL and crashed before it ended the enrolment.
        await h.Recorder.TransitionAsync(lead.Id, Alignment.Lifecycle.LifecycleStage.MarketingQualified, Alignment.Lifecycle.LifecycleActor.System, "score 70");
        await h.Engine.RunDueAsync();

        var relayed = new InMemoryDecisionSink();
        await new DecisionRelay(outbox, relayed).DeliverPendingAsync();
        var exited = Assert.Single(relayed.Decisions.OfType<AlignmentDecision.NurtureExited>());
        Assert.Equal((NurtureExit.ToSales, "nurture-exited:r:1"), (exited.Exit, exited.IdempotencyKey));
    }
}
