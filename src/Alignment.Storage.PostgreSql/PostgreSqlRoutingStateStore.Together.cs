using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Storage.PostgreSql.Decisions;
using Npgsql;
using NpgsqlTypes;

namespace Alignment.Storage.PostgreSql;

// <summary>
// Decisions made together, in two kinds of queue. Every decision of a policy (the same CompiledRoutingPolicy object) first waits
// in that policy's queue while a transaction of it runs; the next transaction takes up to
// <see cref="PostgreSqlStoreOptions.MaxDecisionsPerTransaction"/> of them, whatever pools they route to. It tries their leads'
// locks and the locks of every pool and rep they can touch, all without waiting, reads every lead's handoff and the state of those
// pools and reps once, decides the leads one after another on that state, and writes and commits them together. So a store's
// decisions in many pools cost two round trips and one commit per transaction, not per decision, and the outcome is the one the
// same decisions made one at a time in that order would have: each sees the counters and rotations the ones before it left. A
// transaction of a policy's queue waits for no lead's, pool's or rep's lock (only for the schema's, shared), so a pool or rep
// that another transaction holds (a decision from another host, a rep's update, a stalled session) holds up the decisions that
// need it, not the policy's others: each of those goes on to its footprint's queue, whose transactions wait for the
// footprint's locks, in key order, and take the decisions that queued behind them together in the same way.
// </summary>
// <remarks>
// When a footprint's group runs out of time (a lock or statement timeout), or a policy's group waits too long for the schema's
// lock (any time limit, for a policy's group of one), each decision in it, and each decision queued in the same queue before it began (which has waited at least as long),
// fails with a copy of that timeout, as it would have alone. A decision that throws fails its own caller with what it threw,
// and the others of its group are made again. Any other failure fails no caller: nothing of the transaction was saved (or, when
// only the commit's reply was lost, all of it was), and every decision of a policy's group goes on to its footprint's queue,
// every decision of a footprint's group is made alone, all at once, with its caller's retries and cancellation, as if it had
// never been queued, so a retry finds what a lost commit saved and returns it. A decision whose lead's lock another transaction
// holds (an update of that lead, or a decision of it from elsewhere), or whose lead holds the capacity of a rep the transaction
// has not locked, is left out: made through its footprint's queue (or, of a footprint's group, alone after it). A caller's
// cancellation takes its decision out of the queue while it waits; once a group transaction has taken it, the decision is made
// and the caller gets it.
// </remarks>
public sealed partial class PostgreSqlRoutingStateStore
{
    private readonly ConditionalWeakTable<CompiledRoutingPolicy, PolicyQueues> _queues = [];

    /// <summary>
    /// Test seam: told, after each transaction of two or more queued decisions committed and before its callers are answered,
    /// how many new handoffs it saved (not counting leads answered with their current handoff); an exception from it is ignored.
    /// </summary>
    internal Action<int>? OnGroupCommitted { get; set; }

    private PolicyQueues QueuesOf(CompiledRoutingPolicy policy) => _queues.GetValue(policy, static _ => new PolicyQueues());

