using System.Collections.Immutable;

namespace Alignment.Segmentation.Rules;

/// <summary>
/// The built-in fields segment conditions can name. Besides these, a condition may name <c>attributes.&lt;name&gt;</c> (a custom
/// attribute of the <see cref="Alignment.Leads.AttributeSchema"/> the model is loaded with), a band set of the model, or
/// <c>cluster.&lt;id&gt;</c> (the nearest centroid's label of one of the model's clusterings).
/// </summary>
public static class SegmentFields
{
    /// <summary>Text: <see cref="Alignment.Leads.CompanyProfile.Industry"/>.</summary>
    public const string Industry = "company.industry";

    /// <summary>Text: <see cref="Alignment.Leads.CompanyProfile.Country"/>.</summary>
    public const string Country = "company.country";

    /// <summary>Text: <see cref="Alignment.Leads.CompanyProfile.Region"/>.</summary>
    public const string Region = "company.region";

    /// <summary>Number: <see cref="Alignment.Leads.CompanyProfile.EmployeeCount"/>.</summary>
    public const string Employees = "company.employees";

    /// <summary>Number: <see cref="Alignment.Leads.CompanyProfile.AnnualRevenue"/>.</summary>
    public const string Revenue = "company.revenue";

    /// <summary>Text: <see cref="Alignment.Leads.PersonProfile.Language"/>.</summary>
    public const string Language = "person.language";

    /// <summary>Text: <see cref="Alignment.Leads.PersonProfile.Seniority"/>.</summary>
    public const string Seniority = "person.seniority";

    /// <summary>Text: <see cref="Alignment.Leads.PersonProfile.Department"/>.</summary>
    public const string Department = "person.department";

    /// <summary>Text: <see cref="Alignment.Leads.Lead.Source"/>.</summary>
    public const string Source = "lead.source";

    /// <summary>Text: <see cref="Alignment.Leads.Lead.Campaign"/>.</summary>
    public const string Campaign = "lead.campaign";

    /// <summary>Number: <see cref="Alignment.Scoring.ScoreCard.Total"/> (missing when the lead is not scored).</summary>
    public const string ScoreTotal = "score.total";

    /// <summary>Number: <see cref="Alignment.Scoring.ScoreCard.Fit"/>.</summary>
    public const string ScoreFit = "score.fit";

    /// <summary>Number: <see cref="Alignment.Scoring.ScoreCard.Engagement"/> (the usual field of an engagement-level band set).</summary>
    public const string ScoreEngagement = "score.engagement";

    /// <summary>Grade: <see cref="Alignment.Scoring.ScoreCard.Grade"/>; conditions use letters (<c>"in": ["A", "A+"]</c> or <c>"atLeast": "B"</c>).</summary>
    public const string ScoreGrade = "score.grade";

    /// <summary>The prefix of custom attribute fields.</summary>
    public const string AttributePrefix = "attributes.";

    /// <summary>The prefix of clustering fields.</summary>
    public const string ClusterPrefix = "cluster.";

    /// <summary>Every built-in text field.</summary>
    public static ImmutableArray<string> TextFields { get; } = [Industry, Country, Region, Language, Seniority, Department, Source, Campaign];

    /// <summary>Every built-in number field (the grade excluded).</summary>
    public static ImmutableArray<string> NumberFields { get; } = [Employees, Revenue, ScoreTotal, ScoreFit, ScoreEngagement];
}
