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
    private bool _relayScheduled;
    private DateTimeOffset _relayedUntil = DateTimeOffset.MinValue;

    public async Task AcknowledgeAsync(long sequence)
    {
        int before = S.Outbox.Count;
        S.Outbox.RemoveAll(d => d.Sequence <= sequence);
        _relayedUntil = DateTimeOffset.MinValue;
        if (S.Outbox.Count != before)
        {
            await SaveAsync();
        }

        if (S.Outbox.Count > 0)
        {
            RelaySoon(TimeSpan.Zero);
        }
    }

    /// <summary>Puts a decision in the outbox (unless it is there already, as when an interrupted change is finished again); whether it did.</summary>
    private async Task<bool> RecordInOutboxAsync(RecordedDecision? decision)
    {
        if (decision is null || S.Outbox.Exists(d => d.Key == decision.Key))
        {
            return false;
        }

        decision.Sequence = ++S.OutboxSequence;
        S.Outbox.Add(decision);
        await EnsureReminderAsync();
        RelaySoon(RelayDelay);
        return true;
    }

    /// <summary>Sets the relay timer, unless it is set already: soon after a decision, so that one hand-out carries many.</summary>
    private void RelaySoon(TimeSpan delay)
    {
        if (_relayScheduled && delay > TimeSpan.Zero)
        {
            return;
        }

        _relayTimer ??= this.RegisterGrainTimer(static self => self.OnRelayTimerAsync(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _relayTimer.Change(delay, Timeout.InfiniteTimeSpan);
        _relayScheduled = true;
    }

    private Task OnRelayTimerAsync()
    {
        _relayScheduled = false;
        if (S.Outbox.Count == 0)
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
        _relayedUntil = now + Options.SlaRetryInterval;
        RelaySoon(Options.SlaRetryInterval);
        return Task.CompletedTask;
    }
}
