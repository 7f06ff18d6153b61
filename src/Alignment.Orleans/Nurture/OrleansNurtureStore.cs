using System.Runtime.CompilerServices;
using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Orleans.Grains;
using Alignment.Policies.Nurture;

namespace Alignment.Orleans.Nurture;

/// <summary>
/// An <see cref="INurtureStore"/> whose enrolments live in an Orleans cluster: one grain per lead of a tenant holds the lead's latest
/// enrolment and the steps sent to it (the only writer of them, so versions, leases and sent steps need no database lock), and 16
/// partition grains per tenant schedule the due steps: each knows its leads and, for every one, a time at or before the one its lead
/// grain holds. "What is due now" asks the 16 partitions for their earliest entries and each candidate's lead grain, which alone
/// grants a claim; so two schedulers claiming at once never both get an enrolment, and an enrolment is never missing from the index.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe; every method is one or a few grain calls. The store does not record decisions
/// (<see cref="INurtureStore.RecordsDecisions"/> is false): the nurture engine publishes each decision once the store says it saved
/// the change.
/// </para>
/// <para>
/// A lead grain lowers its partition's entry, and waits for that to be saved, before it saves an earlier due time, and raises the
/// entry after it saved a later one (lazily: a raise lost with a silo leaves the entry early, which is safe). A scheduler that
/// meets an entry that is too early asks the lead grain, which refuses the claim and gives the partition its real time.
/// </para>
/// </remarks>
public sealed class OrleansNurtureStore : INurtureStore
{
    private const int MaxRounds = 8;
    private readonly IGrainFactory _grains;
    private readonly string _tenant;

