using System.Collections.Frozen;
using Alignment.Leads;
using Alignment.Scoring.Compilation;

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
        Text(Industry, FieldReaders.Industry),
        Number(EmployeeCount, FieldReaders.EmployeeCount),
        Number(AnnualRevenue, FieldReaders.AnnualRevenue),
        Text(Country, FieldReaders.Country),
        Text(Region, FieldReaders.Region),
        Text(Company, FieldReaders.Company),
        Text(CompanyDomain, FieldReaders.CompanyDomain),
        Text(JobTitle, FieldReaders.JobTitle),
        Text(Seniority, FieldReaders.Seniority),
        Text(Department, FieldReaders.Department),
        Text(Language, FieldReaders.Language),
        Text(EmailDomain, FieldReaders.EmailDomain),
        Text(Source, FieldReaders.Source),
        Text(Campaign, FieldReaders.Campaign),
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

    private static BuiltInField Text(string name, Func<Lead, string?> reader) => new(name, AttributeKind.Text, reader, null);

    private static BuiltInField Number(string name, Func<Lead, double> reader) => new(name, AttributeKind.Number, null, reader);

    internal sealed record BuiltInField(string Name, AttributeKind Kind, Func<Lead, string?>? ReadText, Func<Lead, double>? ReadNumber);
}