    /// <summary>
    /// Whether a time limit of a group also fails the decisions queued before it: of a footprint's queue, always; of a policy's,
    /// only a lock timeout (the schema's lock, which every decision of the queue needs).
    /// </summary>
    private static bool FailsQueuedBefore(RoutingFootprint? footprint, Exception timeout) =>
        footprint is not null || timeout is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable };

    /// <summary>A decision through its policy's queue (and, when left out of a group there, through its footprint's).</summary>
    private ValueTask<HandoffAssignment> DecideQueuedAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, RoutingFootprint footprint, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<HandoffAssignment>(cancellationToken) : Enqueue(QueuesOf(policy).Policy, policy, new PendingDecision(leadId, expectedEpoch, footprint, decide, cancellationToken));

    /// <summary>A decision through its footprint's queue, whose transactions wait for the footprint's locks.</summary>
    private ValueTask<HandoffAssignment> DecideInFootprintQueueAsync(CompiledRoutingPolicy policy, PendingDecision left) =>
        Enqueue(
            QueuesOf(policy).Footprints.GetOrAdd(FootprintKey(left.Footprint), static (_, f) => new DecisionQueue(f), left.Footprint),
            policy,
            new PendingDecision(left.LeadId, left.ExpectedEpoch, left.Footprint, left.Decide, left.CancellationToken));

    private ValueTask<HandoffAssignment> Enqueue(DecisionQueue queue, CompiledRoutingPolicy policy, PendingDecision pending)
    {
        bool leads;
        lock (queue)
        {
            pending.QueuedAt = Stopwatch.GetTimestamp();
            queue.Waiting.Add(pending);
            leads = !queue.Running;
            queue.Running = true;
        }

        // The caller that found the queue idle decides (its own decision first); the others wait for a transaction to take theirs.
        return leads ? LeadAsync(queue, policy, pending) : pending.WaitAsync();
    }

    private async ValueTask<HandoffAssignment> LeadAsync(DecisionQueue queue, CompiledRoutingPolicy policy, PendingDecision own)
    {
        // The caller waits for its own decision only, not for the rest of its group's work (a lead of it decided alone after it).
        _ = DrainAsync(queue, policy, own); // never throws
        return await own.Done.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Takes groups from the queue and decides them until the queue is empty, or, for a caller's own drain, until its decision is
    /// made (its own decision is the first of the queue, so that is after one group): the rest is then drained on the thread
    /// pool, so no caller waits for decisions queued after its own. Never throws, and always leaves the queue either idle and
    /// empty or with a drain running, so a queue can never be left with decisions and nobody to take them.
    /// </summary>
    private async Task DrainAsync(DecisionQueue queue, CompiledRoutingPolicy policy, PendingDecision? own)
    {
        while (true)
        {
            List<PendingDecision> group;
            lock (queue)
            {
                group = queue.Take(_maxDecisionsPerTransaction);
                if (group.Count == 0)
                {
                    queue.Running = false;
                    return;
                }
            }

            try
            {
                await DecideGroupAsync(queue, policy, group).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // DecideGroupAsync answers every decision itself; this only keeps the queue moving if that ever changes.
                foreach (var pending in group)
                {
                    pending.Done.TrySetException(e);
                }
            }

            if (own is not null)
            {
                lock (queue)
                {
                    if (queue.Waiting.Count == 0)
                    {
                        queue.Running = false;
                        return;
                    }
                }

                // The rest runs without this caller's execution context (not part of its trace; each decision runs in its own).
                ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.Store.DrainAsync(s.Queue, s.Policy, null), (Store: this, Queue: queue, Policy: policy), preferLocal: false);
                return;
            }
        }
    }

    /// <summary>
    /// Decides a group and answers every decision in it, with its handoff or its failure; never throws. When the group's
    /// transaction fails on a time limit (a lock or statement timeout, the connection string's timeouts), every decision in it,
    /// and every decision queued in the same queue before the transaction began, fails with a copy of that exception, as each
    /// alone would have (so a stalled pool fails its callers after about one or two time limits, however many queue); on any
    /// other failure each is made again alone, all at once, each with its caller's retries and cancellation token. Of a
    /// policy's queue, only a lock timeout fails queued decisions, and the decisions left out of the group (or all of them, when
    /// it failed otherwise) go on to their footprints' queues, and nothing here waits for them: the policy's queue waits for
    /// no lead's, pool's or rep's lock.
    /// </summary>
    private async Task DecideGroupAsync(DecisionQueue queue, CompiledRoutingPolicy policy, List<PendingDecision> group)
    {
        var footprint = queue.Footprint; // null: the policy's queue
        if (footprint is null && (group = ForwardBehindTheirFootprint(policy, group)).Count == 0)
        {
            return;
        }

        List<PendingDecision> left = group;
        if (footprint is null || group.Count > 1)
        {
            long began = Stopwatch.GetTimestamp();
            try
            {
                left = await DecideTogetherAsync(policy, footprint, group).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (group.Count == 1 && group[0].CancellationToken.IsCancellationRequested)
            {
                group[0].Done.TrySetCanceled(e.CancellationToken); // a group of one runs under its caller's token
                return;
            }
            catch (Exception e) when (StoreRetry.IsTimeout(e) && (group.Count == 1 || FailsQueuedBefore(footprint, e)))
            {
                // A time limit is not tried again: the group's decisions fail with it, as each would alone, and so do those queued
                // before it in this queue. Of a policy's queue, only a lock timeout (the schema's lock, which every decision of the
                // queue needs) fails the queued ones, and any other time limit of a larger group counts as any other failure.
                List<PendingDecision> waited = [];
                if (FailsQueuedBefore(footprint, e))
                {
                    lock (queue)
                    {
                        waited = queue.TakeQueuedBefore(began);
                    }
                }

                if (group.Count == 1)
                {
                    group[0].Done.TrySetException(e);
                }

                foreach (var pending in group.Count == 1 ? waited : group.Concat(waited))
                {
                    pending.Done.TrySetException(ForCaller(e, group.Count));
                }

                return;
            }
            catch (DecisionFailedException e) when (!StoreRetry.IsTransient(e.InnerException!))
            {
                // A caller's decision threw before anything was written: that caller fails with what it threw, as alone, and the
                // others are made again (the transaction was rolled back), without deciding the failed one a second time. (What
                // a retry may cure, a plugin's own database call that failed transiently, is made again with the others, with
                // its caller's retries, as alone.)
                e.Pending.Done.TrySetException(e.InnerException!);
                left = group.FindAll(pending => !ReferenceEquals(pending, e.Pending));
            }
            catch (Exception)
            {
                // Nothing was saved, or all of it was and the reply was lost: each decision made again finds out which, and fails
                // alone. Of a policy's queue, through their footprints' queues (which wait for the locks, and make a failing group's
                // decisions alone), so that the decisions of a footprint queued after them still follow them.
                left = group;
            }
        }

        if (footprint is null)
        {
            foreach (var pending in left)
            {
                _ = ForwardAsync(policy, pending); // never throws
            }
        }
        else if (left.Count == 1)
        {
            await AnswerAloneAsync(policy, left[0]).ConfigureAwait(false);
        }
        else if (left.Count > 1)
        {
            await Task.WhenAll(left.ConvertAll(pending => AnswerAloneAsync(policy, pending))).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends each decision of a policy's group whose footprint's queue is busy (with decisions left out of earlier groups) on to
    /// that queue, behind them, so that decisions of one footprint are made in the order they arrived; returns the others.
    /// </summary>
    private List<PendingDecision> ForwardBehindTheirFootprint(CompiledRoutingPolicy policy, List<PendingDecision> group)
    {
        var footprints = QueuesOf(policy).Footprints;
        if (footprints.IsEmpty)
        {
            return group;
        }

        var rest = new List<PendingDecision>(group.Count);
        HashSet<string>? forwarded = null;
        foreach (var pending in group)
        {
            string key = FootprintKey(pending.Footprint);
            if ((forwarded is not null && forwarded.Contains(key)) || (footprints.TryGetValue(key, out var queue) && queue.IsRunning))
            {
                // Once one is sent on, the footprint's later ones follow it even if its queue went idle in between.
                (forwarded ??= new HashSet<string>(StringComparer.Ordinal)).Add(key);
                _ = ForwardAsync(policy, pending); // never throws; queued there before this method returns
            }
            else
            {
                rest.Add(pending);
            }
        }

        return rest;
    }

    /// <summary>Makes a decision left out of its policy's group through its footprint's queue, in its caller's context, and answers it; never throws.</summary>
    private async Task ForwardAsync(CompiledRoutingPolicy policy, PendingDecision pending)
    {
        try
        {
            pending.Done.TrySetResult(await pending.InCallersContext(() => DecideInFootprintQueueAsync(policy, pending)).ConfigureAwait(false));
        }
        catch (OperationCanceledException e) when (pending.CancellationToken.IsCancellationRequested)
        {
            pending.Done.TrySetCanceled(e.CancellationToken);
        }
        catch (Exception e)
        {
            pending.Done.TrySetException(e);
        }
    }

    /// <summary>
    /// A copy of a group's time-limit failure for one caller: the same type and SQLSTATE, without the group's batch (whose
    /// parameters name the other callers' leads) and with its own stack trace.
    /// </summary>
    private static Exception ForCaller(Exception timeout, int groupSize) => timeout switch
    {
        PostgresException pg => new PostgresException(pg.MessageText, pg.Severity, pg.InvariantSeverity, pg.SqlState,
            detail: groupSize == 1
                ? "The routing store's transaction of a decision queued before this one ran out of time; this decision was queued behind it, and was not made."
                : $"The routing store's transaction for {groupSize} decisions made together ran out of time; this decision was among them or queued behind them, and was not made.",
            where: pg.Where),
        NpgsqlException npgsql => new NpgsqlException(npgsql.Message, npgsql.InnerException),
        _ => timeout,
    };

    /// <summary>Makes one queued decision as an unqueued call would, in its caller's context, and answers it; never throws.</summary>
    private async Task AnswerAloneAsync(CompiledRoutingPolicy policy, PendingDecision pending)
    {
        try
        {
            pending.Done.TrySetResult(await pending.InCallersContext(() => DecideAloneAsync(policy, pending.LeadId, pending.ExpectedEpoch, pending.Footprint, pending.Decide, pending.CancellationToken)).ConfigureAwait(false));
        }
        catch (OperationCanceledException e) when (pending.CancellationToken.IsCancellationRequested)
        {
            pending.Done.TrySetCanceled(e.CancellationToken);
        }
        catch (Exception e)
        {
            pending.Done.TrySetException(e);
        }
    }

    /// <summary>A decision of a group failed in its caller's code: never a time limit of the group's transaction.</summary>
    private sealed class DecisionFailedException(PendingDecision pending, Exception inner) : Exception("A decision of the group failed.", inner)
    {
        /// <summary>Gets the decision that failed.</summary>
        public PendingDecision Pending { get; } = pending;
    }

    /// <summary>A policy's queue and its footprints' queues.</summary>
    private sealed class PolicyQueues
    {
        public DecisionQueue Policy { get; } = new(null);

        public ConcurrentDictionary<string, DecisionQueue> Footprints { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>The decisions waiting for one policy, or for one footprint of it; guarded by locking the queue itself.</summary>
    private sealed class DecisionQueue(RoutingFootprint? footprint)
    {
        /// <summary>Gets the footprint every decision of this queue shares, or <see langword="null"/> for a policy's queue.</summary>
        public RoutingFootprint? Footprint { get; } = footprint;

        /// <summary>Gets the decisions not yet taken, oldest first (cancelled ones are dropped when reached).</summary>
        public List<PendingDecision> Waiting { get; } = [];

        /// <summary>Gets or sets whether a caller or a thread-pool drain is taking groups from this queue.</summary>
        public bool Running { get; set; }

        /// <summary>Gets whether a drain is taking groups from this queue (read under its lock).</summary>
        public bool IsRunning
        {
            get
            {
                lock (this)
                {
                    return Running;
                }
            }
        }

        /// <summary>Takes every waiting decision queued before <paramref name="timestamp"/> (a <see cref="Stopwatch"/> timestamp).</summary>
        public List<PendingDecision> TakeQueuedBefore(long timestamp)
        {
            var taken = new List<PendingDecision>();
            for (int i = 0; i < Waiting.Count;)
            {
                var pending = Waiting[i];
                if (pending.QueuedAt >= timestamp)
                {
                    i++;
                    continue;
                }

                Waiting.RemoveAt(i);
                if (pending.TryTake())
                {
                    taken.Add(pending);
                }
            }

            return taken;
        }

        /// <summary>Takes up to <paramref name="max"/> decisions, oldest first, at most one per lead (a lead's next waits its turn).</summary>
        public List<PendingDecision> Take(int max)
        {
            var group = new List<PendingDecision>(Math.Min(max, Waiting.Count));
            var leads = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < Waiting.Count && group.Count < max;)
            {
                var pending = Waiting[i];
                if (leads.Contains(pending.LeadId.Value))
                {
                    i++;
                    continue;
                }

                Waiting.RemoveAt(i);
                if (pending.TryTake())
                {
                    group.Add(pending);
                    leads.Add(pending.LeadId.Value);
                }
            }

            return group;
        }
    }

    /// <summary>
    /// One caller's decision while it waits: taken by one transaction, or cancelled by its caller, never both. Its decision (and,
    /// made alone, its whole call) runs in its caller's execution context, so what the caller's async flow carries (the current
    /// activity, logging scopes, a plugin's <see cref="AsyncLocal{T}"/>) is what the decision sees, whichever thread makes it.
    /// </summary>
    private sealed class PendingDecision(LeadId leadId, int? expectedEpoch, RoutingFootprint footprint, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken)
    {
        private int _state; // 0 waiting, 1 taken, 2 cancelled

        public LeadId LeadId { get; } = leadId;

        public int? ExpectedEpoch { get; } = expectedEpoch;

        /// <summary>Gets the pools and reps the decision can touch.</summary>
        public RoutingFootprint Footprint { get; } = footprint;

        public Func<HandoffAssignment?, RoutingState, HandoffAssignment> Decide { get; } = decide;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        /// <summary>Gets or sets when the decision was queued (a <see cref="Stopwatch"/> timestamp, set under the queue's lock).</summary>
        public long QueuedAt { get; set; }

        public TaskCompletionSource<HandoffAssignment> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private ExecutionContext? Context { get; } = ExecutionContext.Capture();

        public T InCallersContext<T>(Func<T> call)
        {
            if (Context is null)
            {
                return call();
            }

            var box = new StrongBox<(Func<T> Call, T Result)>((call, default!));
            ExecutionContext.Run(Context, static b => { var s = (StrongBox<(Func<T> Call, T Result)>)b!; s.Value.Result = s.Value.Call(); }, box);
            return box.Value.Result;
        }

        public bool TryTake() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

        public async ValueTask<HandoffAssignment> WaitAsync()
        {
            if (!CancellationToken.CanBeCanceled)
            {
                return await Done.Task.ConfigureAwait(false);
            }

            using var registration = CancellationToken.UnsafeRegister(
                static s =>
                {
                    var pending = (PendingDecision)s!;
                    if (Interlocked.CompareExchange(ref pending._state, 2, 0) == 0)
                    {
                        pending.Done.TrySetCanceled(pending.CancellationToken);
                    }
                },
                this);
            return await Done.Task.ConfigureAwait(false);
        }
    }
}
