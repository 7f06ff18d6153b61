using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;

namespace Alignment.Conformance.Decisions;

/// <summary>
/// The <see cref="IDecisionOutbox"/> contract, written once: pending decisions come back in the order they were recorded, with
/// their keys and every field (instants with their offsets); a key recorded twice while pending is one decision; marking
/// delivered is idempotent and hides them, in any order, leaving the rest in order; and a <see cref="DecisionRelay"/> over the outbox delivers in order, stops at a sink
/// failure without losing or reordering anything, and delivers the rest on the next run.
/// </summary>
public abstract class DecisionOutboxConformance
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(1));

    /// <summary>Makes a new, empty outbox (its own schema or instance): no two tests share one.</summary>
    protected abstract Task<IDecisionOutbox> CreateOutboxAsync();

    /// <summary>Records a decision the way the backend's stores do (in a transaction of its own here).</summary>
    protected abstract Task RecordAsync(IDecisionOutbox outbox, string key, AlignmentDecision decision);

    private static AlignmentDecision.Routed Assigned(string lead, string rep, int minute) =>
        new(new HandoffDecision.Assigned(new LeadId(lead), new RepId(rep), "rr", $"rule 'rr': round robin to {rep}"), T0.AddMinutes(minute));

    private static AlignmentDecision.Routed Queued(string lead, int minute) =>
        new(new HandoffDecision.Queued(new LeadId(lead), "unassigned", "fallback", "no rule matched"), T0.AddMinutes(minute));

    // The nurture policy a decision names (id, version, content hash); decisions without one come back without one.
    private static readonly Alignment.Models.ModelReference Policy = new("acme-nurture", "2.1.0", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

    [Fact]
    public async Task Pending_decisions_come_back_in_recording_order_with_their_keys_and_fields()
    {
        var outbox = await CreateOutboxAsync();
        AlignmentDecision[] decisions =
        [
            Assigned("a", "rep-1", 0),
            Queued("b", 1),
            new AlignmentDecision.SlaBreached(new LeadId("a"), new RepId("rep-1"), T0.AddMinutes(15), T0.AddMinutes(16).ToOffset(TimeSpan.FromHours(-5))),
            new AlignmentDecision.StageChanged(new LeadId("a"), new LifecycleTransition(LifecycleStage.MarketingQualified, LifecycleStage.SalesAccepted, T0.AddMinutes(20), LifecycleActor.Sales, "accepted: \"quoted\" ü") { ModelVersion = "2.1.0" }),
            new AlignmentDecision.StageChanged(new LeadId("b"), new LifecycleTransition(LifecycleStage.Inquiry, LifecycleStage.MarketingQualified, T0.AddMinutes(21), LifecycleActor.System, "score 70")),
            new AlignmentDecision.Enrolled(new NurtureEnrolment(new LeadId("c"), "re-engage", NurtureEntryReason.RecycledTiming, T0.AddMinutes(22), 0, T0.AddDays(7))) { Policy = Policy },
            new AlignmentDecision.Enrolled(new NurtureEnrolment(new LeadId("d"), "paused", NurtureEntryReason.NeverEngaged, T0.AddMinutes(23), 2, null)),
            new AlignmentDecision.NurtureStepSent(new LeadId("c"), "c:1", "re-engage", 0, "guide", "guide-7", T0.AddMinutes(24), "step 1/2 'guide': e-mail with 'guide-7' \"quoted\"") { Policy = Policy },
            new AlignmentDecision.NurtureStepSent(new LeadId("c"), "c:1", "re-engage", 1, "call", null, T0.AddMinutes(25).ToOffset(TimeSpan.FromHours(-3)), "rep call task"),
            new AlignmentDecision.NurtureStepSkipped(new LeadId("d"), "d:3", "paused", 2, "case", T0.AddMinutes(26), "no fresh, approved collateral") { Policy = Policy with { Version = "2.0.0-rc.1" } },
            new AlignmentDecision.NurtureExited(new LeadId("c"), "c:1", "re-engage", NurtureExit.ToSales, T0.AddMinutes(27), "back to handoff: score 70"),
            new AlignmentDecision.CampaignChanged(new LeadId("e"), "webinar-2026-03", CampaignEvent.NoShowEnrolled, T0.AddMinutes(28)),
            new AlignmentDecision.ScoreCrossed(new LeadId("f"), new Alignment.Scoring.ThresholdCrossing(Alignment.Scoring.QualificationState.MarketingQualified, Alignment.Scoring.QualificationState.NotQualified), 49.5m, T0.AddDays(10).AddTicks(3)),
        ];
        string[] keys =
        [
            "routed:a:1", "routed:b:1", "sla-breached:a:1", "stage-changed:a:2", "stage-changed:b:1", "enrolled:c:1", "enrolled:d:3",
            "nurture-step-sent:c:1/0", "nurture-step-sent:c:1/1", "nurture-step-skipped:d:3/2", "nurture-exited:c:1", "campaign-no-show-enrolled:e:webinar-2026-03",
            "score-crossed:f:1",
        ];
        for (int i = 0; i < decisions.Length; i++)
        {
            await RecordAsync(outbox, keys[i], decisions[i]);
        }

        var pending = await outbox.ReadPendingAsync(20);

        Assert.Equal(keys, pending.Select(p => p.Key));
        Assert.True(pending[0].Sequence < pending[1].Sequence && pending[1].Sequence < pending[2].Sequence);
        for (int i = 0; i < decisions.Length; i++)
        {
            Assert.Equal(decisions[i] with { IdempotencyKey = keys[i] }, pending[i].Decision);
            Assert.Equal(decisions[i].At.Offset, pending[i].Decision.At.Offset);
        }
    }

    [Fact]
    public async Task A_key_recorded_again_while_pending_is_one_decision()
    {
        var outbox = await CreateOutboxAsync();
        await RecordAsync(outbox, "routed:a:1", Assigned("a", "rep-1", 0));
        await RecordAsync(outbox, "routed:a:1", Assigned("a", "rep-1", 0));

        Assert.Single(await outbox.ReadPendingAsync(10));
    }

    [Fact]
    public async Task Marking_delivered_hides_them_is_idempotent_and_ignores_unknown_sequences()
    {
        var outbox = await CreateOutboxAsync();
        for (int i = 0; i < 5; i++)
        {
            await RecordAsync(outbox, $"routed:l{i}:1", Assigned($"l{i}", "rep-1", i));
        }

        var first = await outbox.ReadPendingAsync(2);
        Assert.Equal(["routed:l0:1", "routed:l1:1"], first.Select(p => p.Key));
        await outbox.MarkDeliveredAsync([first[0].Sequence, first[1].Sequence]);
        await outbox.MarkDeliveredAsync([first[0].Sequence, 987_654_321]);
        await outbox.MarkDeliveredAsync([]);

        var rest = await outbox.ReadPendingAsync(10);
        Assert.Equal(["routed:l2:1", "routed:l3:1", "routed:l4:1"], rest.Select(p => p.Key));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await outbox.ReadPendingAsync(0));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await outbox.MarkDeliveredAsync(null!));
    }

    [Fact]
    public async Task Decisions_marked_out_of_order_behind_a_pending_one_leave_the_rest_in_order()
    {
        var outbox = await CreateOutboxAsync();
        for (int i = 0; i < 12; i++)
        {
            await RecordAsync(outbox, $"routed:l{i}:1", Assigned($"l{i}", "rep-1", i));
        }

        var all = await outbox.ReadPendingAsync(20);

        // The oldest stays pending while later ones are marked (a host's own relay, or two hosts sharing the outbox).
        await outbox.MarkDeliveredAsync([all[2].Sequence, all[5].Sequence, all[6].Sequence, all[11].Sequence]);
        await outbox.MarkDeliveredAsync([all[5].Sequence]);
        Assert.Equal(
            ["routed:l0:1", "routed:l1:1", "routed:l3:1", "routed:l4:1", "routed:l7:1", "routed:l8:1", "routed:l9:1", "routed:l10:1"],
            (await outbox.ReadPendingAsync(20)).Select(p => p.Key));
        Assert.Equal(["routed:l0:1", "routed:l1:1", "routed:l3:1"], (await outbox.ReadPendingAsync(3)).Select(p => p.Key));

        // Then the head and most of the rest: what is left, and one recorded after, oldest first.
        await outbox.MarkDeliveredAsync([all[0].Sequence, all[1].Sequence, all[3].Sequence, all[7].Sequence, all[8].Sequence]);
        await RecordAsync(outbox, "routed:late:1", Assigned("late", "rep-1", 30));
        Assert.Equal(["routed:l4:1", "routed:l9:1", "routed:l10:1", "routed:late:1"], (await outbox.ReadPendingAsync(20)).Select(p => p.Key));
    }

    [Fact]
    public async Task The_relay_delivers_in_order_stops_at_a_failing_sink_and_delivers_the_rest_next_time()
    {
        var outbox = await CreateOutboxAsync();
        for (int i = 0; i < 7; i++)
        {
            await RecordAsync(outbox, $"routed:l{i}:1", Assigned($"l{i}", "rep-1", i));
        }

        var sink = new FlakySink(failOn: "routed:l4:1");
        var relay = new DecisionRelay(outbox, sink, batchSize: 3);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await relay.DeliverPendingAsync());
        Assert.Equal(["routed:l0:1", "routed:l1:1", "routed:l2:1", "routed:l3:1"], sink.Keys);
        Assert.Equal("routed:l4:1", (await outbox.ReadPendingAsync(1))[0].Key);

        sink.FailOn = null;
        Assert.Equal(3, await relay.DeliverPendingAsync());
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"routed:l{i}:1"), sink.Keys);
        Assert.Empty(await outbox.ReadPendingAsync(10));
        Assert.Equal(0, await relay.DeliverPendingAsync());
    }

    [Fact]
    public async Task A_bounded_run_delivers_at_most_its_count_in_order_and_leaves_the_rest_pending()
    {
        var outbox = await CreateOutboxAsync();
        for (int i = 0; i < 7; i++)
        {
            await RecordAsync(outbox, $"routed:l{i}:1", Assigned($"l{i}", "rep-1", i));
        }

        var sink = new FlakySink(failOn: null);
        var relay = new DecisionRelay(outbox, sink, batchSize: 2);
        Assert.Equal(3, await relay.DeliverUpToAsync(3));
        Assert.Equal(["routed:l0:1", "routed:l1:1", "routed:l2:1"], sink.Keys);
        Assert.Equal(4, (await outbox.ReadPendingAsync(10)).Count);
        Assert.Equal(4, await relay.DeliverUpToAsync(100));
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"routed:l{i}:1"), sink.Keys);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await relay.DeliverUpToAsync(0));
    }

    private sealed class FlakySink(string? failOn) : IDecisionSink
    {
        private readonly List<string> _keys = [];

        public string? FailOn { get; set; } = failOn;

        public IReadOnlyList<string> Keys
        {
            get
            {
                lock (_keys)
                {
                    return [.. _keys];
                }
            }
        }

        public ValueTask PublishAsync(AlignmentDecision decision, CancellationToken cancellationToken = default)
        {
            if (decision.IdempotencyKey == FailOn)
            {
                throw new InvalidOperationException("the CRM's bus is down");
            }

            lock (_keys)
            {
                _keys.Add(decision.IdempotencyKey!);
            }

            return ValueTask.CompletedTask;
        }
    }
}
