using System.Collections.Frozen;

namespace Alignment.Policies.Handoff;

/// <summary>Interns the texts a policy compares leads on, so that matching compares integers.</summary>
internal sealed class SymbolTable
{
    public const int Missing = -1;
    public const int Unknown = -2;

    private readonly Dictionary<string, int> _building = new(StringComparer.OrdinalIgnoreCase);
    private FrozenDictionary<string, int>? _map;
    private FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _alternate;

    public int Count => _building.Count;

    public int Intern(string text)
    {
        if (_map is not null)
        {
            throw new InvalidOperationException("The symbol table is frozen.");
        }

        text = text.Trim();
        if (!_building.TryGetValue(text, out int id))
        {
            id = _building.Count;
            _building.Add(text, id);
        }

        return id;
    }

    public void Freeze()
    {
        _map = _building.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _alternate = _map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Find(string? text) => text is null ? Missing : Find(text.AsSpan());

    public int Find(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.IsEmpty)
        {
            return Missing;
        }

        return _alternate.TryGetValue(text, out int id) ? id : Unknown;
    }

    public bool[] Set(IEnumerable<string> texts)
    {
        var result = new bool[Count];
        foreach (var t in texts)
        {
            result[_building[t.Trim()]] = true;
        }

        return result;
    }
}
