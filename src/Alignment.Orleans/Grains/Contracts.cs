using Orleans;
using Orleans.Concurrency;

namespace Alignment.Orleans.Grains;

/// <summary>A rep's counters in a cell, with the version a commit checks.</summary>
[GenerateSerializer]
[Alias("alignment.rep-load.v1")]
internal sealed class RepLoadRecord
{
    [Id(0)] public string Rep { get; set; } = "";
    [Id(1)] public int Open { get; set; }
    [Id(2)] public int DayKey { get; set; }
    [Id(3)] public int DayCount { get; set; }
    [Id(4)] public long AssignedTotal { get; set; }
    [Id(5)] public long Version { get; set; }
}

/// <summary>A pool's rotation in a cell, with the version a commit checks.</summary>
[GenerateSerializer]
[Alias("alignment.pool-rotation.v1")]
internal sealed class PoolRotationRecord
{
    [Id(0)] public string Pool { get; set; } = "";
    [Id(1)] public string? LastRepId { get; set; }
    [Id(2)] public string[] MemberIds { get; set; } = [];
    [Id(3)] public long[] Weights { get; set; } = [];
    [Id(4)] public long Version { get; set; }
}

/// <summary>What a decision read from a cell: the counters of the reps and the rotations of the pools it asked for (absent ones are fresh, version 0).</summary>
[GenerateSerializer]
[Alias("alignment.cell-snapshot.v1")]
internal sealed class CellSnapshot
{
    [Id(0)] public RepLoadRecord[] Reps { get; set; } = [];
    [Id(1)] public PoolRotationRecord[] Pools { get; set; } = [];
}

/// <summary>
/// A decision's change to one cell, applied only when every rep and pool it read still has the version it read (otherwise the
/// decision is made again on fresh counters): the changed counters and rotations, the lead's new holder of capacity, and the
/// release of the lead's previous holder in this cell.
/// </summary>
[GenerateSerializer]
[Alias("alignment.cell-commit.v1")]
internal sealed class CellCommit
{
    [Id(0)] public string Lead { get; set; } = "";
    [Id(1)] public int Epoch { get; set; }
    [Id(2)] public string[] ReadReps { get; set; } = [];
    [Id(3)] public long[] ReadRepVersions { get; set; } = [];
    [Id(4)] public string[] ReadPools { get; set; } = [];
    [Id(5)] public long[] ReadPoolVersions { get; set; } = [];
    [Id(6)] public RepLoadRecord[] ChangedReps { get; set; } = [];
    [Id(7)] public PoolRotationRecord[] ChangedPools { get; set; } = [];
    [Id(8)] public HolderRecord? Holder { get; set; }
    [Id(9)] public int? ReleasesEpoch { get; set; }

    /// <summary>This attempt's id: a retry is a new commit, and a commit a recovering lead grain gave up is refused if it still arrives.</summary>
    [Id(10)] public Guid Id { get; set; }

    /// <summary>
    /// With <see cref="ReleasesEpoch"/>: whether the cell frees the released holder's unit of capacity itself (its rep is not
    /// among the decision's counters, having left the roster) rather than through <see cref="ChangedReps"/>.
    /// </summary>
    [Id(11)] public bool ReleaseCounts { get; set; }

    /// <summary>The decision a recording store saves with the change (into the cell's outbox); null when the store does not record.</summary>
    [Id(12)] public RecordedDecision? Decision { get; set; }
}

/// <summary>
/// An open handoff holding a unit of its rep's capacity, as its cell keeps it: only what releasing it and listing it need (the
/// whole handoff stays with its lead's grain), so that a cell's saved state stays small.
/// </summary>
[GenerateSerializer]
[Alias("alignment.holder.v1")]
internal sealed class HolderRecord
{
    [Id(0)] public string Lead { get; set; } = "";
    [Id(1)] public int Epoch { get; set; }
    [Id(2)] public string Rep { get; set; } = "";
    [Id(3)] public int Status { get; set; }
    [Id(4)] public DateTimeOffset? SlaDueAt { get; set; }

    /// <summary>Whether its breach was marked (published once).</summary>
    [Id(5)] public bool Escalated { get; set; }

    /// <summary>
    /// Whether its rule moves the lead on a breach (<see cref="Alignment.Policies.Handoff.CompiledRoutingPolicy.ReassignsOnBreach"/>):
    /// then the clock keeps running after the mark until the move replaces this holder, so a move interrupted after the mark is
    /// handed out again.
    /// </summary>
    [Id(6)] public bool Reroutes { get; set; }

    /// <summary>Whether its service-level clock runs: assigned, due at a time, and its breach not yet handled (marked, and moved when its rule moves it).</summary>
    public bool AwaitsFirstTouch => (Alignment.Policies.Handoff.HandoffStatus)Status == Alignment.Policies.Handoff.HandoffStatus.Assigned && SlaDueAt is not null && (!Escalated || Reroutes);

    public static HolderRecord Of(HandoffRecord handoff, bool reroutes = false) =>
        new() { Lead = handoff.Lead, Epoch = handoff.Epoch, Rep = handoff.Rep ?? "", Status = handoff.Status, SlaDueAt = handoff.SlaDueAt, Escalated = handoff.Escalated, Reroutes = reroutes };
}

