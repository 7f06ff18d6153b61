using Alignment.Orleans.Sla;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Timers;

namespace Alignment.Orleans.Grains;

/// <content>
/// The service-level clocks of the cell's open handoffs. While the cell is active, a grain timer wakes it at the earliest due
/// time and the cell hands the overdue leads to a router subscribed to the tenant (<see cref="IRoutingSlaGrain"/>), again after
/// <see cref="AlignmentOrleansOptions.SlaRetryInterval"/> until the breach is handled: the holder is marked escalated, and, when
/// its rule moves the lead, replaced (an escalated holder is handed out at most <see cref="MaxEscalatedHandOuts"/> times per
/// activation, so one whose rule no longer moves it after a new release stops; the SLA worker is the backstop). While any clock runs, an Orleans reminder (when the silo has a reminder service) fires every
/// <see cref="AlignmentOrleansOptions.SlaReminderPeriod"/>: it brings the cell back on a surviving silo when its silo is lost,
/// and the activation restarts the timer.
/// </content>
internal sealed partial class RoutingCellGrain
{
    internal const string ReminderName = "alignment.cell";
    private const int DispatchBatch = 256;

    /// <summary>How many times an activation hands out a holder already marked escalated, waiting for its move.</summary>
    internal const int MaxEscalatedHandOuts = 5;
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(12);

    private readonly Dictionary<string, DateTimeOffset> _handedOut = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _escalatedHandOuts = new(StringComparer.Ordinal);
    private IGrainTimer? _slaTimer;
    private DateTimeOffset _slaTimerAt = DateTimeOffset.MaxValue;

    private AlignmentOrleansOptions Options => options.Value;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await RecoverAsync(cancellationToken);
        ScheduleNext();
        if (S.Outbox.Count > 0)
        {
            RelaySoon(TimeSpan.Zero);
        }
    }

    /// <summary>
    /// The cell's reminder: hands out what is overdue and relays the outbox (which brings a cell whose silo was lost back on a
    /// survivor), and is dropped once no clock runs and the outbox is empty.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName || Journal.IsBroken)
        {
            return;
        }

        bool running = HandOutOverdue();
        if (S.Outbox.Count > 0)
        {
            RelaySoon(TimeSpan.Zero);
        }
        else if (!running && Reminders() is { } reminders)
        {
            // The flag is saved first: a failure after it leaves a stray reminder, which unregisters itself when it next fires.
            if (S.Reminder)
            {
                S.Reminder = false;
                await SaveAsync();
            }

            if (await reminders.GetReminder(this.GetGrainId(), ReminderName) is { } reminder)
            {
                await reminders.UnregisterReminder(this.GetGrainId(), reminder);
            }
        }
    }

    /// <summary>Starts watching a holder's clock: the timer moves up to its due time (the caller registered the reminder).</summary>
    private void Watch(HolderRecord holder)
    {
        if (holder.AwaitsFirstTouch && holder.SlaDueAt!.Value < _slaTimerAt)
        {
            Wake(holder.SlaDueAt.Value);
        }
    }

    /// <summary>
    /// Registers the cell's reminder if it is not, before the change that needs it (which saves the flag with itself): a failure
    /// leaves the change unmade.
    /// </summary>
    private async Task EnsureReminderAsync()
    {
        if (!S.Reminder && Reminders() is { } reminders)
        {
            await reminders.RegisterOrUpdateReminder(this.GetGrainId(), ReminderName, Options.SlaReminderPeriod, Options.SlaReminderPeriod);
            S.Reminder = true;
        }
    }

    private Task OnSlaTimerAsync()
    {
        _slaTimerAt = DateTimeOffset.MaxValue;
        if (Journal.IsBroken)
        {
            // What is in memory may never have been saved: the next activation hands out what was.
            return Task.CompletedTask;
        }

        HandOutOverdue();
        return Task.CompletedTask;
    }

    /// <summary>Hands the overdue leads out (one-way) and sets the timer for the next; whether any clock still runs.</summary>
    private bool HandOutOverdue()
    {
        var now = Options.Clock.GetUtcNow();
        var retry = Options.SlaRetryInterval;
        List<string>? overdue = null;
        foreach (var holder in S.Holders.Values)
        {
            if (Runs(holder) && holder.SlaDueAt <= now
                && (!_handedOut.TryGetValue(holder.Lead, out var at) || at + retry <= now))
            {
                (overdue ??= []).Add(holder.Lead);
                _handedOut[holder.Lead] = now;
                if (holder.Escalated)
                {
                    _escalatedHandOuts[holder.Lead] = _escalatedHandOuts.GetValueOrDefault(holder.Lead) + 1;
                }
            }
        }

        if (_handedOut.Count > 0)
        {
            foreach (string lead in _handedOut.Keys.ToArray())
            {
                if (!S.Holders.TryGetValue(lead, out var holder) || !Runs(holder))
                {
                    _handedOut.Remove(lead);
                }
            }
        }

        if (_escalatedHandOuts.Count > 0)
        {
            foreach (string lead in _escalatedHandOuts.Keys.ToArray())
            {
                if (!S.Holders.TryGetValue(lead, out var holder) || !holder.Escalated)
                {
                    _escalatedHandOuts.Remove(lead);
                }
            }
        }

        if (overdue is not null)
        {
            var sla = GrainFactory.GetGrain<IRoutingSlaGrain>(AlignmentOrleans.TenantOf(this.GetPrimaryKeyString()));
            foreach (var batch in overdue.Chunk(DispatchBatch))
            {
                _ = sla.DispatchAsync(batch);
            }
        }

        return ScheduleNext();
    }

    /// <summary>Whether a holder's clock runs in this activation: it awaits its first touch and, if escalated, has hand-outs left.</summary>
    private bool Runs(HolderRecord holder) =>
        holder.AwaitsFirstTouch && !(holder.Escalated && _escalatedHandOuts.GetValueOrDefault(holder.Lead) >= MaxEscalatedHandOuts);

    /// <summary>Sets the timer for the earliest due time (or retry) of the clocks that run; whether any does.</summary>
    private bool ScheduleNext()
    {
        var next = DateTimeOffset.MaxValue;
        foreach (var holder in S.Holders.Values)
        {
            if (Runs(holder))
            {
                var at = holder.SlaDueAt!.Value;
                if (_handedOut.TryGetValue(holder.Lead, out var handed) && handed + Options.SlaRetryInterval > at)
                {
                    at = handed + Options.SlaRetryInterval;
                }

                if (at < next)
                {
                    next = at;
                }
            }
        }

        if (next == DateTimeOffset.MaxValue)
        {
            return false;
        }

        Wake(next);
        return true;
    }

    private void Wake(DateTimeOffset at)
    {
        var wait = at - Options.Clock.GetUtcNow();
        wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > LongestWait ? LongestWait : wait;
        _slaTimer ??= this.RegisterGrainTimer(static self => self.OnSlaTimerAsync(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _slaTimer.Change(wait, Timeout.InfiniteTimeSpan);
        _slaTimerAt = at;
    }

    /// <summary>The silo's reminder service; <see langword="null"/> when it has none (the timers still run while the cell is active).</summary>
    private IReminderRegistry? Reminders() => ServiceProvider.GetService<IReminderRegistry>();
}
