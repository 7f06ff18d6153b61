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

/// <summary>
/// The accessors field names resolve to: every field of the lead-field catalogue (<see cref="LeadFields"/>) but <c>segment.id</c>,
/// which segmentation produces, each read by a hand-written lambda (no reflection, no boxing).
/// </summary>
internal static class FieldCatalog
{
    private static readonly FrozenDictionary<string, TextField> Texts = new TextField[]
    {
        new(LeadFields.CompanyName.Name, static (l, _) => l.Company.Name),
        new(LeadFields.CompanyDomain.Name, static (l, _) => l.Company.Domain),
        new(LeadFields.CompanyIndustry.Name, static (l, _) => l.Company.Industry),
        new(LeadFields.CompanyCountry.Name, static (l, _) => l.Company.Country),
        new(LeadFields.CompanyRegion.Name, static (l, _) => l.Company.Region),
        new(LeadFields.PersonJobTitle.Name, static (l, _) => l.Person.JobTitle),
        new(LeadFields.PersonSeniority.Name, static (l, _) => l.Person.Seniority),
        new(LeadFields.PersonDepartment.Name, static (l, _) => l.Person.Department),
        new(LeadFields.PersonLanguage.Name, static (l, _) => l.Person.Language),
        new(LeadFields.PersonEmailDomain.Name, static (l, _) => l.Person.EmailDomain),
        new(LeadFields.LeadSource.Name, static (l, _) => l.Source),
        new(LeadFields.LeadCampaign.Name, static (l, _) => l.Campaign),
        new(LeadFields.LeadAccountId.Name, static (l, _) => l.AccountId?.Value),
        new(LeadFields.LeadDomain.Name, static (l, _) => l.Company.Domain ?? l.Person.EmailDomain),
        new(LeadFields.ScoreState.Name, static (_, s) => s is null || !Enum.IsDefined(s.State) ? null : LeadFields.StateName(s.State)),
    }.ToFrozenDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, NumberField> Numbers = new NumberField[]
    {
        new(LeadFields.CompanyEmployeeCount.Name, static (l, _) => l.Company.EmployeeCount is int n ? n : double.NaN),
        new(LeadFields.CompanyAnnualRevenue.Name, static (l, _) => l.Company.AnnualRevenue is decimal r ? (double)r : double.NaN),
        new(LeadFields.ScoreTotal.Name, static (_, s) => s is null ? double.NaN : (double)s.Total),
        new(LeadFields.ScoreFit.Name, static (_, s) => s is null ? double.NaN : (double)s.Fit),
        new(LeadFields.ScoreEngagement.Name, static (_, s) => s is null ? double.NaN : (double)s.Engagement),
        new(LeadFields.ScoreGrade.Name, static (_, s) => s is null ? double.NaN : (int)s.Grade, NumberDisplay.Grade),
    }.ToFrozenDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every field name a segment condition can use besides attributes, band sets and clusterings, in catalogue order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. LeadFields.All.Select(f => f.Name).Where(n => Texts.ContainsKey(n) || Numbers.ContainsKey(n))];

    public static bool TryText(string name, AttributeSchema schema, out TextField field)
    {
        if (Texts.TryGetValue(name, out field!))
        {
            return true;
        }

        if (TryAttribute(name, schema, out int ordinal, out var kind) && kind == AttributeKind.Text)
        {
            string canonical = LeadFields.AttributePrefix + schema.Definitions[ordinal].Name;
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
            string canonical = LeadFields.AttributePrefix + schema.Definitions[ordinal].Name;
            field = new NumberField(
                canonical,
                (l, _) => AttributesOf(l, schema, canonical)?.GetNumber(ordinal) ?? double.NaN,
                kind == AttributeKind.Boolean ? NumberDisplay.Flag : NumberDisplay.Number);
            return true;
        }

        return false;
    }

    public static bool IsAttribute(string name) => name.StartsWith(LeadFields.AttributePrefix, StringComparison.OrdinalIgnoreCase);

    private static bool TryAttribute(string name, AttributeSchema schema, out int ordinal, out AttributeKind kind)
    {
        ordinal = -1;
        kind = default;
        if (!IsAttribute(name) || !schema.TryGetOrdinal(name[LeadFields.AttributePrefix.Length..], out ordinal))
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
