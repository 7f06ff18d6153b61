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
}
