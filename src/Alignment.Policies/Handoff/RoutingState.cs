using System.Collections.Immutable;
using Alignment.Handoff;

namespace Alignment.Policies.Handoff;

/// <summary>
/// The mutable side of routing for one <see cref="CompiledRoutingPolicy"/>: each rep's open and daily counts and each pool's
/// rotation. A store creates it inside its transaction, fills it with what it holds for <see cref="Reps"/> and <see cref="PoolKeys"/>
/// (<see cref="TrySetRepLoad"/>, <see cref="TrySetPoolRotation"/>), passes it to the decision, and writes back
/// <see cref="GetChangedRepLoads"/> and <see cref="GetChangedPoolRotations"/>.
/// </summary>
/// <remarks>Not thread-safe: the store serializes decisions (a lock in memory, a transaction in a database).</remarks>
public sealed class RoutingState
{
    private const long OffsetBucket = 15 * TimeSpan.TicksPerMinute;
    private readonly bool[] _repDirty;
    private readonly bool[] _poolDirty;
    private readonly long[] _zoneBucket;
    private readonly long[] _zoneOffset;

    /// <summary>Creates an empty state (no open leads, fresh rotations) for a policy.</summary>
    /// <param name="policy">The policy.</param>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    public RoutingState(CompiledRoutingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        int reps = policy.Reps.Length;
        int pools = policy.PoolKeys.Length;
        Open = new int[reps];
        DayKey = new int[reps];
        DayCount = new int[reps];
        Assigned = new long[reps];
        _repDirty = new bool[reps];
        Cursor = new int[pools];
        Array.Fill(Cursor, -1);
        Weights = new long[pools][];
        for (int p = 0; p < pools; p++)
        {
            // Only a strategy that keeps credit (weighted) gets a credit per member; the others' rotations store no weights.
            var rule = policy.Rules[p];
            Weights[p] = rule.Strategy.KeepsCredit ? new long[rule.Members.Length] : [];
        }

