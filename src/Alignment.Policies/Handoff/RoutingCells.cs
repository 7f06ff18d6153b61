using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Alignment.Handoff;

namespace Alignment.Policies.Handoff;

/// <summary>
/// The policy's pools and reps split into cells that no routing decision crosses: every <see cref="CompiledRoutingPolicy.GetFootprint"/>
/// lies inside one cell, so a store can give each cell one writer (an Orleans grain, a lock) and decide leads of different cells
/// at the same time without any lock they share.
/// </summary>
/// <remarks>
/// <para>Two pools are in one cell when they share a rep, when a rule's strategy may choose outside its pool (the account owner,
/// who can be anyone on the roster: such a rule puts every rep in its cell), and when a lead could match a rule that can fall
/// through (it has no queue) and a later one: rules are told apart only when a field both restrict (segments, countries, regions,
/// languages, sources, accounts, domains, qualification states, score or grade range) admits no common value, so cells are
/// conservative. A policy with a catch-all pool after pools without queues has one cell.</para>
/// <para>Immutable and thread-safe. Computed once per compiled policy (<see cref="CompiledRoutingPolicy.GetCells"/>).</para>
/// </remarks>
public sealed class RoutingCells
{
    private readonly FrozenDictionary<string, int> _cellOfPool;
    private readonly FrozenDictionary<string, int> _cellOfRep;
    private readonly ImmutableArray<ImmutableArray<string>> _pools;
    private readonly ImmutableArray<ImmutableArray<RepId>> _reps;
    private readonly ImmutableArray<string> _keys;

    private RoutingCells(ImmutableArray<ImmutableArray<string>> pools, ImmutableArray<ImmutableArray<RepId>> reps)
    {
        _pools = pools;
        _reps = reps;
        var cellOfPool = new Dictionary<string, int>(StringComparer.Ordinal);
        var cellOfRep = new Dictionary<string, int>(StringComparer.Ordinal);
        var keys = ImmutableArray.CreateBuilder<string>(pools.Length);
        for (int c = 0; c < pools.Length; c++)
        {
            foreach (string pool in pools[c])
            {
                cellOfPool[pool] = c;
            }

            foreach (var rep in reps[c])
            {
                cellOfRep[rep.Value] = c;
            }

            keys.Add(KeyOf(pools[c], reps[c]));
        }

        _cellOfPool = cellOfPool.ToFrozenDictionary(StringComparer.Ordinal);
        _cellOfRep = cellOfRep.ToFrozenDictionary(StringComparer.Ordinal);
        _keys = keys.MoveToImmutable();
    }

    /// <summary>The number of cells.</summary>
    public int Count => _pools.Length;

    /// <summary>
    /// A cell's key: a hash of its anchor, the first of its pool keys in ordinal order (<c>policyId/ruleId</c>). A new release
    /// of the policy that adds or removes reps, or changes rules, keeps the key of every cell whose anchor pool it keeps, so a
    /// store keyed by it keeps the counters (a rep who left is still released there); a release that merges or splits cells
    /// gives the pools and reps that move a cell whose counters start afresh.
    /// </summary>
    /// <param name="cell">The cell, in [0, <see cref="Count"/>).</param>
    /// <returns>The key: <c>c</c> and 16 hexadecimal digits.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cell"/> is out of range.</exception>
    public string GetKey(int cell) => _keys[Check(cell)];

    /// <summary>The keys of a cell's pools, in policy order.</summary>
    /// <param name="cell">The cell, in [0, <see cref="Count"/>).</param>
    /// <returns>The pool keys.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cell"/> is out of range.</exception>
    public ImmutableArray<string> GetPoolKeys(int cell) => _pools[Check(cell)];

    /// <summary>A cell's reps, in roster order.</summary>
    /// <param name="cell">The cell, in [0, <see cref="Count"/>).</param>
    /// <returns>The reps.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cell"/> is out of range.</exception>
    public ImmutableArray<RepId> GetReps(int cell) => _reps[Check(cell)];

    /// <summary>Finds the cell of a rep.</summary>
    /// <param name="rep">The rep.</param>
    /// <returns>The cell, or -1 when the rep is not on the roster.</returns>
    public int CellOf(RepId rep) => rep.Value is not null && _cellOfRep.TryGetValue(rep.Value, out int c) ? c : -1;

    /// <summary>Finds the cell a decision with this footprint reads and changes.</summary>
    /// <param name="footprint">A footprint of the same policy (<see cref="CompiledRoutingPolicy.GetFootprint"/>).</param>
    /// <returns>The cell, or -1 when the footprint is empty (no rule matches: the lead goes to the fallback queue and no counter changes).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="footprint"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The footprint names a pool or rep of another policy, or spans two cells (<see cref="RoutingFootprint.IsWholePolicy"/> of a
    /// policy with more than one cell).
    /// </exception>
    public int CellOf(RoutingFootprint footprint)
    {
        ArgumentNullException.ThrowIfNull(footprint);
        int cell = -1;
        foreach (string pool in footprint.PoolKeys)
        {
            cell = Join(cell, _cellOfPool.TryGetValue(pool, out int c) ? c : throw new ArgumentException($"The footprint names pool '{pool}', which is not in this policy.", nameof(footprint)));
        }

        foreach (var rep in footprint.Reps)
        {
            cell = Join(cell, CellOf(rep) is >= 0 and int c ? c : throw new ArgumentException($"The footprint names rep '{rep}', who is not on this policy's roster.", nameof(footprint)));
        }

        return cell;

        static int Join(int cell, int c) => cell < 0 || cell == c
            ? c
            : throw new ArgumentException("The footprint spans two routing cells; a footprint of one decision never does (the whole policy's footprint does when the policy has several cells).", nameof(footprint));
    }

