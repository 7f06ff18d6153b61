using Orleans.Concurrency;
using Alignment.Orleans.Grains;

namespace Alignment.Orleans.Nurture;

/// <summary>
/// One lead's nurture state (key: the tenant and the lead id, <see cref="AlignmentOrleans.Key"/>): its latest enrolment and the steps
/// sent to it. The grain is the only writer of them, so versions, claims and sent steps need no lock.
/// </summary>
[Alias("alignment.nurture-lead")]
internal interface ILeadNurtureGrain : IGrainWithStringKey
{
    [Alias("get")]
    [ReadOnly]
    Task<EnrolmentState?> GetAsync();

    [Alias("try-insert")]
    Task<bool> TryInsertAsync(EnrolmentState record);

    [Alias("try-update")]
    Task<bool> TryUpdateAsync(EnrolmentState record, int expectedVersion, EnrolmentState? successor);

    /// <summary>The latest enrolment when it is due at <paramref name="asOfTicks"/>; otherwise null (and the index is told its real time).</summary>
    [Alias("peek")]
    Task<EnrolmentState?> PeekAsync(long asOfTicks);

    /// <summary>Leases the latest enrolment when it is due at <paramref name="asOfTicks"/>; otherwise null.</summary>
    [Alias("claim")]
    Task<EnrolmentState?> ClaimAsync(long asOfTicks, string owner, DateTimeOffset leaseUntil);

    [Alias("try-record-sent")]
    Task<bool> TryRecordSentAsync(SentState sent);

    [Alias("was-sent")]
    [ReadOnly]
    Task<bool> WasSentAsync(string enrolmentId, int stepIndex);

    [Alias("list-sent")]
    [ReadOnly]
    Task<SentState[]> ListSentAsync();
}

/// <summary>
/// One partition of a tenant's due index (key: <see cref="OrleansIndexes.NurtureDue"/>): the leads of the partition with an
/// enrolment and, for each, a time at or before the one its lead grain holds. Lead grains lower an entry, durably, before they save
/// an earlier due time, and raise it after they saved a later one; so no due enrolment is ever missing from the index, and an entry
/// that is too early only costs the scheduler a call to the lead grain, which then tells the index its real time.
/// </summary>
[Alias("alignment.nurture-due")]
internal interface INurtureDueGrain : IGrainWithStringKey
{
    /// <summary>
    /// Lists the lead, and lowers its entry to <paramref name="ticks"/> when that is earlier; saved before it returns.
    /// <paramref name="stamp"/> is the stamp of the lead's state about to be saved (<see cref="EnrolmentState.Stamp"/>): a set
    /// with an older stamp, arriving late, is ignored afterwards.
    /// </summary>
    [Alias("lower")]
    Task LowerAsync(string lead, long ticks, long stamp);

    /// <summary>
    /// Sets the lead's entry to the real time of its state at <paramref name="stamp"/>, unless the entry was lowered or set for a
    /// newer state: a late message never makes the entry late. Saved lazily (losing it leaves the entry early, which is safe).
    /// </summary>
    /// <returns>The stamp the entry holds afterwards: above <paramref name="stamp"/> when the set was refused.</returns>
    [Alias("set")]
    Task<long> SetAsync(string lead, long ticks, long stamp);

    /// <summary>
    /// Sets the entry to the lead's real time when it still holds <paramref name="held"/>: the stamp of a lower whose state was
    /// never saved (its save failed), which the lead grain, the only writer of that state, vouches for. A newer lower in between
    /// changes the stamp, and this call is then ignored.
    /// </summary>
    [Alias("reset")]
    Task ResetAsync(string lead, long ticks, long stamp, long held);

    /// <summary>The entries due at <paramref name="asOfTicks"/>, earliest first (then by lead id), at most <paramref name="maxCount"/>.</summary>
    [Alias("due")]
    [ReadOnly]
    Task<DueEntry[]> DueAsync(long asOfTicks, int maxCount);