        _poolDirty = new bool[pools];
        _zoneBucket = new long[policy.Zones.Length];
        Array.Fill(_zoneBucket, long.MinValue);
        _zoneOffset = new long[policy.Zones.Length];
    }

    /// <summary>The policy this state belongs to.</summary>
    internal CompiledRoutingPolicy Policy { get; }

    /// <summary>The roster's reps, whose counters this state holds: what a store reads before a decision.</summary>
    public ImmutableArray<RepId> Reps => Policy.Reps;

    /// <summary>The keys of the policy's pools, whose rotations this state holds: what a store reads before a decision.</summary>
    public ImmutableArray<string> PoolKeys => Policy.PoolKeys;

    /// <summary>Sets a rep's counters as a store read them; does not mark the rep changed.</summary>
    /// <param name="rep">The rep.</param>
    /// <param name="load">The stored counters.</param>
    /// <returns><see langword="false"/> when the rep is not on the roster (the store keeps its row as it is).</returns>
    public bool TrySetRepLoad(RepId rep, RepLoad load)
    {
        int i = Policy.IndexOf(rep);
        if (i < 0)
        {
            return false;
        }

        SetRepLoad(i, load);
        return true;
    }

    /// <summary>
    /// Sets a pool's rotation as a store read it; does not mark the pool changed. Members that left are dropped, new members
    /// start with no credit, stored credit is ignored for a pool whose strategy keeps none (every strategy but weighted), and
    /// when the last chosen rep left, the rotation continues after where that rep stood.
    /// </summary>
    /// <param name="poolKey">The pool's key (one of <see cref="PoolKeys"/>).</param>
    /// <param name="rotation">The stored rotation.</param>
    /// <returns><see langword="false"/> when the policy has no pool with that key (the store keeps its row as it is).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="poolKey"/> or <paramref name="rotation"/> is null.</exception>
    public bool TrySetPoolRotation(string poolKey, PoolRotation rotation)
    {
        ArgumentNullException.ThrowIfNull(poolKey);
        ArgumentNullException.ThrowIfNull(rotation);
        int p = Policy.PoolKeys.IndexOf(poolKey, StringComparer.Ordinal);
        if (p < 0)
        {
            return false;
        }

        SetPoolRotation(p, rotation);
        return true;
    }

    /// <summary>
    /// Closes one of a rep's open leads (accepted, rejected or reassigned), freeing capacity; the rep's counters are then among
    /// the changes to save.
    /// </summary>
    /// <param name="rep">The rep.</param>
    /// <returns>
    /// <see langword="false"/> when the rep is not on the roster: the store frees the capacity in its own row (the rep left the
    /// roster while holding leads).
    /// </returns>
    public bool TryRelease(RepId rep)
    {
        int i = Policy.IndexOf(rep);
        if (i < 0)
        {
            return false;
        }

        Release(i);
        return true;
    }

    /// <summary>The counters that changed since the store filled the state: what it writes back.</summary>
    /// <returns>Each changed rep with its counters, in roster order.</returns>
    public ImmutableArray<KeyValuePair<RepId, RepLoad>> GetChangedRepLoads()
    {
        var changed = ImmutableArray.CreateBuilder<KeyValuePair<RepId, RepLoad>>();
        for (int i = 0; i < _repDirty.Length; i++)
        {
            if (_repDirty[i])
            {
                changed.Add(new(Policy.Reps[i], GetRepLoad(i)));
            }
        }

        return changed.ToImmutable();
    }

    /// <summary>The pool rotations that changed since the store filled the state: what it writes back.</summary>
    /// <returns>Each changed pool's key with its rotation, in policy order.</returns>
    public ImmutableArray<KeyValuePair<string, PoolRotation>> GetChangedPoolRotations()
    {
        var changed = ImmutableArray.CreateBuilder<KeyValuePair<string, PoolRotation>>();
        for (int p = 0; p < _poolDirty.Length; p++)
        {
            if (_poolDirty[p])
            {
                changed.Add(new(Policy.PoolKeys[p], GetPoolRotation(p)));
            }
        }

        return changed.ToImmutable();
    }

    internal int[] Open { get; }

    internal int[] DayKey { get; }

    internal int[] DayCount { get; }

    internal long[] Assigned { get; }

    internal int[] Cursor { get; }

    internal long[][] Weights { get; }

    /// <summary>Reads a rep's counters.</summary>
    /// <param name="repIndex">The rep's roster index.</param>
    /// <returns>The counters.</returns>
    internal RepLoad GetRepLoad(int repIndex) => new(Open[repIndex], DayKey[repIndex], DayCount[repIndex], Assigned[repIndex]);

    /// <summary>Sets a rep's counters (when loading from a store); does not mark the rep changed.</summary>
    /// <param name="repIndex">The rep's roster index.</param>
    /// <param name="load">The counters.</param>
    internal void SetRepLoad(int repIndex, RepLoad load)
    {
        Open[repIndex] = load.Open;
        DayKey[repIndex] = load.DayKey;
        DayCount[repIndex] = load.DayCount;
        Assigned[repIndex] = load.AssignedTotal;
    }

    /// <summary>Reads a pool's rotation, keyed by rep id.</summary>
    /// <param name="poolIndex">The pool's (rule's) position.</param>
    /// <returns>The rotation.</returns>
    internal PoolRotation GetPoolRotation(int poolIndex)
    {
        var members = Policy.Rules[poolIndex].Members;
        var ids = ImmutableArray.CreateBuilder<string>(members.Length);
        foreach (int m in members)
        {
            ids.Add(Policy.Reps[m].Value);
        }

        int cursor = Cursor[poolIndex];
        return new PoolRotation(cursor < 0 ? null : Policy.Reps[members[cursor]].Value, ids.MoveToImmutable(), [.. Weights[poolIndex]]);
    }

    /// <summary>
    /// Sets a pool's rotation (when loading from a store); does not mark the pool changed. Members that left are dropped, new
    /// members start with no credit, stored credit is ignored for a pool whose strategy keeps none (every strategy but weighted),
    /// and when the last chosen rep left the rotation continues after where that rep stood.
    /// </summary>
    /// <param name="poolIndex">The pool's (rule's) position.</param>
    /// <param name="rotation">The stored rotation.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rotation"/> is null.</exception>
    internal void SetPoolRotation(int poolIndex, PoolRotation rotation)
    {
        ArgumentNullException.ThrowIfNull(rotation);
        var members = Policy.Rules[poolIndex].Members;
        var weights = Weights[poolIndex];
        Array.Clear(weights);
        for (int i = 0; i < rotation.MemberIds.Length && i < rotation.Weights.Length; i++)
        {
            int pos = Position(members, rotation.MemberIds[i]);
            if (pos >= 0 && pos < weights.Length)
            {
                weights[pos] = rotation.Weights[i];
            }
        }

        int cursor = -1;
        if (rotation.LastRepId is { } last)
        {
            cursor = Position(members, last);
            if (cursor < 0)
            {
                // The rep left: continue with the member after where they stood in rep-id order.
                cursor = -1;
                for (int i = 0; i < members.Length; i++)
                {
                    if (string.CompareOrdinal(Policy.Reps[members[i]].Value, last) < 0)
                    {
                        cursor = i;
                    }
                }
            }
        }

        Cursor[poolIndex] = cursor;
    }

    private int Position(int[] members, string repId)
    {
        for (int i = 0; i < members.Length; i++)
        {
            if (string.Equals(Policy.Reps[members[i]].Value, repId, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether a rep's counters changed since loading (or <see cref="ClearChanges"/>).</summary>
    /// <param name="repIndex">The rep's roster index.</param>
    /// <returns><see langword="true"/> when changed.</returns>
    internal bool IsRepDirty(int repIndex) => _repDirty[repIndex];

    /// <summary>Whether a pool's rotation changed since loading (or <see cref="ClearChanges"/>).</summary>
    /// <param name="poolIndex">The pool's position.</param>
    /// <returns><see langword="true"/> when changed.</returns>
    internal bool IsPoolDirty(int poolIndex) => _poolDirty[poolIndex];

    /// <summary>Forgets which counters changed (after a store saved them).</summary>
    internal void ClearChanges()
    {
        Array.Clear(_repDirty);
        Array.Clear(_poolDirty);
    }

    /// <summary>Closes one of a rep's open leads (accepted, rejected or reassigned), freeing capacity. Allocation-free.</summary>
    /// <param name="repIndex">The rep's roster index.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="repIndex"/> is not a roster index.</exception>
    internal void Release(int repIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(repIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(repIndex, Open.Length);
        if (Open[repIndex] > 0)
        {
            Open[repIndex]--;
            _repDirty[repIndex] = true;
        }
    }

    internal void Commit(int repIndex, long utcTicks)
    {
        Open[repIndex]++;
        Assigned[repIndex]++;
        int today = Policy.LocalDay(repIndex, utcTicks, this);
        if (DayKey[repIndex] == today)
        {
            DayCount[repIndex]++;
        }
        else
        {
            DayKey[repIndex] = today;
            DayCount[repIndex] = 1;
        }

        _repDirty[repIndex] = true;
    }

    internal void SetCursor(int pool, int position)
    {
        Cursor[pool] = position;
        _poolDirty[pool] = true;
    }

    internal long Offset(int zone, long utcTicks)
    {
        long bucket = utcTicks / OffsetBucket;
        if (_zoneBucket[zone] != bucket)
        {
            _zoneOffset[zone] = Policy.Zones[zone].GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc)).Ticks;
            _zoneBucket[zone] = bucket;
        }

        return _zoneOffset[zone];
    }
}
