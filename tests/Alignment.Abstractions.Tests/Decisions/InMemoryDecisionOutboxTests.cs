using Alignment.Conformance.Decisions;
using Alignment.Decisions;

namespace Alignment.Abstractions.Tests.Decisions;

/// <summary>The in-memory outbox against the <see cref="IDecisionOutbox"/> contract (tests/Alignment.Conformance).</summary>
public sealed class InMemoryDecisionOutboxTests : DecisionOutboxConformance
{
    protected override Task<IDecisionOutbox> CreateOutboxAsync() => Task.FromResult<IDecisionOutbox>(new InMemoryDecisionOutbox());

    protected override Task RecordAsync(IDecisionOutbox outbox, string key, AlignmentDecision decision)
    {
        ((InMemoryDecisionOutbox)outbox).Append(key, decision);
        return Task.CompletedTask;
    }

    [Fact]
    public void The_idempotency_key_is_not_part_of_a_decisions_equality()
    {
        var d = new AlignmentDecision.SlaBreached(new("a"), new("r"), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        var keyed = d with { IdempotencyKey = "sla-breached:a:1" };
        Assert.Equal(d, keyed);
        Assert.Equal(d.GetHashCode(), keyed.GetHashCode());
        Assert.NotEqual<AlignmentDecision>(d, d with { DueAt = DateTimeOffset.UnixEpoch.AddMinutes(1) });
    }

    [Fact]
    public async Task A_delivered_key_frees_its_slot_and_pending_count_follows()
    {
        var outbox = new InMemoryDecisionOutbox();
        var d = new AlignmentDecision.SlaBreached(new("a"), new("r"), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        Assert.True(outbox.Append("k", d));
        Assert.False(outbox.Append("k", d));
        Assert.Equal(1, outbox.PendingCount);
        await outbox.MarkDeliveredAsync([(await outbox.ReadPendingAsync(1))[0].Sequence]);
        Assert.Equal(0, outbox.PendingCount);
        Assert.True(outbox.Append("k", d)); // keys are kept only while pending: memory stays bounded
        Assert.Throws<ArgumentException>(() => outbox.Append(" ", d));
    }

    [Fact]
    public async Task Decisions_marked_out_of_order_leave_the_rest_pending_oldest_first()
    {
        var outbox = new InMemoryDecisionOutbox();
        for (int i = 0; i < 500; i++)
        {
            Assert.True(outbox.Append($"k{i}", new AlignmentDecision.SlaBreached(new($"lead-{i}"), new("r"), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)));
        }

        var all = await outbox.ReadPendingAsync(1_000);
        Assert.Equal(500, all.Count);
        Assert.True(all.Select(e => e.Sequence).SequenceEqual(all.Select(e => e.Sequence).Order()));

        // A third marked, the head kept pending (the delivered ones stay queued behind it): the rest come back oldest first.
        await outbox.MarkDeliveredAsync([.. all.Where((_, i) => i % 3 == 1).Select(e => e.Sequence)]);
        var rest = await outbox.ReadPendingAsync(1_000);
        Assert.Equal([.. all.Where((_, i) => i % 3 != 1).Select(e => e.Key)], rest.Select(e => e.Key));
        Assert.Equal([.. rest.Take(5).Select(e => e.Key)], (await outbox.ReadPendingAsync(5)).Select(e => e.Key));

        // Most of the rest marked (enough for the queue to be rebuilt): what is left, and a new one after it, oldest first.
        await outbox.MarkDeliveredAsync([.. rest.Where((_, i) => i % 7 != 0).Select(e => e.Sequence)]);
        Assert.True(outbox.Append("late", new AlignmentDecision.SlaBreached(new("late"), new("r"), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)));
        var left = await outbox.ReadPendingAsync(1_000);
        Assert.Equal([.. rest.Where((_, i) => i % 7 == 0).Select(e => e.Key), "late"], left.Select(e => e.Key));
        Assert.Equal(left.Count, outbox.PendingCount);
        Assert.Equal([.. left.Take(3).Select(e => e.Key)], (await outbox.ReadPendingAsync(3)).Select(e => e.Key));

        // A delivered key can be appended again; marking the rest empties the outbox.
        Assert.True(outbox.Append("k1", new AlignmentDecision.SlaBreached(new("lead-1"), new("r"), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)));
        await outbox.MarkDeliveredAsync([.. (await outbox.ReadPendingAsync(1_000)).Select(e => e.Sequence)]);
        Assert.Equal(0, outbox.PendingCount);
        Assert.Empty(await outbox.ReadPendingAsync(10));
    }
}
