using System.Collections.Frozen;
using System.Linq.Expressions;
using Alignment.Leads;

namespace Alignment.Scoring.Definitions;

/// <summary>
/// The built-in fields a condition can name, each bound to a typed accessor on <see cref="Lead"/>. A model's field names are resolved
/// against this registry (and the model's custom attributes) once, when the model is compiled; nothing is looked up by name while scoring.
/// </summary>
public static class LeadFields
{
    /// <summary><c>industry</c>: <see cref="CompanyProfile.Industry"/>.</summary>
    public const string Industry = "industry";

    /// <summary><c>employeeCount</c>: <see cref="CompanyProfile.EmployeeCount"/>.</summary>
    public const string EmployeeCount = "employeeCount";

    /// <summary><c>annualRevenue</c>: <see cref="CompanyProfile.AnnualRevenue"/>.</summary>
    public const string AnnualRevenue = "annualRevenue";

    /// <summary><c>country</c>: <see cref="CompanyProfile.Country"/>.</summary>
    public const string Country = "country";

    /// <summary><c>region</c>: <see cref="CompanyProfile.Region"/>.</summary>
    public const string Region = "region";

    /// <summary><c>company</c>: <see cref="CompanyProfile.Name"/>.</summary>
    public const string Company = "company";

    /// <summary><c>companyDomain</c>: <see cref="CompanyProfile.Domain"/>.</summary>
    public const string CompanyDomain = "companyDomain";

    /// <summary><c>jobTitle</c>: <see cref="PersonProfile.JobTitle"/>.</summary>
    public const string JobTitle = "jobTitle";

    /// <summary><c>seniority</c>: <see cref="PersonProfile.Seniority"/>.</summary>
    public const string Seniority = "seniority";

    /// <summary><c>department</c>: <see cref="PersonProfile.Department"/>.</summary>
    public const string Department = "department";

    /// <summary><c>language</c>: <see cref="PersonProfile.Language"/>.</summary>
    public const string Language = "language";

    /// <summary><c>emailDomain</c>: <see cref="PersonProfile.EmailDomain"/>.</summary>
    public const string EmailDomain = "emailDomain";

    /// <summary><c>source</c>: <see cref="Lead.Source"/>.</summary>
    public const string Source = "source";

    /// <summary><c>campaign</c>: <see cref="Lead.Campaign"/>.</summary>
    public const string Campaign = "campaign";

    private static readonly FrozenDictionary<string, BuiltInField> Fields = new BuiltInField[]
    {
        Text(Industry, l => l.Company.Industry),
        Number(EmployeeCount, l => l.Company.EmployeeCount.HasValue ? l.Company.EmployeeCount.GetValueOrDefault() : double.NaN),
        Number(AnnualRevenue, l => l.Company.AnnualRevenue.HasValue ? (double)l.Company.AnnualRevenue.GetValueOrDefault() : double.NaN),
        Text(Country, l => l.Company.Country),
        Text(Region, l => l.Company.Region),
        Text(Company, l => l.Company.Name),
        Text(CompanyDomain, l => l.Company.Domain),
        Text(JobTitle, l => l.Person.JobTitle),
        Text(Seniority, l => l.Person.Seniority),
        Text(Department, l => l.Person.Department),
        Text(Language, l => l.Person.Language),
        Text(EmailDomain, l => l.Person.EmailDomain),
        Text(Source, l => l.Source),
        Text(Campaign, l => l.Campaign),
    }.ToFrozenDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every built-in field name.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Fields.Values.Select(f => f.Name).Order(StringComparer.Ordinal)];

    /// <summary>Tells whether a name is a built-in field, and its type.</summary>
    /// <param name="name">The field name (case-insensitive).</param>
    /// <param name="kind">The field's type: <see cref="AttributeKind.Text"/> or <see cref="AttributeKind.Number"/>.</param>
    /// <returns><see langword="true"/> for a built-in field.</returns>
    public static bool TryGetKind(string name, out AttributeKind kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Fields.TryGetValue(name, out var f))
        {
            kind = f.Kind;
            return true;
        }

        kind = default;
        return false;
    }

    internal static bool TryGet(string name, out BuiltInField field) => Fields.TryGetValue(name, out field!);

    private static BuiltInField Text(string name, Expression<Func<Lead, string?>> accessor) => new(name, AttributeKind.Text, accessor, accessor.Compile(), null);

    private static BuiltInField Number(string name, Expression<Func<Lead, double>> accessor) => new(name, AttributeKind.Number, accessor, null, accessor.Compile());

    internal sealed record BuiltInField(string Name, AttributeKind Kind, LambdaExpression Accessor, Func<Lead, string?>? ReadText, Func<Lead, double>? ReadNumber);
}
