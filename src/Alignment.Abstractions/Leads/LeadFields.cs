using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Alignment.Scoring;

namespace Alignment.Leads;

/// <summary>
/// The one catalogue of lead fields: every field a scoring condition, a segment condition or a routing match can name, with one name
/// per field across the engines (<c>company.employeeCount</c> everywhere). Besides these, a model may name
/// <c>attributes.&lt;name&gt;</c>, a custom attribute of the lead (<see cref="LeadAttributes"/>) declared in the model's
/// <see cref="AttributeSchema"/>. docs/data-formats.md lists the same table.
/// </summary>
/// <remarks>Immutable and thread-safe. Names are matched case-insensitively; the spelling given here is the one documents should use.</remarks>
public static class LeadFields
{
    /// <summary>The prefix of custom attribute fields: <c>attributes.</c>.</summary>
    public const string AttributePrefix = "attributes.";

    /// <summary><c>company.name</c> (text): <see cref="CompanyProfile.Name"/>.</summary>
    public static LeadField CompanyName { get; } = LeadField.Text("company.name", "The company's name.", static l => l.Company.Name);

    /// <summary><c>company.domain</c> (text): <see cref="CompanyProfile.Domain"/>.</summary>
    public static LeadField CompanyDomain { get; } = LeadField.Text("company.domain", "The company's web domain, such as example.com.", static l => l.Company.Domain);

    /// <summary><c>company.industry</c> (text): <see cref="CompanyProfile.Industry"/>.</summary>
    public static LeadField CompanyIndustry { get; } = LeadField.Text("company.industry", "The company's industry.", static l => l.Company.Industry);

    /// <summary><c>company.employeeCount</c> (number): <see cref="CompanyProfile.EmployeeCount"/>.</summary>
    public static LeadField CompanyEmployeeCount { get; } = LeadField.Number("company.employeeCount", "The company's number of employees.", static l => l.Company.EmployeeCount);

    /// <summary><c>company.annualRevenue</c> (number): <see cref="CompanyProfile.AnnualRevenue"/>.</summary>
    public static LeadField CompanyAnnualRevenue { get; } = LeadField.Number("company.annualRevenue", "The company's annual revenue, in the CRM's currency.", static l => l.Company.AnnualRevenue);

    /// <summary><c>company.country</c> (text): <see cref="CompanyProfile.Country"/>.</summary>
    public static LeadField CompanyCountry { get; } = LeadField.Text("company.country", "The company's country, an ISO 3166-1 alpha-2 code such as GB.", static l => l.Company.Country);

    /// <summary><c>company.region</c> (text): <see cref="CompanyProfile.Region"/>.</summary>
    public static LeadField CompanyRegion { get; } = LeadField.Text("company.region", "The company's sales region, such as EMEA.", static l => l.Company.Region);

    /// <summary><c>person.jobTitle</c> (text): <see cref="PersonProfile.JobTitle"/>.</summary>
    public static LeadField PersonJobTitle { get; } = LeadField.Text("person.jobTitle", "The person's job title.", static l => l.Person.JobTitle);

    /// <summary><c>person.seniority</c> (text): <see cref="PersonProfile.Seniority"/>.</summary>
    public static LeadField PersonSeniority { get; } = LeadField.Text("person.seniority", "The person's seniority, such as director.", static l => l.Person.Seniority);

    /// <summary><c>person.department</c> (text): <see cref="PersonProfile.Department"/>.</summary>
    public static LeadField PersonDepartment { get; } = LeadField.Text("person.department", "The person's department, such as marketing.", static l => l.Person.Department);

    /// <summary><c>person.language</c> (text): <see cref="PersonProfile.Language"/>.</summary>
    public static LeadField PersonLanguage { get; } = LeadField.Text("person.language", "The person's language, such as en or de.", static l => l.Person.Language);

    /// <summary><c>person.emailDomain</c> (text): <see cref="PersonProfile.EmailDomain"/>.</summary>
    public static LeadField PersonEmailDomain { get; } = LeadField.Text("person.emailDomain", "The domain of the person's email address, lower case.", static l => l.Person.EmailDomain);

    /// <summary><c>lead.source</c> (text): <see cref="Lead.Source"/>.</summary>
    public static LeadField LeadSource { get; } = LeadField.Text("lead.source", "Where the lead came from, such as webinar or paid-search.", static l => l.Source);

    /// <summary><c>lead.campaign</c> (text): <see cref="Lead.Campaign"/>.</summary>
    public static LeadField LeadCampaign { get; } = LeadField.Text("lead.campaign", "The campaign that brought the lead.", static l => l.Campaign);

    /// <summary><c>lead.accountId</c> (text): <see cref="Lead.AccountId"/>.</summary>
    public static LeadField LeadAccountId { get; } = LeadField.Text("lead.accountId", "The CRM account the lead belongs to.", static l => l.AccountId?.Value);

    /// <summary><c>lead.domain</c> (text): <see cref="CompanyProfile.Domain"/>, else <see cref="PersonProfile.EmailDomain"/>: the domain an account is recognised by.</summary>
    public static LeadField LeadDomain { get; } = LeadField.Text("lead.domain", "The company's domain, else the domain of the person's email address.", static l => l.Company.Domain ?? l.Person.EmailDomain);

    /// <summary><c>score.total</c> (number, from the score card): <see cref="Alignment.Scoring.ScoreCard.Total"/>.</summary>
    public static LeadField ScoreTotal { get; } = LeadField.ScoreNumber("score.total", "The lead's total score (fit plus engagement).", static s => s.Total);

