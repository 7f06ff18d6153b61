using System.Reflection;
using Alignment.Leads;
using Alignment.Scoring.Definitions;

using LeadFields = Alignment.Scoring.Definitions.LeadFields;

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

    public static string? Company(Lead l) => l.Company.Name;

    public static string? CompanyDomain(Lead l) => l.Company.Domain;

    public static string? JobTitle(Lead l) => l.Person.JobTitle;

    public static string? Seniority(Lead l) => l.Person.Seniority;

    public static string? Department(Lead l) => l.Person.Department;

    public static string? Language(Lead l) => l.Person.Language;

    public static string? EmailDomain(Lead l) => l.Person.EmailDomain;

    public static string? Source(Lead l) => l.Source;

    public static string? Campaign(Lead l) => l.Campaign;

    public static double CustomNumber(Lead l, int ordinal) => l.Attributes.GetNumber(ordinal);

    public static string? CustomText(Lead l, int ordinal) => l.Attributes.GetText(ordinal);

    public static MethodInfo For(string builtInName) => builtInName switch
    {
        LeadFields.Industry => ((Func<Lead, string?>)Industry).Method,
        LeadFields.EmployeeCount => ((Func<Lead, double>)EmployeeCount).Method,
        LeadFields.AnnualRevenue => ((Func<Lead, double>)AnnualRevenue).Method,
        LeadFields.Country => ((Func<Lead, string?>)Country).Method,
        LeadFields.Region => ((Func<Lead, string?>)Region).Method,
        LeadFields.Company => ((Func<Lead, string?>)Company).Method,
        LeadFields.CompanyDomain => ((Func<Lead, string?>)CompanyDomain).Method,
        LeadFields.JobTitle => ((Func<Lead, string?>)JobTitle).Method,
        LeadFields.Seniority => ((Func<Lead, string?>)Seniority).Method,
        LeadFields.Department => ((Func<Lead, string?>)Department).Method,
        LeadFields.Language => ((Func<Lead, string?>)Language).Method,
        LeadFields.EmailDomain => ((Func<Lead, string?>)EmailDomain).Method,
        LeadFields.Source => ((Func<Lead, string?>)Source).Method,
        LeadFields.Campaign => ((Func<Lead, string?>)Campaign).Method,
        _ => throw new InvalidOperationException($"No reader for built-in field '{builtInName}'."),
    };
}
