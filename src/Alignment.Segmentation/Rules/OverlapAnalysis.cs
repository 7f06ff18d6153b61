using System.Globalization;

namespace Alignment.Segmentation.Rules;

/// <summary>
/// Finds the pairs of segment definitions that can match the same lead, within a work budget: every pair is compared, and a pair
/// costs one unit per variable either constrains plus, per variable both constrain, the size of the smaller text set (each of its
/// values is probed in the other's hash set) or the interval counts of both number sets. The cost of a pair is charged before it is
/// compared, so the work done is bounded by the budget whatever the sets hold.
/// </summary>
internal static class OverlapAnalysis
{
    /// <summary>Every overlap (with the index of the later definition), or <see langword="null"/> when the comparisons would exceed <paramref name="budget"/>.</summary>
    /// <param name="definitions">The definitions, in order.</param>
    /// <param name="conditions">Each definition's compiled conditions.</param>
    /// <param name="budget">The most units of work (see the class remarks).</param>
    /// <returns>The overlaps in the order earlier definitions are compared with later ones, or <see langword="null"/> over the budget.</returns>
    public static List<(SegmentOverlap Overlap, int LaterIndex)>? Find(List<SegmentDefinition> definitions, List<Condition[]> conditions, long budget)
    {
        var constraints = conditions.Select(cs => cs.GroupBy(c => c.Constraint.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(c => c.Constraint).Aggregate((a, b) => a.Intersect(b)), StringComparer.OrdinalIgnoreCase)).ToList();
        var result = new List<(SegmentOverlap, int)>();
        var keys = new List<string>();
        var example = new List<string>();
        long spent = 0;
        for (int later = 1; later < definitions.Count; later++)
        {
            for (int earlier = 0; earlier < later; earlier++)
            {
                var a = constraints[earlier];
                var b = constraints[later];
                spent += Cost(a, b);
                if (spent > budget)
                {
                    return null;
                }

                keys.Clear();
                keys.AddRange(a.Keys);
                keys.AddRange(b.Keys.Where(k => !a.ContainsKey(k)));
                keys.Sort(StringComparer.Ordinal);
                example.Clear();
                bool disjoint = false;
                foreach (var key in keys)
                {
                    string? shared = a.TryGetValue(key, out var ca)
                        ? (b.TryGetValue(key, out var cb) ? SharedExample(ca, cb) : ca.Example())
                        : b[key].Example();
                    if (shared is null)
                    {
                        disjoint = true;
                        break;
                    }

                    example.Add(shared);
                }

                if (!disjoint)
                {
                    bool unreachable = a.All(kv => b.TryGetValue(kv.Key, out var cb) && IsSubset(cb, kv.Value));
                    result.Add((new SegmentOverlap(definitions[earlier].Id, definitions[later].Id, string.Join("; ", example), unreachable), later));
                }
            }
        }

        return result;
    }

    /// <summary>The error for a model whose overlap analysis is over the budget.</summary>
    /// <param name="definitions">The number of definitions.</param>
    /// <param name="budget">The budget.</param>
    /// <returns>The message.</returns>
    public static string OverBudget(int definitions, long budget) => string.Create(CultureInfo.InvariantCulture,
        $"Comparing the {definitions:N0} segment definitions for overlaps needs more than {budget:N0} value comparisons (the overlap analysis budget: every pair of definitions costs the size of the smaller 'in' list of each field both constrain). Use fewer definitions or shorter 'in' lists (a band set, or one definition per group of values), or split the model.");

    private static long Cost(Dictionary<string, Constraint> a, Dictionary<string, Constraint> b)
    {
        long cost = 1 + a.Count + b.Count;
        foreach (var (key, ca) in a)
        {
            if (b.TryGetValue(key, out var cb))
            {
                cost += ca.Numbers is not null ? ca.Size + cb.Size : Math.Min(ca.Size, cb.Size);
            }
        }

        return cost;
    }

    /// <summary>
    /// A value both allow, described as <see cref="Constraint.Example"/> describes the intersection (<c>earlier ∩ later</c>: its
    /// smallest value, spelled as the later one spells it), or <see langword="null"/> when they share none. Text sets are probed
    /// from the smaller one, in order, so the first value found is the smallest shared one and the search stops there.
    /// </summary>
    private static string? SharedExample(Constraint earlier, Constraint later)
    {
        if (earlier.Numbers is not null)
        {
            var both = earlier.Intersect(later);
            return both.IsEmpty ? null : both.Example();
        }

        bool fromLater = later.Texts!.Count <= earlier.Texts!.Count;
        var (small, large) = fromLater ? (later, earlier) : (earlier, later);
        var lookup = large.TextLookup;
        foreach (var value in small.Texts!)
        {
            if (lookup.Contains(value))
            {
                string spelled = fromLater ? value : later.TextLookup.TryGetValue(value, out var actual) ? actual : value;
                return $"{earlier.Key} = {spelled}";
            }
        }

        return null;
    }

    /// <summary>Whether every value <paramref name="inner"/> allows, <paramref name="outer"/> allows too.</summary>
    private static bool IsSubset(Constraint inner, Constraint outer)
    {
        if (inner.Numbers is not null)
        {
            return inner.IsSubsetOf(outer);
        }

        if (inner.Texts!.Count > outer.Texts!.Count)
        {
            return false;
        }

        var lookup = outer.TextLookup;
        foreach (var value in inner.Texts)
        {
            if (!lookup.Contains(value))
            {
                return false;
            }
        }

        return true;
    }
}