    /// <summary>Every lead of the partition with an enrolment.</summary>
    [Alias("list")]
    [ReadOnly]
    Task<string[]> ListAsync();
}

internal sealed class LeadNurtureGrain(
    [PersistentState("nurture", AlignmentOrleans.StorageName)] IPersistentState<LeadNurtureState> state) : Grain, ILeadNurtureGrain
{
    private const long Unknown = long.MinValue;

    // The time this activation last gave the index for this lead (the index holds it or something earlier); Unknown until then.
    private long _indexed = Unknown;

    private string Lead => AlignmentOrleans.IdOf(this.GetPrimaryKeyString());

    private INurtureDueGrain Index
    {
        get
        {
            string key = this.GetPrimaryKeyString();
            string lead = AlignmentOrleans.IdOf(key);
            return GrainFactory.GetGrain<INurtureDueGrain>(OrleansIndexes.NurtureDue(AlignmentOrleans.TenantOf(key), OrleansIndexes.PartitionOf(lead)));
        }
    }

    public Task<EnrolmentState?> GetAsync() => Task.FromResult(state.State.Latest);

    public async Task<bool> TryInsertAsync(EnrolmentState record)
    {
        var current = state.State.Latest;
        if (current is not null && (current.IsOnTrack || record.Sequence <= current.Sequence))
        {
            return false;
        }

        await SaveAsync(record.With(1), state.State.Sent);
        return true;
    }

    public async Task<bool> TryUpdateAsync(EnrolmentState record, int expectedVersion, EnrolmentState? successor)
    {
        var current = state.State.Latest;
        if (current is null || current.Sequence != record.Sequence || current.Version != expectedVersion)
        {
            return false;
        }

        await SaveAsync(successor is null ? record.With(expectedVersion + 1) : successor.With(1), state.State.Sent);
        return true;
    }

    public async Task<EnrolmentState?> PeekAsync(long asOfTicks)
    {
        var current = state.State.Latest;
        if (current is not null && current.DueTicks <= asOfTicks)
        {
            return current;
        }

        await HealAsync(current);
        return null;
    }

    public async Task<EnrolmentState?> ClaimAsync(long asOfTicks, string owner, DateTimeOffset leaseUntil)
    {
        var current = state.State.Latest;
        if (current is null || current.DueTicks > asOfTicks)
        {
            await HealAsync(current);
            return null;
        }

        var claimed = current.With(current.Version + 1);
        claimed.LeaseOwner = owner;
        claimed.LeaseUntil = leaseUntil;
        await SaveAsync(claimed, state.State.Sent);
        return claimed;
    }

    public async Task<bool> TryRecordSentAsync(SentState sent)
    {
        foreach (var s in state.State.Sent)
        {
            if (s.StepIndex == sent.StepIndex && string.Equals(s.EnrolmentId, sent.EnrolmentId, StringComparison.Ordinal))
            {
                return false;
            }
        }

        await WriteAsync(new LeadNurtureState { Latest = state.State.Latest, Sent = [.. state.State.Sent, sent] });
        return true;
    }

    public Task<bool> WasSentAsync(string enrolmentId, int stepIndex) =>
        Task.FromResult(state.State.Sent.Exists(s => s.StepIndex == stepIndex && string.Equals(s.EnrolmentId, enrolmentId, StringComparison.Ordinal)));

    public Task<SentState[]> ListSentAsync() => Task.FromResult(state.State.Sent.ToArray());

    /// <summary>
    /// Saves the lead's new latest enrolment: the index is lowered first when the enrolment falls due earlier than the index may
    /// hold (durably, so a silo lost between the two saves leaves the index early, never late), and raised after.
    /// </summary>
    private async Task SaveAsync(EnrolmentState latest, List<SentState> sent)
    {
        long due = latest.DueTicks;
        var index = Index;
        if (_indexed == Unknown || due < _indexed)
        {
            await index.LowerAsync(Lead, due, latest.Stamp);
            _indexed = Unknown; // the index now holds min(what it had, due)
        }

        await WriteAsync(new LeadNurtureState { Latest = latest, Sent = sent });
        await TellIndexAsync(index, due, latest.Stamp);
    }

    /// <summary>Saves <paramref name="next"/>; when the save fails, the next call starts from what was (the index may be early for it, which is safe).</summary>
    private async Task WriteAsync(LeadNurtureState next)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>
    /// Gives the index the lead's real time: a scheduler asked because the index holds an earlier one (a raise lost with the
    /// partition's silo, or never made), whatever this activation last told it.
    /// </summary>
    /// <remarks>A lead listed without an enrolment (its first save failed after the index was lowered) is taken off the due list.</remarks>
    private Task HealAsync(EnrolmentState? current) =>
        TellIndexAsync(Index, current?.DueTicks ?? long.MaxValue, current?.Stamp ?? 0, force: true);

    private async Task TellIndexAsync(INurtureDueGrain index, long due, long stamp, bool force = false)
    {
        if (_indexed == due && !force)
        {
            return;
        }

        try
        {
            long held = await index.SetAsync(Lead, due, stamp);
            if (held > stamp)
            {
                // The index holds the stamp of a lower whose state this grain never saved (its save failed): every saved state of
                // this lead has passed through this grain, whose saved stamp is below it. Put the real time back.
                await index.ResetAsync(Lead, due, stamp, held);
            }

            _indexed = due;
        }
#pragma warning disable CA1031 // The change is saved; an index left early is safe (the next scheduler call heals it).
        catch (Exception)
#pragma warning restore CA1031
        {
            _indexed = Unknown;
        }
    }
}

