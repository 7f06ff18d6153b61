using System.Collections.Concurrent;
using System.Collections.Immutable;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Orleans.Grains;
using Alignment.Orleans.Sla;
using Alignment.Policies.Handoff;
using Orleans;

namespace Alignment.Orleans;

/// <summary>
/// An <see cref="IRoutingStateStore"/> whose state lives in an Orleans cluster: one grain per routing cell of a tenant (the pools
/// and reps no decision crosses, <see cref="CompiledRoutingPolicy.GetCells"/>) and one per lead. The router is the same
/// <see cref="HandoffRouter"/> a single node runs; only where its state is kept changes.
/// </summary>
/// <remarks>
/// <para>A decision reads its lead from the lead's grain and the counters and rotations of its footprint from the cell's grain,
/// decides in this process with the unchanged engine, and commits through the lead's grain, which saves the change, then has
/// the cell apply it only if nothing the decision read changed meanwhile; otherwise the decision is made again on fresh state.
/// So caps hold and a lead gets one outcome with no lock anywhere, and decisions of different cells never wait for each other.</para>
/// <para>Thread-safe; every method may be called from any number of hosts at once. Built with <c>recordDecisions: true</c> (as
/// <c>UseOrleansRoutingState</c> does), the store records its decisions in its cells' outboxes and delivers them to subscribed hosts
/// (<see cref="SubscribeAsync"/>); otherwise the router publishes them to its sink once the store saved them.</para>
/// </remarks>
public sealed class OrleansRoutingStateStore : IRoutingStateStore, IDeliversRecordedDecisions
{
    private const int MaxAttempts = 200;
    private readonly IGrainFactory _grains;
    private readonly string _tenant;
    private readonly bool _record;
    private readonly ConcurrentDictionary<string, byte> _registered = new(StringComparer.Ordinal);

