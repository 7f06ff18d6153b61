namespace Alignment.Leads.Import;

/// <summary>
/// Matches a file's header row against mappings: which presets know most of its headers, which header a missing column probably is,
/// and how each header would be read.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class CrmHeaderMatch
{
    /// <summary>The presets that know at least one of the headers that is not one of our own column names, most headers first.</summary>
    /// <param name="headers">The file's headers.</param>
    /// <returns>Each preset with how many headers it maps; empty when none maps any.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="headers"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<(CrmMapping Preset, int Matched)> RankPresets(IEnumerable<string> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        // Headers that are our own names say nothing about the tool.
        var list = headers.Where(h => h is not null).Select(h => h.Trim()).Where(h => !CrmColumns.TryNormalize(h, out _)).ToList();
        return CrmPresets.All
            .Select(p => (Preset: p, Matched: list.Count(h => p.Maps(h) && !string.Equals(p.Resolve(h), h, StringComparison.OrdinalIgnoreCase))))
            .Where(x => x.Matched > 0)
            .OrderByDescending(x => x.Matched)
            .ToList();
    }

    /// <summary>
    /// The header that probably holds one of our columns the file lacks: one that some preset maps to it, else the one closest in
    /// spelling to its name (letters and digits only, case-insensitive).
    /// </summary>
    /// <param name="column">Our column, such as <c>id</c> or <c>employeeCount</c>.</param>
    /// <param name="headers">The file's headers.</param>
    /// <returns>The header as written, or <see langword="null"/> when none is close.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static string? SuggestHeader(string column, IEnumerable<string> headers)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(headers);
        var list = headers.Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => h.Trim()).ToList();
        foreach (var preset in CrmPresets.All)
        {
            foreach (var header in list)
            {
                if (preset.Maps(header) && string.Equals(preset.Resolve(header), column, StringComparison.OrdinalIgnoreCase))
                {
                    return header;
                }
            }
        }

        string? stemmed = list.FirstOrDefault(h => Stems(h).Any(w => Hints.TryGetValue(column, out var hints) && hints.Contains(w, StringComparer.Ordinal)));
        return stemmed ?? Closest(column, list);
    }

    /// <summary>
    /// The column of ours a header probably holds, for a header no mapping names: what a preset reads it as, else a column whose usual
    /// words it holds (<c>Lead Number</c> → <c>id</c>, <c>Headcount</c> → <c>employeeCount</c>), else the closest of our names.
    /// </summary>
    /// <param name="header">The header as written.</param>
    /// <returns>Our column, or <see langword="null"/> when nothing is close.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="header"/> is <see langword="null"/>.</exception>
    public static string? SuggestColumn(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        foreach (var preset in CrmPresets.All)
        {
            if (preset.Maps(header) && preset.Resolve(header) is { Length: > 0 } ours)
            {
                return ours;
            }
        }

        if (CrmColumns.TryNormalize(header, out var own))
        {
            return own;
        }

        var words = Stems(header);
        foreach (var (column, hints) in Hints)
        {
            if (words.Any(w => hints.Contains(w, StringComparer.Ordinal)))
            {
                return column;
            }
        }

        return CrmColumns.Suggest(header);
    }

    // Words a header of each column usually holds, when no preset knows the header.
    private static readonly (string Column, string[] Words)[] HintList =
    [
        ("id", ["id", "number", "key", "ref", "reference", "identifier"]),
        ("employeeCount", ["employees", "headcount", "staff", "fte"]),
        ("annualRevenue", ["revenue", "turnover", "arr"]),
        ("createdAt", ["created", "createdate", "creation"]),
        ("industry", ["industry", "sector", "vertical"]),
        ("country", ["country"]),
        ("region", ["region", "territory", "state", "province"]),
        ("jobTitle", ["title", "position", "role"]),
        ("company", ["company", "account", "organisation", "organization", "employer"]),
        ("email", ["email", "mail"]),
        ("source", ["source", "origin", "channel"]),
        ("campaign", ["campaign", "program", "programme"]),
        ("timestamp", ["date", "time", "timestamp", "when"]),
        ("type", ["type", "kind", "event"]),
    ];

    private static readonly Dictionary<string, string[]> Hints = HintList.ToDictionary(h => h.Column, h => h.Words, StringComparer.OrdinalIgnoreCase);

    private static string[] Stems(string header) =>
        [.. System.Text.RegularExpressions.Regex.Split(header.ToLowerInvariant(), "[^a-z0-9]+").Where(w => w.Length > 0)];

    /// <summary>The candidate closest in spelling to a name (letters and digits only, case-insensitive), or <see langword="null"/> when none is close.</summary>
    /// <param name="name">The name.</param>
    /// <param name="candidates">The candidates.</param>
    /// <returns>The candidate as given, or <see langword="null"/>.</returns>
    public static string? Closest(string? name, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            return null;
        }

        string key = Normalize(name);
        if (key.Length == 0)
        {
            return null;
        }

        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (string.IsNullOrWhiteSpace(candidate) || candidate.Length > 200)
            {
                continue;
            }

            string other = Normalize(candidate);
            if (other.Length == 0)
            {
                continue;
            }

            int distance = other == key ? 0 : (other.Contains(key, StringComparison.Ordinal) || key.Contains(other, StringComparison.Ordinal)) && Math.Min(other.Length, key.Length) >= 4 ? 1 : Distance(key, other);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return bestDistance <= Math.Max(1, key.Length / 3) ? best : null;
    }

    private static string Normalize(string text) => string.Concat(text.Where(char.IsLetterOrDigit)).ToLowerInvariant();

    private static int Distance(string a, string b) => LeadFields.Distance(a, b);
}
