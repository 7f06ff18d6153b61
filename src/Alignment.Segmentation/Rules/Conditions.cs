using System.Collections.Frozen;
using System.Collections.Immutable;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Segmentation.Rules;

/// <summary>What a condition allows, over one underlying variable, for overlap analysis.</summary>
internal sealed class Constraint
{
    private Constraint(string key, IntervalSet? numbers, ImmutableSortedSet<string>? texts, NumberField? numberField)
    {
        Key = key;
        Numbers = numbers;
        Texts = texts;
        NumberField = numberField;
    }

    /// <summary>The underlying variable (a field name, or <c>cluster.&lt;id&gt;</c>).</summary>
    public string Key { get; }

    public IntervalSet? Numbers { get; }

    public ImmutableSortedSet<string>? Texts { get; }

    public NumberField? NumberField { get; }

    /// <summary>The size overlap analysis is charged for: the number of text values, or of intervals.</summary>
    public int Size => Numbers?.Count ?? Texts!.Count;

    /// <summary>The text values as a hash set (case-insensitive, as <see cref="Texts"/>), built once on first use, for probing.</summary>
    public HashSet<string> TextLookup => _lookup ??= new HashSet<string>(Texts!, StringComparer.OrdinalIgnoreCase);

    private HashSet<string>? _lookup;

    public bool IsEmpty => Numbers?.IsEmpty ?? Texts!.IsEmpty;

    public static Constraint OfNumbers(NumberField field, IntervalSet set) => new(field.Name, set, null, field);

    public static Constraint OfTexts(string key, IEnumerable<string> values) => new(key, null, values.ToImmutableSortedSet(StringComparer.OrdinalIgnoreCase), null);

    public Constraint Intersect(Constraint other) => Numbers is not null
        ? new(Key, Numbers.Intersect(other.Numbers!), null, NumberField)
        : new(Key, null, Texts!.Intersect(other.Texts!), null);

    public bool IsSubsetOf(Constraint other) => Numbers is not null ? Numbers.IsSubsetOf(other.Numbers!) : Texts!.IsSubsetOf(other.Texts!);

    public string Example() => Numbers is not null ? $"{Key} = {NumberField!.Format(Numbers.Sample())}" : $"{Key} = {Texts![0]}";
}

/// <summary>A compiled condition: a typed accessor and what it allows. Evaluating one allocates nothing.</summary>
internal abstract class Condition
{
    public abstract Constraint Constraint { get; }

    /// <summary>The canonical text of the condition.</summary>
    public abstract string Text { get; }

    public abstract bool Matches(Lead lead, ScoreCard? score);

    /// <summary>Explains the outcome for one lead (allocates; explanation path only).</summary>
    public abstract string Explain(Lead lead, ScoreCard? score);
}

/// <summary><c>field in {values}</c> over a text field.</summary>
internal sealed class TextInCondition(TextField text, IReadOnlyList<string> values) : Condition
{
    private readonly FrozenSet<string> _values = values.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public override Constraint Constraint { get; } = Constraint.OfTexts(text.Name, values);

    public override string Text => $"{text.Name} in {{{string.Join(", ", Constraint.Texts!)}}}";

    public override bool Matches(Lead lead, ScoreCard? score) => text.Read(lead, score) is { } v && _values.Contains(v);

    public override string Explain(Lead lead, ScoreCard? score)
    {
        var v = text.Read(lead, score);
        return v is null ? $"{text.Name} is missing" : $"{text.Name} '{v}' {(Matches(lead, score) ? "in" : "not in")} {{{string.Join(", ", Constraint.Texts!)}}}";
    }
}

/// <summary>A number field within a set of intervals (a range, grade range, flag value, or a band set's chosen bands).</summary>
internal sealed class NumberInCondition(NumberField field, IntervalSet allowed, string text, string? bandSet = null, Func<double, string?>? bandOf = null) : Condition
{
    public override Constraint Constraint { get; } = Constraint.OfNumbers(field, allowed);

    public override string Text => text;