    /// <summary><c>score.fit</c> (number, from the score card): <see cref="Alignment.Scoring.ScoreCard.Fit"/>.</summary>
    public static LeadField ScoreFit { get; } = LeadField.ScoreNumber("score.fit", "The lead's fit score.", static s => s.Fit);

    /// <summary><c>score.engagement</c> (number, from the score card): <see cref="Alignment.Scoring.ScoreCard.Engagement"/>.</summary>
    public static LeadField ScoreEngagement { get; } = LeadField.ScoreNumber("score.engagement", "The lead's engagement score, after decay.", static s => s.Engagement);

    /// <summary><c>score.grade</c> (grade, from the score card): <see cref="Alignment.Scoring.ScoreCard.Grade"/>.</summary>
    public static LeadField ScoreGrade { get; } = LeadField.Other("score.grade", LeadFieldKind.Grade, LeadFieldSource.Score, "The lead's fit grade, A+ (best) to D-.");

    /// <summary><c>score.state</c> (qualification state, from the score card): <see cref="Alignment.Scoring.ScoreCard.State"/>.</summary>
    public static LeadField ScoreState { get; } = LeadField.Other("score.state", LeadFieldKind.State, LeadFieldSource.Score, "The lead's qualification state: notQualified, mql or hot.");

    /// <summary><c>segment.id</c> (text, from segmentation): the id of the lead's segment.</summary>
    public static LeadField SegmentId { get; } = LeadField.Other("segment.id", LeadFieldKind.Text, LeadFieldSource.Segment, "The id of the lead's segment.");

    /// <summary>The name of a qualification state as the <c>score.state</c> field holds it: <c>notQualified</c>, <c>mql</c> or <c>hot</c>.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="state"/> is not a defined state.</exception>
    public static string StateName(QualificationState state) => state switch
    {
        QualificationState.NotQualified => "notQualified",
        QualificationState.MarketingQualified => "mql",
        QualificationState.Hot => "hot",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not a qualification state."),
    };

    /// <summary>Reads a qualification state by the name <see cref="StateName"/> gives it (case-insensitive).</summary>
    /// <param name="name">The name, such as <c>mql</c>.</param>
    /// <param name="state">The state.</param>
    /// <returns><see langword="true"/> when the name is a state's.</returns>
    public static bool TryParseState(string? name, out QualificationState state)
    {
        foreach (var candidate in (ReadOnlySpan<QualificationState>)[QualificationState.NotQualified, QualificationState.MarketingQualified, QualificationState.Hot])
        {
            if (string.Equals(name, StateName(candidate), StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }

    /// <summary>Every field of the catalogue, in the order above.</summary>
    public static ImmutableArray<LeadField> All { get; } =
    [
        CompanyName, CompanyDomain, CompanyIndustry, CompanyEmployeeCount, CompanyAnnualRevenue, CompanyCountry, CompanyRegion,
        PersonJobTitle, PersonSeniority, PersonDepartment, PersonLanguage, PersonEmailDomain,
        LeadSource, LeadCampaign, LeadAccountId, LeadDomain,
        ScoreTotal, ScoreFit, ScoreEngagement, ScoreGrade, ScoreState,
        SegmentId,
    ];

    private static readonly FrozenDictionary<string, LeadField> ByName = All.ToFrozenDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Finds a field of the catalogue by name.</summary>
    /// <param name="name">The name, such as <c>company.industry</c> (case-insensitive).</param>
    /// <param name="field">The field, or <see langword="null"/> when the name is not in the catalogue.</param>
    /// <returns><see langword="true"/> when the catalogue has the field.</returns>
    public static bool TryGet(string? name, [NotNullWhen(true)] out LeadField? field)
    {
        if (name is null)
        {
            field = null;
            return false;
        }

        return ByName.TryGetValue(name, out field);
    }

    /// <summary>
    /// The catalogue field a mistaken name probably meant, for a <see cref="Alignment.Models.ModelError.Suggestion"/>: the field whose
    /// last part is the name (<c>employeeCount</c> → <c>company.employeeCount</c>), else the one closest in spelling.
    /// </summary>
    /// <param name="name">The name that is not in the catalogue.</param>
    /// <returns>The field, or <see langword="null"/> when none is close.</returns>
    public static LeadField? Suggest(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            return null;
        }

        string last = name[(name.LastIndexOf('.') + 1)..];
        foreach (var field in All)
        {
            if (field.Name.AsSpan(field.Name.LastIndexOf('.') + 1).Equals(last, StringComparison.OrdinalIgnoreCase))
            {
                return field;
            }
        }

        // A last part that shares a long stem with a field's (employees → employeeCount, revenue → annualRevenue).
        if (last.Length >= 5)
        {
            foreach (var field in All)
            {
                var own = field.Name.AsSpan(field.Name.LastIndexOf('.') + 1);
                if (own.CommonPrefixLength(last.AsSpan(), CaseInsensitiveChars.Instance) >= 6 || own.EndsWith(last, StringComparison.OrdinalIgnoreCase))
                {
                    return field;
                }
            }
        }

        LeadField? best = null;
        int bestDistance = 3;
        foreach (var field in All)
        {
            int distance = Distance(name.ToLowerInvariant(), field.Name.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (field, distance);
            }
        }

        return best;
    }

    // Levenshtein distance of two short names (also used by the CRM header matching).
    internal static int Distance(string a, string b)
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

    private sealed class CaseInsensitiveChars : IEqualityComparer<char>
    {
        public static readonly CaseInsensitiveChars Instance = new();

        public bool Equals(char x, char y) => char.ToLowerInvariant(x) == char.ToLowerInvariant(y);

        public int GetHashCode(char obj) => char.ToLowerInvariant(obj).GetHashCode();
    }
}
