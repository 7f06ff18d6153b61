using System.Collections.Frozen;
using System.Reflection;
using Alignment.Leads;

namespace Alignment.Scoring.Compilation;

/// <summary>
/// The lead fields a scoring condition can name: every field of the <see cref="LeadFields">catalogue</see> read from the lead
/// itself (<see cref="LeadFieldSource.Lead"/>), each bound to a small static reader in <see cref="FieldReaders"/>. A model's field
/// names are resolved here (and against the model's custom attributes, named <c>attributes.&lt;name&gt;</c>) once, when the model
/// is compiled; nothing is looked up by name while scoring.
/// </summary>
internal static class ScoringFields
{
    private static readonly FrozenDictionary<string, BuiltInField> Fields = new BuiltInField[]
    {
        Text(LeadFields.CompanyName, FieldReaders.CompanyName),
        Text(LeadFields.CompanyDomain, FieldReaders.CompanyDomain),
        Text(LeadFields.CompanyIndustry, FieldReaders.Industry),
        Number(LeadFields.CompanyEmployeeCount, FieldReaders.EmployeeCount),
        Number(LeadFields.CompanyAnnualRevenue, FieldReaders.AnnualRevenue),
        Text(LeadFields.CompanyCountry, FieldReaders.Country),
        Text(LeadFields.CompanyRegion, FieldReaders.Region),
        Text(LeadFields.PersonJobTitle, FieldReaders.JobTitle),
        Text(LeadFields.PersonSeniority, FieldReaders.Seniority),
        Text(LeadFields.PersonDepartment, FieldReaders.Department),
        Text(LeadFields.PersonLanguage, FieldReaders.Language),
        Text(LeadFields.PersonEmailDomain, FieldReaders.EmailDomain),
        Text(LeadFields.LeadSource, FieldReaders.Source),
        Text(LeadFields.LeadCampaign, FieldReaders.Campaign),
        Text(LeadFields.LeadAccountId, FieldReaders.AccountId),
        Text(LeadFields.LeadDomain, FieldReaders.LeadDomain),
    }.ToFrozenDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every field name a scoring condition can use besides custom attributes, in catalogue order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. LeadFields.All.Where(f => Fields.ContainsKey(f.Name)).Select(f => f.Name)];

    /// <summary>Finds a built-in field by name (case-insensitive).</summary>
    public static bool TryGet(string name, out BuiltInField field) => Fields.TryGetValue(name, out field!);

    private static BuiltInField Text(LeadField field, Func<Lead, string?> reader) =>
        field.Kind == LeadFieldKind.Text && field.Source == LeadFieldSource.Lead
            ? new(field.Name, AttributeKind.Text, reader, null, reader.Method)
            : throw new InvalidOperationException($"'{field.Name}' is not a text field of the lead.");

    private static BuiltInField Number(LeadField field, Func<Lead, double> reader) =>
        field.Kind == LeadFieldKind.Number && field.Source == LeadFieldSource.Lead
            ? new(field.Name, AttributeKind.Number, null, reader, reader.Method)
            : throw new InvalidOperationException($"'{field.Name}' is not a number field of the lead.");

    /// <summary>A built-in field: its catalogue name, its type, its reader as a delegate (interpreter) and as a method (emitted kernels).</summary>
    internal sealed record BuiltInField(string Name, AttributeKind Kind, Func<Lead, string?>? ReadText, Func<Lead, double>? ReadNumber, MethodInfo Reader);
}
