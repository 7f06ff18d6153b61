using Alignment.Leads;

namespace Alignment.Scoring.Compilation;

/// <summary>
/// One small static reader per built-in field; emitted kernels call these (the JIT inlines them), so no property is found
/// by name at any time: the method handles come from delegates, checked by the compiler.
/// </summary>
internal static class FieldReaders
{
    public static string? Industry(Lead l) => l.Company.Industry;

    public static double EmployeeCount(Lead l)
    {
        int? v = l.Company.EmployeeCount;
        return v.HasValue ? v.GetValueOrDefault() : double.NaN;
    }

    public static double AnnualRevenue(Lead l)
    {
        decimal? v = l.Company.AnnualRevenue;
        return v.HasValue ? (double)v.GetValueOrDefault() : double.NaN;
    }

    public static string? Country(Lead l) => l.Company.Country;

    public static string? Region(Lead l) => l.Company.Region;

    public static string? CompanyName(Lead l) => l.Company.Name;

    public static string? CompanyDomain(Lead l) => l.Company.Domain;

    public static string? JobTitle(Lead l) => l.Person.JobTitle;

    public static string? Seniority(Lead l) => l.Person.Seniority;

    public static string? Department(Lead l) => l.Person.Department;

    public static string? Language(Lead l) => l.Person.Language;

    public static string? EmailDomain(Lead l) => l.Person.EmailDomain;

    public static string? Source(Lead l) => l.Source;

    public static string? Campaign(Lead l) => l.Campaign;

    public static string? AccountId(Lead l) => l.AccountId?.Value;

    public static string? LeadDomain(Lead l) => l.Company.Domain ?? l.Person.EmailDomain;

    public static double CustomNumber(Lead l, int ordinal) => l.Attributes.GetNumber(ordinal);

    public static string? CustomText(Lead l, int ordinal) => l.Attributes.GetText(ordinal);
}
