using Alignment.Leads;
using Alignment.Segmentation.Definitions;

namespace Alignment.Segmentation.Rules;

/// <content>Band sets: named, non-overlapping ranges of a number field that conditions refer to by band name.</content>
public static partial class SegmentationModelLoader
{
    private sealed partial class Compiler
    {
        private void CompileBandSet(BandSetDocument? b, string path)
        {
            if (b is null)
            {
                Error(path, "A band set cannot be null.");
                return;
            }

            bool ok = true;
            if (string.IsNullOrWhiteSpace(b.Name))
            {
                Error($"{path}.name", "The band set needs a name.");
                ok = false;
            }
            else if (_bands.ContainsKey(b.Name) || FieldCatalog.TryText(b.Name, options.Schema, out _) || FieldCatalog.TryNumber(b.Name, options.Schema, out _)
                || b.Name.Contains('.', StringComparison.Ordinal))
            {
                Error($"{path}.name", $"The band set name '{b.Name}' is used twice, or is a field name or contains a '.'.");
                ok = false;
            }

            NumberField? field = null;
            if (string.IsNullOrWhiteSpace(b.Field) || !FieldCatalog.TryNumber(b.Field, options.Schema, out field) || field.Display != NumberDisplay.Number)
            {
                Error($"{path}.field", $"'{b.Field}' is not a number field (bands cut a number field such as {LeadFields.CompanyEmployeeCount.Name}).");
                ok = false;
            }

            if (b.Values is not { Count: > 0 })
            {
                Error($"{path}.values", "The band set needs at least one band.");
                return;
            }

            var bands = new Dictionary<string, IntervalSet>(StringComparer.OrdinalIgnoreCase);
            var order = new List<string>();
            bool mayOverlap = AnyOverlap(b.Values);
            for (int i = 0; i < b.Values.Count; i++)
            {
                string bp = $"{path}.values[{i}]";
                var band = b.Values[i];
                if (band is null || string.IsNullOrWhiteSpace(band.Name))
                {
                    Error($"{bp}.name", "The band needs a name.");
                    ok = false;
                    continue;
                }

                if ((band.AtLeast is double lo && !double.IsFinite(lo)) || (band.Below is double hi0 && !double.IsFinite(hi0)))
                {
                    Error(bp, "Band bounds must be finite numbers.");
                    ok = false;
                    continue;
                }

                var set = IntervalSet.Range(band.AtLeast ?? double.NegativeInfinity, band.Below ?? double.PositiveInfinity);
                if (set.IsEmpty)
                {
                    Error(bp, $"The band '{band.Name}' is empty: 'atLeast' must be less than 'below'.");
                    ok = false;
                    continue;
                }

                // Pairwise only when some bands overlap (an invalid model, reported pair by pair); otherwise nothing to find.
                foreach (var (other, otherSet) in mayOverlap ? bands : [])
                {
                    if (!set.Intersect(otherSet).IsEmpty)
                    {
                        Error(bp, $"The band '{band.Name}' overlaps the band '{other}'.");
                        ok = false;
                    }
                }

                if (!bands.TryAdd(band.Name, set))
                {
                    Error($"{bp}.name", $"The band name '{band.Name}' is used twice.");
                    ok = false;
                }
                else
                {
                    order.Add(band.Name);
                }
            }

            if (ok)
            {
                _bands[b.Name!] = new BandSet(b.Name!, field!, bands, order);
            }
        }

        /// <summary>
        /// Whether any two well-formed bands of a set overlap: sorted by lower bound, disjoint intervals each end at or before
        /// the next one starts. O(n log n) instead of comparing every pair.
        /// </summary>
        private static bool AnyOverlap(IReadOnlyList<BandDocument> values)
        {
            var ranges = new List<(double Lo, double Hi)>(values.Count);
            foreach (var band in values)
            {
                if (band is null || string.IsNullOrWhiteSpace(band.Name))
                {
                    continue;
                }

                double lo = band.AtLeast ?? double.NegativeInfinity, hi = band.Below ?? double.PositiveInfinity;
                if ((band.AtLeast is not double a || double.IsFinite(a)) && (band.Below is not double h || double.IsFinite(h)) && lo < hi)
                {
                    ranges.Add((lo, hi));
                }
            }

            ranges.Sort((x, y) => x.Lo.CompareTo(y.Lo));
            for (int i = 1; i < ranges.Count; i++)
            {
                if (ranges[i].Lo < ranges[i - 1].Hi)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed class BandSet(string name, NumberField field, Dictionary<string, IntervalSet> bands, List<string> order)
    {
        public string Name { get; } = name;

        public NumberField Field { get; } = field;

        public Dictionary<string, IntervalSet> Bands { get; } = bands;

        public List<string> Order { get; } = order;

        /// <summary>Each band's position in <see cref="Order"/>, by name (case-insensitive, as <see cref="Bands"/>).</summary>
        public Dictionary<string, int> Rank { get; } = order.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.OrdinalIgnoreCase);

        public string? BandOf(double value) => Order.FirstOrDefault(o => Bands[o].Contains(value));
    }
}