    /// <summary>Creates a store over a cluster.</summary>
    /// <param name="grains">The cluster client's (or a silo's) grain factory.</param>
    /// <param name="tenant">The tenant whose enrolments this store reads and writes; other tenants' grains are never touched.</param>
    /// <exception cref="ArgumentNullException"><paramref name="grains"/> or <paramref name="tenant"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    public OrleansNurtureStore(IGrainFactory grains, string tenant = "default")
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        _grains = grains;
        _tenant = tenant;
    }

    /// <inheritdoc />
    public async ValueTask<NurtureEnrolmentRecord?> FindLatestAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var state = await Lead(leadId.Value).GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return state?.ToRecord();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public async ValueTask<bool> TryInsertAsync(NurtureEnrolmentRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        return await Lead(record.LeadId.Value).TryInsertAsync(EnrolmentState.From(record)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="successor"/> is not the lead's next enrolment, or <paramref name="record"/> does not end when <paramref name="successor"/> is given.</exception>
    public async ValueTask<bool> TryUpdateAsync(NurtureEnrolmentRecord record, int expectedVersion, NurtureEnrolmentRecord? successor = null, AlignmentDecision? decision = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (successor is not null && (successor.LeadId != record.LeadId || successor.Sequence != record.Sequence + 1 || record.IsOnTrack))
        {
            throw new ArgumentException($"Lead {record.LeadId}: the next enrolment must be the same lead's sequence {record.Sequence + 1}, and the current one must end.", nameof(successor));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return await Lead(record.LeadId.Value)
            .TryUpdateAsync(EnrolmentState.From(record), expectedVersion, successor is null ? null : EnrolmentState.From(successor))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<NurtureDueItem>> PeekDueAsync(DateTimeOffset asOf, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        cancellationToken.ThrowIfCancellationRequested();
        long asOfTicks = asOf.UtcTicks;
        List<EnrolmentState> due = [];
        for (int round = 0; round < MaxRounds; round++)
        {
            var (candidates, full) = await CandidatesAsync(asOfTicks, maxCount, null, cancellationToken).ConfigureAwait(false);
            due.Clear();
            bool early = false;
            for (int next = 0; next < candidates.Count && due.Count < maxCount;)
            {
                var batch = candidates.GetRange(next, Math.Min(maxCount - due.Count, candidates.Count - next));
                next += batch.Count;
                var found = await Task.WhenAll(batch.Select(c => Lead(c.Lead).PeekAsync(asOfTicks))).WaitAsync(cancellationToken).ConfigureAwait(false);
                foreach (var state in found)
                {
                    if (state is null)
                    {
                        early = true; // the lead grain gave its partition the real time: asking again may find others
                    }
                    else
                    {
                        due.Add(state);
                    }
                }
            }

            if (due.Count == maxCount || !early || !full)
            {
                break;
            }
        }

        return [.. due.OrderBy(s => s.DueTicks).ThenBy(s => s.Lead, StringComparer.Ordinal)
            .Select(s => new NurtureDueItem(new LeadId(s.Lead), s.Lead + ":" + s.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), s.TrackId, s.NextStep, s.NextDueAt!.Value))];
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="owner"/> is empty.</exception>
    public async ValueTask<IReadOnlyList<NurtureEnrolmentRecord>> ClaimDueAsync(DateTimeOffset asOf, int maxCount, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        cancellationToken.ThrowIfCancellationRequested();
        long asOfTicks = asOf.UtcTicks;
        var claimed = new List<NurtureEnrolmentRecord>();
        var asked = new HashSet<string>(StringComparer.Ordinal); // granted or refused in this call: not asked again
        Exception? failed = null;
        for (int round = 0; round < MaxRounds && claimed.Count < maxCount && failed is null; round++)
        {
            List<DueEntry> candidates;
            try
            {
                (candidates, _) = await CandidatesAsync(asOfTicks, maxCount - claimed.Count, asked, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (claimed.Count > 0)
            {
                failed = ex; // a later round's listing failed: the leases already granted are returned all the same
                break;
            }

            bool refused = false;
            for (int next = 0; next < candidates.Count && claimed.Count < maxCount && failed is null;)
            {
                // Never more claims in flight than the enrolments still wanted: a claim granted is a lease held.
                var batch = candidates.GetRange(next, Math.Min(maxCount - claimed.Count, candidates.Count - next));
                next += batch.Count;
                var calls = batch.Select(c => Lead(c.Lead).ClaimAsync(asOfTicks, owner, leaseUntil)).ToArray();
                try
                {
                    await Task.WhenAll(calls).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // Reported below, after the leases granted beside it are returned to the caller.
                catch (Exception)
#pragma warning restore CA1031
                {
                }

                for (int i = 0; i < calls.Length; i++)
                {
                    asked.Add(batch[i].Lead);
                    if (calls[i].IsCompletedSuccessfully)
                    {
                        if (calls[i].Result is { } state)
                        {
                            claimed.Add(state.ToRecord());
                        }
                        else
                        {
                            refused = true;
                        }
                    }
                    else
                    {
                        failed ??= calls[i].Exception?.InnerException ?? new OperationCanceledException("A claim was cancelled.");
                    }
                }
            }

            // Every candidate granted: either the count is reached or the partitions had no more. A refusal (another scheduler got
            // there first, or an entry was early) may hide due enrolments behind it: ask again, without the leads already asked.
            if (!refused)
            {
                break;
            }
        }

        // A failed call (a silo lost) does not throw away the leases granted beside it: they are returned, and the failure is
        // reported only when nothing was granted (what the failed call may have granted is due again when its lease expires).
        if (claimed.Count == 0 && failed is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failed).Throw();
        }

        return claimed;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="sent"/> is null.</exception>
    public async ValueTask<bool> TryRecordSentAsync(NurtureSentStep sent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sent);
        cancellationToken.ThrowIfCancellationRequested();
        return await Lead(sent.LeadId.Value).TryRecordSentAsync(SentState.From(sent)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> WasSentAsync(string enrolmentId, int stepIndex, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // An enrolment's id is {lead}:{sequence}: its lead grain holds the steps sent under it.
        int colon = enrolmentId?.LastIndexOf(':') ?? -1;
        if (colon <= 0)
        {
            return false;
        }

        return await Lead(enrolmentId![..colon]).WasSentAsync(enrolmentId, stepIndex).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<NurtureSentStep>> ListSentAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var sent = await Lead(leadId.Value).ListSentAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. sent.Select(s => s.ToStep()).OrderBy(s => s.SentAt).ThenBy(s => s.EnrolmentId, StringComparer.Ordinal).ThenBy(s => s.StepIndex)];
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<NurtureEnrolmentRecord> ListLatestAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        for (int p = 0; p < OrleansIndexes.Partitions; p++)
        {
            var leads = await Index(p).ListAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            foreach (var lead in leads)
            {
                // A lead is listed before its first enrolment is saved: one whose save failed has none, and is skipped.
                if (await Lead(lead).GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false) is { } state)
                {
                    yield return state.ToRecord();
                }
            }
        }
    }

    /// <summary>The earliest entries of every partition due at <paramref name="asOfTicks"/>, earliest first; whether a partition may hold more.</summary>
    private async Task<(List<DueEntry> Candidates, bool Full)> CandidatesAsync(long asOfTicks, int perPartition, HashSet<string>? skip, CancellationToken cancellationToken)
    {
        var asks = new Task<DueEntry[]>[OrleansIndexes.Partitions];
        for (int p = 0; p < asks.Length; p++)
        {
            // Leads this call already claimed are asked for one more each, so that skipping them never shortens a partition's list.
            asks[p] = Index(p).DueAsync(asOfTicks, perPartition + (skip?.Count ?? 0));
        }

        var answers = await Task.WhenAll(asks).WaitAsync(cancellationToken).ConfigureAwait(false);
        var all = new List<DueEntry>();
        bool full = false;
        foreach (var answer in answers)
        {
            full |= answer.Length == perPartition + (skip?.Count ?? 0);
            foreach (var entry in answer)
            {
                if (skip is null || !skip.Contains(entry.Lead))
                {
                    all.Add(entry);
                }
            }
        }

        all.Sort(static (x, y) => x.Ticks != y.Ticks ? x.Ticks.CompareTo(y.Ticks) : string.CompareOrdinal(x.Lead, y.Lead));
        return (all, full);
    }

    private ILeadNurtureGrain Lead(string lead) => _grains.GetGrain<ILeadNurtureGrain>(AlignmentOrleans.Key(_tenant, lead));

    private INurtureDueGrain Index(int partition) => _grains.GetGrain<INurtureDueGrain>(OrleansIndexes.NurtureDue(_tenant, partition));
}