/// <summary>What a lead grain answers a commit.</summary>
internal enum CommitOutcome
{
    /// <summary>Saved: the decision is the lead's current handoff.</summary>
    Committed,

    /// <summary>The lead changed since the caller read it: read again and decide again.</summary>
    LeadChanged,

    /// <summary>A counter or rotation the decision read changed in its cell: read again and decide again.</summary>
    StateChanged,
}

/// <summary>A lead's current handoff as its grain holds it, with the version an update checks.</summary>
[GenerateSerializer]
[Alias("alignment.lead-view.v1")]
internal sealed class LeadView
{
    [Id(0)] public HandoffRecord? Current { get; set; }
    [Id(1)] public string? HeldInCell { get; set; }
    [Id(2)] public long Version { get; set; }
}

/// <summary>A cell of a tenant's routing state as the directory lists it.</summary>
[GenerateSerializer]
[Alias("alignment.cell-entry.v1")]
internal sealed class CellEntry
{
    [Id(0)] public string Cell { get; set; } = "";
    [Id(1)] public string[] Reps { get; set; } = [];
    [Id(2)] public long Registered { get; set; }
}

/// <summary>
/// One routing cell of a tenant (key <c>{tenant}/{cell key}</c>): the counters of its reps, the rotations of its pools and the
/// open handoffs that hold its reps' capacity. The only writer of all of them, so decisions in it need no lock.
/// </summary>
[Alias("alignment.routing-cell")]
internal interface IRoutingCellGrain : IGrainWithStringKey
{
    [Alias("read")]
    Task<CellSnapshot> ReadAsync(string[] reps, string[] pools);

    [Alias("apply")]
    Task<bool> ApplyAsync(CellCommit commit);

    [Alias("resolve")]
    Task<bool> ResolveAsync(string lead, Guid commit);

    [Alias("forget")]
    [OneWay]
    Task ForgetAsync(string lead, Guid commit);

    [Alias("release")]
    Task ReleaseAsync(string lead, int epoch);

    [Alias("update-holder")]
    Task UpdateHolderAsync(HolderRecord next, bool holdsCapacity, RecordedDecision? decision);

    /// <summary>Saves a decision in the outbox (an update of a handoff that holds no capacity, recorded in the tenant's <see cref="AlignmentOrleans.NoCell"/>).</summary>
    [Alias("record")]
    Task RecordAsync(RecordedDecision decision);

    /// <summary>Drops the outbox's decisions up to <paramref name="sequence"/>: a host has published them.</summary>
    [Alias("acknowledge")]
    Task AcknowledgeAsync(long sequence);

    [Alias("list-open")]
    [ReadOnly]
    Task<HolderRecord[]> ListOpenAsync(string rep);

    [Alias("list-awaiting")]
    [ReadOnly]
    Task<HolderRecord[]> ListAwaitingFirstTouchAsync();

    [Alias("load")]
    [ReadOnly]
    Task<RepLoadRecord?> GetLoadAsync(string rep);

    /// <summary>The cell's whole state as canonical text, and where its journal stands: for tests and diagnostics.</summary>
    [Alias("describe")]
    [ReadOnly]
    Task<CellDescription> DescribeAsync();
}

/// <summary>What <see cref="IRoutingCellGrain.DescribeAsync"/> answers.</summary>
[GenerateSerializer]
[Alias("alignment.cell-description.v1")]
internal sealed class CellDescription
{
    /// <summary>Every counter, rotation, holder, applied and aborted commit, the outbox and the flags, one per line, in key order.</summary>
    [Id(0)] public string State { get; set; } = "";

    /// <summary>The number of the last save.</summary>
    [Id(1)] public long Sequence { get; set; }

    /// <summary>The number of the last save the snapshot holds.</summary>
    [Id(2)] public long SnapshotSequence { get; set; }

    /// <summary>How many deltas this activation replayed after the snapshot when it started.</summary>
    [Id(3)] public int Replayed { get; set; }
}

/// <summary>
/// One lead of a tenant (key <c>{tenant}/{lead id}</c>): its current handoff and history. It orders the lead's decisions and
/// commits each to its cell through an intent it saves first, so that a silo lost mid-decision leaves either the whole decision
/// or none of it.
/// </summary>
[Alias("alignment.routing-lead")]
internal interface IRoutingLeadGrain : IGrainWithStringKey
{
    [Alias("get")]
    Task<LeadView> GetAsync();

    [Alias("history")]
    Task<HandoffRecord[]> GetHistoryAsync();

    [Alias("commit-decision")]
    Task<CommitOutcome> CommitDecisionAsync(long readVersion, HandoffRecord next, string? cell, CellCommit? commit, string? releaseCell, int releaseEpoch);

    [Alias("commit-update")]
    Task<CommitOutcome> CommitUpdateAsync(long readVersion, HandoffRecord next, RecordedDecision? decision);
}

/// <summary>The cells of one tenant (key: the tenant), so that lists across cells (service-level clocks, a rep's leads) find them all.</summary>
[Alias("alignment.routing-directory")]
internal interface IRoutingDirectoryGrain : IGrainWithStringKey
{
    [Alias("register")]
    Task RegisterAsync(string cell, string[] reps);

    [Alias("list")]
    [ReadOnly]
    Task<CellEntry[]> ListAsync();
}
