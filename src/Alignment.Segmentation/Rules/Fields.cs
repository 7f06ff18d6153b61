using System.Collections.Frozen;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Segmentation.Rules;

/// <summary>How a value of a field is shown in explanations.</summary>
internal enum NumberDisplay
{
    Number,
    Grade,
    Flag,
}

/// <summary>A typed accessor for a number field, resolved once at load. A missing value reads as NaN.</summary>
internal sealed class NumberField(string name, Func<Lead, ScoreCard?, double> read, NumberDisplay display = NumberDisplay.Number)
{
    public string Name { get; } = name;

    public NumberDisplay Display { get; } = display;

    public double Read(Lead lead, ScoreCard? score) => read(lead, score);

    public string Format(double value) => double.IsNaN(value) ? "(missing)" : Display switch
    {
        NumberDisplay.Grade => ((Grade)(int)value).ToLetter(),
        NumberDisplay.Flag => value == 1 ? "true" : "false",
        _ => IntervalSet.Number(value),
    };
}

/// <summary>A typed accessor for a text field, resolved once at load. A missing value reads as null.</summary>
internal sealed class TextField(string name, Func<Lead, ScoreCard?, string?> read)
{
    public string Name { get; } = name;

    public string? Read(Lead lead, ScoreCard? score) => read(lead, score);
}

/// <summary>The registry of hand-written accessors that field names resolve to.</summary>
internal static class FieldCatalog
{
    private static readonly FrozenDictionary<string, TextField> Texts = new Dictionary<string, TextField>
    {
        [SegmentFields.Industry] = new(SegmentFields.Industry, static (l, _) => l.Company.Industry),
        [SegmentFields.Country] = new(SegmentFields.Country, static (l, _) => l.Company.Country),
        [SegmentFields.Region] = new(SegmentFields.Region, static (l, _) => l.Company.Region),
        [SegmentFields.Language] = new(SegmentFields.Language, static (l, _) => l.Person.Language),
        [SegmentFields.Seniority] = new(SegmentFields.Seniority, static (l, _) => l.Person.Seniority),
        [SegmentFields.Department] = new(SegmentFields.Department, static (l, _) => l.Person.Department),
        [SegmentFields.Source] = new(SegmentFields.Source, static (l, _) => l.Source),
        [SegmentFields.Campaign] = new(SegmentFields.Campaign, static (l, _) => l.Campaign),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, NumberField> Numbers = new Dictionary<string, NumberField>
    {
        [SegmentFields.Employees] = new(SegmentFields.Employees, static (l, _) => l.Company.EmployeeCount is int n ? n : double.NaN),
        [SegmentFields.Revenue] = new(SegmentFields.Revenue, static (l, _) => l.Company.AnnualRevenue is decimal r ? (double)r : double.NaN),
        [SegmentFields.ScoreTotal] = new(SegmentFields.ScoreTotal, static (_, s) => s is null ? double.NaN : (double)s.Total),
        [SegmentFields.ScoreFit] = new(SegmentFields.ScoreFit, static (_, s) => s is null ? double.NaN : (double)s.Fit),
        [SegmentFields.ScoreEngagement] = new(SegmentFields.ScoreEngagement, static (_, s) => s is null ? double.NaN : (double)s.Engagement),
        [SegmentFields.ScoreGrade] = new(SegmentFields.ScoreGrade, static (_, s) => s is null ? double.NaN : (int)s.Grade, NumberDisplay.Grade),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static bool TryText(string name, AttributeSchema schema, out TextField field)
    {
        if (Texts.TryGetValue(name, out field!))
        {
            return true;
        }

        if (TryAttribute(name, schema, out int ordinal, out var kind) && kind == AttributeKind.Text)
        {
            string canonical = SegmentFields.AttributePrefix + schema.Definitions[ordinal].Name;
            field = new TextField(canonical, (l, _) => AttributesOf(l, schema, canonical)?.GetText(ordinal));
            return true;
        }

        return false;
    }

    public static bool TryNumber(string name, AttributeSchema schema, out NumberField field)
    {
        if (Numbers.TryGetValue(name, out field!))
        {
            return true;
        }

        if (TryAttribute(name, schema, out int ordinal, out var kind) && kind != AttributeKind.Text)
        {
            string canonical = SegmentFields.AttributePrefix + schema.Definitions[ordinal].Name;
            field = new NumberField(
                canonical,
                (l, _) => AttributesOf(l, schema, canonical)?.GetNumber(ordinal) ?? double.NaN,
                kind == AttributeKind.Boolean ? NumberDisplay.Flag : NumberDisplay.Number);
            return true;
        }

        return false;
    }

    public static bool IsAttribute(string name) => name.StartsWith(SegmentFields.AttributePrefix, StringComparison.OrdinalIgnoreCase);

    private static bool TryAttribute(string name, AttributeSchema schema, out int ordinal, out AttributeKind kind)
    {
        ordinal = -1;
        kind = default;
        if (!IsAttribute(name) || !schema.TryGetOrdinal(name[SegmentFields.AttributePrefix.Length..], out ordinal))
        {
            return false;
        }

        kind = schema.Definitions[ordinal].Kind;
        return true;
    }

    private static LeadAttributes? AttributesOf(Lead lead, AttributeSchema schema, string field)
    {
        var attributes = lead.Attributes;
        if (ReferenceEquals(attributes.Schema, schema))
        {
            return attributes;
        }

        if (attributes.Schema.Count == 0)
        {
            return null;
        }

        throw new ArgumentException($"{lead} carries attributes of another schema than the segmentation model was loaded with (reading '{field}').", nameof(lead));
    }
}