    /// <summary>Creates a store over a cluster.</summary>
    /// <param name="grains">The cluster client's (or a silo's) grain factory.</param>
    /// <param name="tenant">The tenant whose state this store reads and writes; other tenants' grains are never touched.</param>
    /// <param name="recordDecisions">
    /// Whether the store records the decisions its changes make (<see cref="RecordsDecisions"/>): in the outbox of the cell that
    /// applies the change, saved with it, published by a host subscribed with <see cref="SubscribeAsync"/>, so a host that
    /// crashes after a commit loses no decision. When <see langword="false"/> (the default), the router publishes them itself
    /// once the store has saved them.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="grains"/> or <paramref name="tenant"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    public OrleansRoutingStateStore(IGrainFactory grains, string tenant = "default", bool recordDecisions = false)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        _grains = grains;
        _tenant = tenant;
        _record = recordDecisions;
    }

    /// <inheritdoc />
    /// <remarks>
    /// When <see langword="true"/>, <see cref="AlignmentDecision.Routed"/> and <see cref="AlignmentDecision.SlaBreached"/> are
    /// saved in the outbox of the cell that applied the change (a decision that touches no cell in a tenant-wide one), with the
    /// keys of <see cref="DecisionKeys"/>, and delivered at least once, in each cell's order, to the sink of a host subscribed with
    /// <see cref="SubscribeAsync"/>, nearly always in the cell's order (a batch handed out again to another host while the first is
    /// still publishing it can overtake it). The decisions of one lead that moves between cells may arrive out of order.
    /// </remarks>
    public bool RecordsDecisions => _record;

    /// <summary>The tenant whose state this store keeps.</summary>
    public string Tenant => _tenant;

    /// <summary>
    /// Subscribes this host to the tenant's cells. The cells keep the service-level clocks of the handoffs they hold (grain timers
    /// and Orleans reminders): when a first touch is overdue, the lead goes to one subscribed <paramref name="router"/> (in turn),
    /// which handles the breach (<see cref="HandoffRouter.HandleSlaBreachesAsync"/>: publishes it once, notifies, reassigns or
    /// escalates), so nothing lists every open handoff, and a cell whose silo is lost comes back on another through its reminder.
    /// When the store <see cref="RecordsDecisions">records decisions</see>, the cells also hand their outboxes to one subscribed
    /// host, which publishes them to <paramref name="decisions"/> and acknowledges them. Hosts of every kind may subscribe; each
    /// piece of work goes to one of them, and again after the cells' retry interval if it was not done.
    /// <c>UseOrleansRoutingState</c> subscribes the host's router and sink while the host runs.
    /// </summary>
    /// <param name="router">Handles the breaches; <see langword="null"/> for a host that handles none.</param>
    /// <param name="decisions">Where recorded decisions are published; <see langword="null"/> for a host that publishes none.</param>
    /// <param name="renewEvery">How often the subscription is renewed; it lapses after three missed renewals. 10 seconds when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the first subscription.</param>
    /// <returns>The subscription: dispose it to stop (it unsubscribes, and waits for the batch in hand).</returns>
    /// <exception cref="ArgumentException">Both <paramref name="router"/> and <paramref name="decisions"/> are null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="renewEvery"/> is not between 100 milliseconds and 10 minutes.</exception>
    public async Task<IAsyncDisposable> SubscribeAsync(HandoffRouter? router, IDecisionSink? decisions, TimeSpan? renewEvery = null, CancellationToken cancellationToken = default)
    {
        var subscription = CreateSubscription(router, decisions, renewEvery, logger: null);
        try
        {
            await subscription.StartAsync(subscribeFirst: true, cancellationToken).ConfigureAwait(false);
            return subscription;
        }
        catch
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    internal CellSubscription CreateSubscription(HandoffRouter? router, IDecisionSink? decisions, TimeSpan? renewEvery, Microsoft.Extensions.Logging.ILogger? logger)
    {
        if (router is null && decisions is null)
        {
            throw new ArgumentException("A subscription handles breaches (a router), publishes decisions (a sink), or both: both are null.", nameof(router));
        }

        var every = renewEvery ?? TimeSpan.FromSeconds(10);
        ArgumentOutOfRangeException.ThrowIfLessThan(every, TimeSpan.FromMilliseconds(100), nameof(renewEvery));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(every, TimeSpan.FromMinutes(10), nameof(renewEvery));
        return new CellSubscription(_grains, _tenant, router, decisions, every, logger);
    }

    /// <inheritdoc />
    public async ValueTask<HandoffAssignment?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var view = await Lead(leadId).GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return view.Current?.ToAssignment();
    }

    /// <summary>Lists the handoffs a lead had before its current one, oldest first.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The earlier handoffs; empty when there are none.</returns>
    public async ValueTask<IReadOnlyList<HandoffAssignment>> ListHistoryAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var history = await Lead(leadId).GetHistoryAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. history.Select(h => h.ToAssignment())];
    }

    /// <inheritdoc />
    /// <remarks>
    /// Decides within the policy's whole footprint, which works only for a policy of one cell; the router always calls
    /// <see cref="DecideWithinAsync"/> with the decision's own footprint.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The policy has more than one cell.</exception>
    public ValueTask<HandoffAssignment> DecideAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.GetCells().Count > 1)
        {
            throw new InvalidOperationException($"Routing policy '{policy.Id}' has {policy.GetCells().Count} cells: on Orleans a decision names its footprint (DecideWithinAsync, as HandoffRouter does).");
        }

        return DecideWithinAsync(policy, leadId, expectedEpoch, policy.GetWholeFootprint(), decide, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="policy"/>, <paramref name="footprint"/> or <paramref name="decide"/> is null.</exception>
    /// <exception cref="InvalidOperationException">
    /// <paramref name="decide"/> returned a handoff for another lead or epoch, or assigned a rep outside the footprint's cell; or
    /// the lead has no handoff at <paramref name="expectedEpoch"/>; or the decision could not be committed after many attempts.
    /// </exception>
    public async ValueTask<HandoffAssignment> DecideWithinAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, RoutingFootprint footprint, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(footprint);
        ArgumentNullException.ThrowIfNull(decide);
        var cells = policy.GetCells();
        int cell = cells.CellOf(footprint);
        string? cellKey = cell >= 0 ? cells.GetKey(cell) : null;
        // A recording store saves the decision in a cell's outbox even when it touches no cell: in the tenant's NoCell.
        string? commitCell = cellKey ?? (_record ? AlignmentOrleans.NoCell : null);
        if (cellKey is not null)
        {
            await RegisterAsync(cells, cell, cellKey, cancellationToken).ConfigureAwait(false);
        }

        var grain = Lead(leadId);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var view = await grain.GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            var current = view.Current?.ToAssignment();
            if (current is not null && (expectedEpoch is null ? !current.IsClosed : current.Epoch != expectedEpoch))
            {
                return current;
            }

            if (current is null && expectedEpoch is not null)
            {
                throw new InvalidOperationException($"Lead {leadId} has no handoff at epoch {expectedEpoch} to replace.");
            }

            // The current handoff's unit of capacity: freed inside the decision when its rep is among this cell's counters
            // (as every store frees it before deciding), otherwise freed by its own cell once the decision is made.
            var heldRep = current?.HoldsCapacity == true && view.HeldInCell is not null ? current.Rep : null;
            bool fold = heldRep is { } held && view.HeldInCell == cellKey && cells.CellOf(held) == cell;
            var state = new RoutingState(policy);
            string[] readReps = [];
            string[] readPools = [];
            long[] repVersions = [];
            long[] poolVersions = [];
            if (cellKey is not null)
            {
                readReps = [.. footprint.Reps.Select(r => r.Value).Concat(fold ? [heldRep!.Value.Value] : []).Distinct(StringComparer.Ordinal)];
                readPools = [.. footprint.PoolKeys];
                var snapshot = await Cell(cellKey).ReadAsync(readReps, readPools).WaitAsync(cancellationToken).ConfigureAwait(false);
                var reps = snapshot.Reps.ToDictionary(r => r.Rep, StringComparer.Ordinal);
                var pools = snapshot.Pools.ToDictionary(p => p.Pool, StringComparer.Ordinal);
                repVersions = [.. readReps.Select(r => reps.TryGetValue(r, out var load) ? load.Version : 0)];
                poolVersions = [.. readPools.Select(p => pools.TryGetValue(p, out var rotation) ? rotation.Version : 0)];
                foreach (var load in snapshot.Reps)
                {
                    state.TrySetRepLoad(new RepId(load.Rep), new RepLoad(load.Open, load.DayKey, load.DayCount, load.AssignedTotal));
                }

                foreach (var rotation in snapshot.Pools)
                {
                    state.TrySetPoolRotation(rotation.Pool, new PoolRotation(rotation.LastRepId, [.. rotation.MemberIds], [.. rotation.Weights]));
                }
            }

            if (fold)
            {
                state.TryRelease(heldRep!.Value);
            }

            var next = decide(current, state);
            int epoch = (current?.Epoch ?? 0) + 1;
            if (next is null || next.LeadId != leadId || next.Epoch != epoch)
            {
                throw new InvalidOperationException($"The decision for lead {leadId} must be a handoff of that lead at epoch {epoch}.");
            }

            if (next.HoldsCapacity && (cellKey is null || cells.CellOf(next.Rep!.Value) != cell))
            {
                throw new InvalidOperationException($"The decision for lead {leadId} assigned rep '{next.Rep}', who is outside its footprint's routing cell.");
            }

            var record = HandoffRecord.From(next);
            bool releaseHere = heldRep is not null && view.HeldInCell == cellKey;
            CellCommit? commit = null;
            if (cellKey is null && commitCell is not null)
            {
                commit = new CellCommit { Id = Guid.NewGuid(), Lead = leadId.Value, Epoch = epoch };
            }
            else if (cellKey is not null)
            {
                var changedReps = state.GetChangedRepLoads();
                var changedPools = state.GetChangedPoolRotations();
                Within(changedReps.Select(c => c.Key.Value), readReps, leadId);
                Within(changedPools.Select(c => c.Key), readPools, leadId);
                commit = new CellCommit
                {
                    Id = Guid.NewGuid(),
                    Lead = leadId.Value,
                    Epoch = epoch,
                    ReadReps = readReps,
                    ReadRepVersions = repVersions,
                    ReadPools = readPools,
                    ReadPoolVersions = poolVersions,
                    ChangedReps = [.. changedReps.Select(c => new RepLoadRecord { Rep = c.Key.Value, Open = c.Value.Open, DayKey = c.Value.DayKey, DayCount = c.Value.DayCount, AssignedTotal = c.Value.AssignedTotal })],
                    ChangedPools = [.. changedPools.Select(c => new PoolRotationRecord { Pool = c.Key, LastRepId = c.Value.LastRepId, MemberIds = [.. c.Value.MemberIds], Weights = [.. c.Value.Weights] })],
                    Holder = next.HoldsCapacity ? HolderRecord.Of(record, policy.ReassignsOnBreach(record.RuleId)) : null,
                    ReleasesEpoch = releaseHere ? current!.Epoch : null,
                    ReleaseCounts = releaseHere && !fold,
                };
            }

            if (commit is not null && _record)
            {
                commit.Decision = RecordedDecision.OfRouted(record);
            }

            string? releaseCell = heldRep is not null && !releaseHere ? view.HeldInCell : null;
            var outcome = await grain.CommitDecisionAsync(view.Version, record, commitCell, commit, releaseCell, current?.Epoch ?? 0).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (outcome == CommitOutcome.Committed)
            {
                return next;
            }

            if (attempt >= 3)
            {
                // Many deciders on one cell: step aside for a moment (up to a few milliseconds) so one of them gets through.
                await Task.Delay(Random.Shared.Next(0, Math.Min(attempt, 10)), cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"The routing decision for lead {leadId} could not be committed after {MaxAttempts} attempts: its cell kept changing.");
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="update"/> changed the lead or epoch.</exception>
    /// <exception cref="NotSupportedException">
    /// The store records decisions and <paramref name="decision"/> names one it does not record (it records
    /// <see cref="AlignmentDecision.SlaBreached"/>, and <see cref="AlignmentDecision.Routed"/> with every decision it saves).
    /// </exception>
    public async ValueTask<HandoffAssignment?> UpdateAsync(LeadId leadId, int expectedEpoch, Func<HandoffAssignment, HandoffAssignment> update, Func<HandoffAssignment, HandoffAssignment, AlignmentDecision?>? decision = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var grain = Lead(leadId);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var view = await grain.GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            if (view.Current is null || view.Current.Epoch != expectedEpoch)
            {
                return null;
            }

            var before = view.Current.ToAssignment();
            var next = update(before);
            if (next is null || next.LeadId != leadId || next.Epoch != expectedEpoch)
            {
                throw new InvalidOperationException($"The decision for lead {leadId} must be a handoff of that lead at epoch {expectedEpoch}.");
            }

            var recorded = _record && decision?.Invoke(before, next) is { } made ? RecordedDecision.Of(made, expectedEpoch) : null;
            var outcome = await grain.CommitUpdateAsync(view.Version, HandoffRecord.From(next), recorded).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (outcome == CommitOutcome.Committed)
            {
                return next;
            }
        }

        throw new InvalidOperationException($"The update of lead {leadId}'s handoff could not be committed after {MaxAttempts} attempts: the lead kept changing.");
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<HandoffAssignment>> ListAwaitingFirstTouchAsync(CancellationToken cancellationToken = default)
    {
        var cells = await Directory().ListAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var lists = await Task.WhenAll(cells.Select(c => Cell(c.Cell).ListAwaitingFirstTouchAsync())).WaitAsync(cancellationToken).ConfigureAwait(false);
        var list = await CurrentAsync(lists.SelectMany(l => l), static a => a.Status == HandoffStatus.Assigned && a.SlaDueAt is not null, cancellationToken).ConfigureAwait(false);
        list.Sort(static (x, y) =>
        {
            int c = Nullable.Compare(x.SlaDueAt, y.SlaDueAt);
            return c != 0 ? c : string.CompareOrdinal(x.LeadId.Value, y.LeadId.Value);
        });
        return list;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<HandoffAssignment>> ListOpenAsync(RepId rep, CancellationToken cancellationToken = default)
    {
        var cells = await Directory().ListAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var lists = await Task.WhenAll(cells.Where(c => c.Reps.Contains(rep.Value, StringComparer.Ordinal)).Select(c => Cell(c.Cell).ListOpenAsync(rep.Value)))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        var list = await CurrentAsync(lists.SelectMany(l => l), a => a.Rep == rep && a.Status is HandoffStatus.Assigned or HandoffStatus.Touched, cancellationToken).ConfigureAwait(false);
        list.Sort(OpenFirstDue);
        return list;
    }

    /// <summary>The current handoffs of the leads a cell lists (read from their grains, which hold the whole handoff) that still match.</summary>
    /// <remarks>
    /// A lead appears once: a holder of an epoch that is no longer the lead's current one (left in its old cell until the release
    /// that follows a move to another cell lands) is skipped.
    /// </remarks>
    private async Task<List<HandoffAssignment>> CurrentAsync(IEnumerable<HolderRecord> holders, Func<HandoffAssignment, bool> still, CancellationToken cancellationToken)
    {
        var distinct = holders.DistinctBy(h => h.Lead, StringComparer.Ordinal).ToArray();
        var views = await Task.WhenAll(distinct.Select(h => Lead(new LeadId(h.Lead)).GetAsync())).WaitAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<HandoffAssignment>(views.Length);
        for (int i = 0; i < views.Length; i++)
        {
            if (views[i].Current is { } current && current.Epoch == distinct[i].Epoch && current.ToAssignment() is var handoff && still(handoff))
            {
                list.Add(handoff);
            }
        }

        return list;
    }

    /// <inheritdoc />
    public async ValueTask<RepLoad> GetRepLoadAsync(RepId rep, CancellationToken cancellationToken = default)
    {
        var cells = await Directory().ListAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var latest = cells.LastOrDefault(c => c.Reps.Contains(rep.Value, StringComparer.Ordinal));
        if (latest is null)
        {
            return default;
        }

        var load = await Cell(latest.Cell).GetLoadAsync(rep.Value).WaitAsync(cancellationToken).ConfigureAwait(false);
        return load is null ? default : new RepLoad(load.Open, load.DayKey, load.DayCount, load.AssignedTotal);
    }

    private static int OpenFirstDue(HandoffAssignment x, HandoffAssignment y)
    {
        int c = (x.SlaDueAt, y.SlaDueAt) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            ({ } a, { } b) => a.CompareTo(b),
        };
        if (c == 0)
        {
            c = x.DecidedAt.CompareTo(y.DecidedAt);
        }

        return c != 0 ? c : string.CompareOrdinal(x.LeadId.Value, y.LeadId.Value);
    }

    private static void Within(IEnumerable<string> changed, string[] read, LeadId leadId)
    {
        foreach (string key in changed)
        {
            if (!read.Contains(key, StringComparer.Ordinal))
            {
                throw new InvalidOperationException($"The decision for lead {leadId} changed '{key}', which is outside its footprint; nothing was saved.");
            }
        }
    }

    private async ValueTask RegisterAsync(RoutingCells cells, int cell, string cellKey, CancellationToken cancellationToken)
    {
        // Once per cell and roster in this process: a release that keeps a cell's key with other reps registers them too.
        string[] reps = [.. cells.GetReps(cell).Select(r => r.Value)];
        string registration = cellKey + "\u001f" + string.Join('\u001f', reps);
        if (_registered.ContainsKey(registration))
        {
            return;
        }

        await Directory().RegisterAsync(cellKey, reps).WaitAsync(cancellationToken).ConfigureAwait(false);
        _registered.TryAdd(registration, 0);
    }

    private IRoutingLeadGrain Lead(LeadId lead) => _grains.GetGrain<IRoutingLeadGrain>(AlignmentOrleans.Key(_tenant, lead.Value));

    private IRoutingCellGrain Cell(string cell) => _grains.GetGrain<IRoutingCellGrain>(AlignmentOrleans.Key(_tenant, cell));

    private IRoutingDirectoryGrain Directory() => _grains.GetGrain<IRoutingDirectoryGrain>(_tenant);
}