    public override bool Matches(Lead lead, ScoreCard? score)
    {
        double v = field.Read(lead, score);
        return !double.IsNaN(v) && allowed.Contains(v);
    }

    public override string Explain(Lead lead, ScoreCard? score)
    {
        double v = field.Read(lead, score);
        if (double.IsNaN(v))
        {
            return $"{field.Name} is missing";
        }

        string verdict = allowed.Contains(v) ? "meets" : "fails";
        return bandSet is null
            ? $"{field.Name} {field.Format(v)} {verdict} {text}"
            : $"{bandSet} '{bandOf!(v) ?? "(no band)"}' ({field.Name} {field.Format(v)}) {verdict} {text}";
    }
}

/// <summary><c>cluster.&lt;id&gt; in {labels}</c>: the nearest centroid of a clustering.</summary>
internal sealed class ClusterCondition(CompiledClustering clustering, IReadOnlyList<string> labels) : Condition
{
    private readonly bool[] _allowed = Allowed(clustering, labels);

    public override Constraint Constraint { get; } = Constraint.OfTexts(clustering.Field, labels);

    public override string Text => $"{clustering.Field} in {{{string.Join(", ", Constraint.Texts!)}}}";

    /// <summary>Per centroid, whether its label is one of the condition's (a hash set: linear in labels, not their product).</summary>
    private static bool[] Allowed(CompiledClustering clustering, IReadOnlyList<string> labels)
    {
        var set = new HashSet<string>(labels, StringComparer.OrdinalIgnoreCase);
        return [.. clustering.Labels.Select(set.Contains)];
    }

    public override bool Matches(Lead lead, ScoreCard? score)
    {
        int c = clustering.Nearest(lead, score, out _, out _, out _);
        return c >= 0 && _allowed[c];
    }

    public override string Explain(Lead lead, ScoreCard? score)
    {
        int c = clustering.Nearest(lead, score, out double distance, out int second, out double secondDistance);
        if (c < 0)
        {
            return $"{clustering.Field}: a feature is missing";
        }

        string next = second >= 0 ? $"; next nearest '{clustering.Labels[second]}' at {secondDistance:0.###}" : "";
        return $"{clustering.Field}: nearest centroid '{clustering.Labels[c]}' at distance {distance:0.###}{next} {(_allowed[c] ? "in" : "not in")} {{{string.Join(", ", Constraint.Texts!)}}}";
    }
}

/// <summary>A clustering frozen into a model: standardised centroids and the number fields they are over.</summary>
internal sealed class CompiledClustering(string id, NumberField[] features, double[] means, double[] deviations, double[] centroids, string[] labels)
{
    public string Field { get; } = SegmentFields.ClusterPrefix + id;

    public IReadOnlyList<string> Labels { get; } = labels;

    /// <summary>The labels as a set, compared as conditions name them (case-insensitively).</summary>
    public FrozenSet<string> LabelSet { get; } = labels.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The nearest centroid (standardised Euclidean distance, ties to the first), or -1 when a feature is missing.</summary>
    public int Nearest(Lead lead, ScoreCard? score, out double distance, out int second, out double secondDistance)
    {
        int d = features.Length;
        Span<double> x = d <= 64 ? stackalloc double[d] : new double[d];
        distance = secondDistance = double.PositiveInfinity;
        second = -1;
        for (int j = 0; j < d; j++)
        {
            double v = features[j].Read(lead, score);
            if (double.IsNaN(v))
            {
                return -1;
            }

            x[j] = (v - means[j]) / deviations[j];
        }

        int best = -1;
        for (int c = 0; c < labels.Length; c++)
        {
            double acc = 0;
            for (int j = 0; j < d; j++)
            {
                double diff = x[j] - centroids[(c * d) + j];
                acc += diff * diff;
            }

            if (acc < distance)
            {
                second = best;
                secondDistance = distance;
                distance = acc;
                best = c;
            }
            else if (acc < secondDistance)
            {
                second = c;
                secondDistance = acc;
            }
        }

        distance = Math.Sqrt(distance);
        secondDistance = Math.Sqrt(secondDistance);
        return best;
    }
}
