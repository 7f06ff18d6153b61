using Alignment.Orleans.Sla;
using Orleans;
using Orleans.Runtime;

namespace Alignment.Orleans.Grains;

/// <content>
/// The cell's outbox. A recording store's decisions are saved in it with the changes that made them; a timer hands them, oldest
/// first and in batches, to a host subscribed to the tenant, which publishes them to its sink and acknowledges them; the cell then
/// drops them. Unacknowledged ones are handed out again after <see cref="AlignmentOrleansOptions.SlaRetryInterval"/>, and the
/// cell's reminder brings a cell with decisions still to publish back on a surviving silo. At least once, with the idempotency key
/// of every decision, as the PostgreSQL outbox does.
/// </content>
internal sealed partial class RoutingCellGrain
{
    private const int RelayBatch = 512;
    private static readonly TimeSpan RelayDelay = TimeSpan.FromMilliseconds(50);

    private IGrainTimer? _relayTimer;
    private DateTimeOffset _relayAt = DateTimeOffset.MaxValue;
    private DateTimeOffset _relayedUntil = DateTimeOffset.MinValue;
    private long _handedOutUpTo;

    public async Task AcknowledgeAsync(long sequence)
    {
        Journal.ThrowIfBroken();
        int before = S.Outbox.Count;
        S.Outbox.RemoveAll(d => d.Sequence <= sequence);
        if (sequence >= _handedOutUpTo)
        {
            // The batch in hand is done (an older batch acknowledged late by a slow host leaves it to its retry).
            _relayedUntil = DateTimeOffset.MinValue;
        }
        if (S.Outbox.Count != before)
        {
            await SaveAsync();
        }

        if (S.Outbox.Count > 0)
        {
            RelaySoon(_relayedUntil == DateTimeOffset.MinValue ? TimeSpan.Zero : _relayedUntil - Options.Clock.GetUtcNow());
        }
        else
        {
            // Nothing left: the retry set when the batch went out is not needed, and the next decision goes out soon after it.
            _relayTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _relayAt = DateTimeOffset.MaxValue;
        }
    }

    /// <summary>Puts a decision in the outbox (unless it is there already, as when an interrupted change is finished again); whether it did.</summary>
    private bool RecordInOutbox(RecordedDecision? decision)
    {
        if (decision is null || S.Outbox.Exists(d => d.Key == decision.Key))
        {
            return false;
        }

        decision.Sequence = ++S.OutboxSequence;
        S.Outbox.Add(decision);
        RelaySoon(RelayDelay);
        return true;
    }

    /// <summary>Sets the relay timer to fire after <paramref name="delay"/>, unless it fires sooner already: soon after a decision, so that one hand-out carries many.</summary>
    private void RelaySoon(TimeSpan delay)
    {
        var at = Options.Clock.GetUtcNow() + delay;
        if (at >= _relayAt)
        {
            return;
        }

        _relayTimer ??= this.RegisterGrainTimer(static self => self.OnRelayTimerAsync(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _relayTimer.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
        _relayAt = at;
    }

    private Task OnRelayTimerAsync()
    {
        _relayAt = DateTimeOffset.MaxValue;
        if (S.Outbox.Count == 0 || Journal.IsBroken)
        {
            return Task.CompletedTask;
        }

        var now = Options.Clock.GetUtcNow();
        if (now < _relayedUntil)
        {
            // Handed out and not yet acknowledged: wait for the acknowledgement, or hand out again once the retry interval is up.
            RelaySoon(_relayedUntil - now);
            return Task.CompletedTask;
        }

        var batch = S.Outbox.Count <= RelayBatch ? [.. S.Outbox] : S.Outbox.GetRange(0, RelayBatch).ToArray();
        _ = GrainFactory.GetGrain<IRoutingSlaGrain>(AlignmentOrleans.TenantOf(this.GetPrimaryKeyString())).DeliverAsync(this.GetPrimaryKeyString(), batch);
        _handedOutUpTo = batch[^1].Sequence;
        _relayedUntil = now + Options.SlaRetryInterval;
        RelaySoon(Options.SlaRetryInterval);
        return Task.CompletedTask;
    }
}