    internal static RoutingCells Compute(CompiledRoutingPolicy policy)
    {
        var rules = policy.Rules;
        int reps = policy.Reps.Length;
        var parent = new int[reps + rules.Length];
        for (int i = 0; i < parent.Length; i++)
        {
            parent[i] = i;
        }

        for (int r = 0; r < rules.Length; r++)
        {
            int pool = reps + r;
            foreach (int m in rules[r].Members)
            {
                Union(parent, pool, m);
            }

            if (rules[r].Strategy.ReachesBeyondPool)
            {
                for (int m = 0; m < reps; m++)
                {
                    Union(parent, pool, m);
                }
            }
        }

        for (int i = 0; i < rules.Length; i++)
        {
            var a = rules[i];
            if (a.QueueIndex >= 0 && !a.Strategy.ReachesBeyondPool)
            {
                continue;
            }

            for (int j = i + 1; j < rules.Length; j++)
            {
                if (Find(parent, reps + i) != Find(parent, reps + j) && CanBothMatch(a, rules[j]))
                {
                    Union(parent, reps + i, reps + j);
                }
            }
        }

        // Number the cells in the order their first pool (then their first rep) appears, so that equal policies number alike.
        var number = new Dictionary<int, int>();
        var pools = new List<ImmutableArray<string>.Builder>();
        var members = new List<ImmutableArray<RepId>.Builder>();
        int CellOfNode(int node)
        {
            int root = Find(parent, node);
            if (!number.TryGetValue(root, out int c))
            {
                number[root] = c = pools.Count;
                pools.Add(ImmutableArray.CreateBuilder<string>());
                members.Add(ImmutableArray.CreateBuilder<RepId>());
            }

            return c;
        }

        for (int r = 0; r < rules.Length; r++)
        {
            pools[CellOfNode(reps + r)].Add(policy.PoolKeys[r]);
        }

        for (int m = 0; m < reps; m++)
        {
            members[CellOfNode(m)].Add(policy.Reps[m]);
        }

        return new RoutingCells([.. pools.Select(p => p.ToImmutable())], [.. members.Select(m => m.ToImmutable())]);
    }

    /// <summary>Whether some lead could match both rules: false only when a field both restrict admits no common value.</summary>
    private static bool CanBothMatch(CompiledRule a, CompiledRule b)
    {
        if (Disjoint(a.Segments, b.Segments) || Disjoint(a.Countries, b.Countries) || Disjoint(a.Regions, b.Regions)
            || Disjoint(a.Languages, b.Languages) || Disjoint(a.Sources, b.Sources) || Disjoint(a.Accounts, b.Accounts)
            || Disjoint(a.Domains, b.Domains))
        {
            return false;
        }

        if (a.States is { } sa && b.States is { } sb)
        {
            bool common = false;
            for (int k = 0; k < Math.Min(sa.Length, sb.Length) && !common; k++)
            {
                common = sa[k] && sb[k];
            }

            if (!common)
            {
                return false;
            }
        }

        if ((a.MaxScore is { } aMax && b.MinScore is { } bMin && aMax < bMin) || (b.MaxScore is { } bMax && a.MinScore is { } aMin && bMax < aMin))
        {
            return false;
        }

        return a.MaxGrade >= b.MinGrade && b.MaxGrade >= a.MinGrade;
    }

    private static bool Disjoint(SymbolSet? x, SymbolSet? y) => x is not null && y is not null && !x.Overlaps(y);

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }

        return i;
    }

    private static void Union(int[] parent, int a, int b)
    {
        int ra = Find(parent, a);
        int rb = Find(parent, b);
        if (ra != rb)
        {
            // The smaller index stays the root, so the outcome does not depend on the order of the unions.
            if (ra < rb)
            {
                parent[rb] = ra;
            }
            else
            {
                parent[ra] = rb;
            }
        }
    }

    private static string KeyOf(ImmutableArray<string> pools, ImmutableArray<RepId> reps)
    {
        // The cell's anchor: its first pool key in ordinal order (a cell without pools holds one rep, who is in no pool).
        string anchor = pools.IsEmpty ? "r:" + reps.Select(r => r.Value).Min(StringComparer.Ordinal) : "p:" + pools.Min(StringComparer.Ordinal);
        return "c" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(anchor)), 0, 8);
    }

    private int Check(int cell) => (uint)cell < (uint)_pools.Length ? cell : throw new ArgumentOutOfRangeException(nameof(cell), cell, $"There are {_pools.Length} cells.");
}
