namespace Alignment.Policies.Handoff;

/// <summary>
/// A set of symbols of one <see cref="SymbolTable"/>, sized by its members rather than by the table: a flag per symbol when
/// the set names at least an eighth of the table, otherwise its symbols sorted for a binary search. A policy whose rules each
/// name a few of 100,000 accounts then takes memory in proportion to the names, not rules × accounts.
/// </summary>
internal sealed class SymbolSet
{
    private readonly bool[]? _flags;
    private readonly int[]? _sorted;

    private SymbolSet(bool[]? flags, int[]? sorted)
    {
        _flags = flags;
        _sorted = sorted;
    }

    /// <summary>Builds the set of the given symbols (each in [0, <paramref name="tableCount"/>)).</summary>
    public static SymbolSet Of(IEnumerable<int> symbols, int tableCount)
    {
        var distinct = new SortedSet<int>(symbols);
        if ((long)distinct.Count * 8 >= tableCount)
        {
            var flags = new bool[tableCount];
            foreach (int s in distinct)
            {
                flags[s] = true;
            }

            return new SymbolSet(flags, null);
        }

        return new SymbolSet(null, [.. distinct]);
    }

    /// <summary>Whether the symbol is in the set; false for <see cref="SymbolTable.Missing"/> and <see cref="SymbolTable.Unknown"/>.</summary>
    public bool Contains(int symbol)
    {
        if (symbol < 0)
        {
            return false;
        }

        var flags = _flags;
        return flags is not null ? (uint)symbol < (uint)flags.Length && flags[symbol] : Array.BinarySearch(_sorted!, symbol) >= 0;
    }

    /// <summary>Whether the two sets (of one table) share a symbol.</summary>
    public bool Overlaps(SymbolSet other)
    {
        foreach (int symbol in Members())
        {
            if (other.Contains(symbol))
            {
                return true;
            }
        }

        return false;
    }

    private IEnumerable<int> Members()
    {
        if (_sorted is not null)
        {
            return _sorted;
        }

        return FlagMembers(_flags!);

        static IEnumerable<int> FlagMembers(bool[] flags)
        {
            for (int i = 0; i < flags.Length; i++)
            {
                if (flags[i])
                {
                    yield return i;
                }
            }
        }
    }
}