internal sealed class NurtureDueGrain(
    [PersistentState("nurture-due", AlignmentOrleans.StorageName)] IPersistentState<NurtureDueState> state) : Grain, INurtureDueGrain
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(2);
    private readonly SortedSet<DueEntry> _byTime = new(EntryOrder.Instance);

    /// <summary>The leads whose entries changed since the last save: a save writes only them (<see cref="GrainJournal{TState, TDelta}"/>).</summary>
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private GrainJournal<NurtureDueState, NurtureDueDelta>? _journal;
    private IGrainTimer? _flush;

    /// <summary>The state name of the ring's records, followed by the slot's number.</summary>
    internal const string JournalPrefix = "nurture-due-log-";

    private GrainJournal<NurtureDueState, NurtureDueDelta> Journal => _journal ??= new(state, JournalPrefix);

    private bool Dirty => _changed.Count > 0;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Journal.RecoverAsync(ServiceProvider, this.GetGrainId(), delta =>
        {
            for (int i = 0; i < delta.Leads.Length; i++)
            {
                state.State.Due[delta.Leads[i]] = delta.Due[i];
                state.State.Stamps[delta.Leads[i]] = delta.Stamps[i];
            }
        }, cancellationToken);
        foreach (var (lead, ticks) in state.State.Due)
        {
            if (ticks != long.MaxValue)
            {
                _byTime.Add(new DueEntry(lead, ticks));
            }
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (Dirty)
        {
            try
            {
                await SaveAsync(cancellationToken);
            }
#pragma warning disable CA1031 // Only raised entries are unsaved: losing them leaves the index early, which is safe.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    public async Task LowerAsync(string lead, long ticks, long stamp)
    {
        Journal.ThrowIfBroken();
        bool listed = state.State.Due.TryGetValue(lead, out long held);
        long known = state.State.Stamps.GetValueOrDefault(lead);
        if (listed && held <= ticks)
        {
            // Nothing to lower: only the stamp moves, saved with the next write (lost with the silo, a late set could apply, and
            // the scheduler's next refusal heals it).
            if (known < stamp)
            {
                state.State.Stamps[lead] = stamp;
                MarkDirty(lead);
            }

            return;
        }

        state.State.Stamps[lead] = Math.Max(known, stamp);
        Put(lead, listed ? held : null, listed ? Math.Min(held, ticks) : ticks);
        _changed.Add(lead);
        try
        {
            await SaveAsync();
        }
        catch
        {
            // Unsaved: the caller does not save its change either. Start again from what is saved.
            DeactivateOnIdle();
            throw;
        }
    }

    public Task<long> SetAsync(string lead, long ticks, long stamp)
    {
        Journal.ThrowIfBroken();
        // Only for the newest state the index was told of: a set that arrives after a later lower (its call timed out at the
        // lead grain, which went on) would otherwise make the entry late.
        long known = state.State.Stamps.GetValueOrDefault(lead);
        if (state.State.Due.TryGetValue(lead, out long held) && stamp >= known)
        {
            if (held != ticks || known != stamp)
            {
                state.State.Stamps[lead] = stamp;
                Put(lead, held, ticks);
                MarkDirty(lead);
            }

            return Task.FromResult(stamp);
        }

        return Task.FromResult(known);
    }

    public Task ResetAsync(string lead, long ticks, long stamp, long held)
    {
        Journal.ThrowIfBroken();
        if (state.State.Due.TryGetValue(lead, out long was) && state.State.Stamps.GetValueOrDefault(lead) == held)
        {
            state.State.Stamps[lead] = stamp;
            Put(lead, was, ticks);
            MarkDirty(lead);
        }

        return Task.CompletedTask;
    }

    private void MarkDirty(string lead)
    {
        _changed.Add(lead);
        _flush ??= this.RegisterGrainTimer(static self => self.FlushAsync(), this, FlushEvery, FlushEvery);
    }

    /// <summary>Saves the entries changed since the last save (every 64th time, the whole partition).</summary>
    private async Task SaveAsync(CancellationToken cancellationToken = default)
    {
        await Journal.SaveAsync(() =>
        {
            var leads = _changed.ToArray();
            return new NurtureDueDelta
            {
                Leads = leads,
                Due = [.. leads.Select(l => state.State.Due[l])],
                Stamps = [.. leads.Select(l => state.State.Stamps.GetValueOrDefault(l))],
            };
        }, cancellationToken);
        _changed.Clear();
    }

    public Task<DueEntry[]> DueAsync(long asOfTicks, int maxCount)
    {
        Journal.ThrowIfBroken();
        var result = new List<DueEntry>(Math.Min(maxCount, 64));
        foreach (var entry in _byTime)
        {
            if (entry.Ticks > asOfTicks || result.Count == maxCount)
            {
                break;
            }

            result.Add(entry);
        }

        return Task.FromResult(result.ToArray());
    }

    public Task<string[]> ListAsync()
    {
        Journal.ThrowIfBroken();
        return Task.FromResult(state.State.Due.Keys.ToArray());
    }

    private void Put(string lead, long? held, long ticks)
    {
        if (held is { } old && old != long.MaxValue)
        {
            _byTime.Remove(new DueEntry(lead, old));
        }

        state.State.Due[lead] = ticks;
        if (ticks != long.MaxValue)
        {
            _byTime.Add(new DueEntry(lead, ticks));
        }
    }

    private async Task FlushAsync()
    {
        if (Dirty)
        {
            try
            {
                await SaveAsync();
            }
            catch
            {
                // Another activation may have saved the partition (an etag conflict): start again from what is saved.
                DeactivateOnIdle();
                throw;
            }
        }
    }

    private sealed class EntryOrder : IComparer<DueEntry>
    {
        public static readonly EntryOrder Instance = new();

        public int Compare(DueEntry x, DueEntry y)
        {
            int c = x.Ticks.CompareTo(y.Ticks);
            return c != 0 ? c : string.CompareOrdinal(x.Lead, y.Lead);
        }
    }
}
