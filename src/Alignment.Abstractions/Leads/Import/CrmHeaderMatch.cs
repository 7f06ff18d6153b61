namespace Alignment.Leads.Import;

/// <summary>
/// Matches a file's header row against mappings: which presets know most of its headers, which header a missing column probably is,
/// and how each header would be read.
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class CrmHeaderMatch
{
    /// <summary>The presets that know at least one of the headers (as one of their names, not as one of ours), most headers first.</summary>
    /// <param name="headers">The file's headers.</param>
    /// <returns>Each preset with how many headers it maps; empty when none maps any.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="headers"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<(CrmMapping Preset, int Matched)> RankPresets(IEnumerable<string> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var list = headers.Where(h => h is not null).Select(h => h.Trim()).ToList();
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

        return Closest(column, list);
    }

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

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
