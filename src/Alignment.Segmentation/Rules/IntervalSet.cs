using System.Globalization;

namespace Alignment.Segmentation.Rules;

/// <summary>A union of disjoint half-open intervals [lo, hi) on the real line, kept sorted. Immutable.</summary>
internal sealed class IntervalSet
{
    private readonly double[] _lo;
    private readonly double[] _hi;

    private IntervalSet(double[] lo, double[] hi)
    {
        _lo = lo;
        _hi = hi;
    }

    public static IntervalSet All { get; } = new([double.NegativeInfinity], [double.PositiveInfinity]);

    public bool IsEmpty => _lo.Length == 0;

    public int Count => _lo.Length;

    public static IntervalSet Range(double lo, double hi) => lo < hi ? new([lo], [hi]) : new([], []);

    public static IntervalSet Union(IEnumerable<IntervalSet> sets)
    {
        var pieces = sets.SelectMany(s => s._lo.Zip(s._hi)).OrderBy(p => p.First).ToList();
        var lo = new List<double>();
        var hi = new List<double>();
        foreach (var (a, b) in pieces)
        {
            if (lo.Count > 0 && a <= hi[^1])
            {
                hi[^1] = Math.Max(hi[^1], b);
            }
            else
            {
                lo.Add(a);
                hi.Add(b);
            }
        }

        return new([.. lo], [.. hi]);
    }

    public bool Contains(double x)
    {
        for (int i = 0; i < _lo.Length; i++)
        {
            if (x >= _lo[i] && x < _hi[i])
            {
                return true;
            }
        }

        return false;
    }

    public IntervalSet Intersect(IntervalSet other)
    {
        // Both sets are sorted and disjoint: walk them together (linear), advancing whichever interval ends first.
        var lo = new List<double>();
        var hi = new List<double>();
        for (int i = 0, j = 0; i < _lo.Length && j < other._lo.Length;)
        {
            double a = Math.Max(_lo[i], other._lo[j]), b = Math.Min(_hi[i], other._hi[j]);
            if (a < b)
            {
                lo.Add(a);
                hi.Add(b);
            }

            if (_hi[i] < other._hi[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return Union([new IntervalSet([.. lo], [.. hi])]);
    }

    public bool IsSubsetOf(IntervalSet other) => Intersect(other).Equivalent(this);

    /// <summary>A value inside the set: the lowest finite lower bound, or just below a finite upper bound, or 0.</summary>
    public double Sample()
    {
        double lo = _lo[0], hi = _hi[0];
        if (!double.IsInfinity(lo))
        {
            return lo;
        }

        if (!double.IsInfinity(hi))
        {
            return Math.Floor(hi) < hi ? Math.Floor(hi) : hi - 1;
        }

        return 0;
    }

    public string Describe(Func<double, string> format)
    {
        var parts = new List<string>();
        for (int i = 0; i < _lo.Length; i++)
        {
            bool hasLo = !double.IsNegativeInfinity(_lo[i]), hasHi = !double.IsPositiveInfinity(_hi[i]);
            parts.Add(hasLo && hasHi ? $"[{format(_lo[i])}, {format(_hi[i])})"
                : hasLo ? $">= {format(_lo[i])}"
                : hasHi ? $"< {format(_hi[i])}"
                : "any value");
        }

        return string.Join(" or ", parts);
    }

    public static string Number(double x) => x.ToString("G", CultureInfo.InvariantCulture);

    private bool Equivalent(IntervalSet other) => _lo.AsSpan().SequenceEqual(other._lo) && _hi.AsSpan().SequenceEqual(other._hi);
}
