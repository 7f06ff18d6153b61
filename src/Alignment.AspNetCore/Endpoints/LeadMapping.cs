using System.Collections.Immutable;
using System.Text.Json;
using Alignment.Activities;
using Alignment.AspNetCore.Wire;
using Alignment.Leads;

namespace Alignment.AspNetCore.Endpoints;

/// <summary>Checks an ingested lead and turns the stored form into Alignment's types.</summary>
internal static class LeadMapping
{
    public const int MaxIdLength = 200;
    public const int MaxActivitiesPerRequest = 10_000;
    public const int MaxActivitiesPerLead = 50_000;

    /// <summary>Checks a request, adding each problem with its JSON path.</summary>
    public static void Check(LeadRequest request, AttributeSchema schema, RequestErrors errors)
    {
        CheckId(request.Id, "$.id", errors);
        if (request.Company is { } company)
        {
            if (company.EmployeeCount is < 0)
            {
                errors.Add("$.company.employeeCount", $"must not be negative, not {company.EmployeeCount}.");
            }

            if (company.AnnualRevenue is < 0)
            {
                errors.Add("$.company.annualRevenue", $"must not be negative, not {company.AnnualRevenue}.");
            }
        }

        if (request.Attributes is { } attributes)
        {
            foreach (var (name, value) in attributes)
            {
                string path = name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? $"$.attributes.{name}" : $"$.attributes['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";
                if (!schema.TryGetOrdinal(name, out int ordinal))
                {
                    string known = schema.Count == 0 ? "the tenant's models declare none" : "known: " + string.Join(", ", schema.Definitions.Select(d => d.Name));
                    errors.Add(path, $"is not an attribute of this tenant's models ({known}).");
                    continue;
                }

                var kind = schema.Definitions[ordinal].Kind;
                bool ok = value.ValueKind == JsonValueKind.Null || kind switch
                {
                    AttributeKind.Number => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double d) && double.IsFinite(d),
                    AttributeKind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
                    _ => value.ValueKind == JsonValueKind.String,
                };
                if (!ok)
                {
                    errors.Add(path, $"must be a {kind.ToString().ToLowerInvariant()} (or null), not {value.ValueKind.ToString().ToLowerInvariant()}.");
                }
                else if (value.ValueKind == JsonValueKind.String && !IsText(value))
                {
                    errors.Add(path, "is not valid text: it holds an escaped UTF-16 surrogate (\\uD800-\\uDFFF) without its pair.");
                }
            }
        }

        if (request.Activities is { } activities)
        {
            if (activities.Count > MaxActivitiesPerRequest)
            {
                errors.Add("$.activities", $"has {activities.Count} activities; at most {MaxActivitiesPerRequest} per request.");
                return;
            }

            for (int i = 0; i < activities.Count; i++)
            {
                var a = activities[i];
                if (a is null)
                {
                    errors.Add($"$.activities[{i}]", "must be an object, not null.");
                    continue;
                }

                if (string.IsNullOrWhiteSpace(a.Type))
                {
                    errors.Add($"$.activities[{i}].type", "is required.");
                }
                else if (!TryParseActivityType(a.Type, out _))
                {
                    errors.Add($"$.activities[{i}].type", $"'{a.Type}' is not an activity type (one of {string.Join(", ", Enum.GetNames<ActivityType>().Select(Camel))}).");
                }

                if (a.At is null)
                {
                    errors.Add($"$.activities[{i}].at", "is required (an ISO 8601 time with its offset).");
                }
            }
        }
    }

    /// <summary>Checks a lead id taken from a route or a body.</summary>
    public static void CheckId(string? id, string path, RequestErrors errors)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            errors.Add(path, "is required.");
        }
        else if (id.Length > MaxIdLength)
        {
            errors.Add(path, $"is {id.Length} characters long; at most {MaxIdLength}.");
        }
        else if (id.Any(char.IsControl))
        {
            errors.Add(path, "must not contain control characters.");
        }
    }

    /// <summary>The lead as merged from what was stored and what the request says (a member left out keeps its stored value).</summary>
    public static LeadRequest Merge(LeadRequest? stored, LeadRequest request)
    {
        if (stored is null)
        {
            return request with { Activities = null };
        }

        Dictionary<string, JsonElement>? attributes = stored.Attributes;
        if (request.Attributes is { } changed)
        {
            attributes = stored.Attributes is null ? new(StringComparer.Ordinal) : new(stored.Attributes, StringComparer.Ordinal);
            foreach (var (k, v) in changed)
            {
                attributes[k] = v;
            }
        }

        return new LeadRequest
        {
            Id = stored.Id,
            AccountId = request.AccountId ?? stored.AccountId,
            Person = request.Person ?? stored.Person,
            Company = request.Company ?? stored.Company,
            Source = request.Source ?? stored.Source,
            Campaign = request.Campaign ?? stored.Campaign,
            CreatedAt = request.CreatedAt ?? stored.CreatedAt,
            Attributes = attributes,
        };
    }

    /// <summary>Whether a JSON string can be read as text: the reader accepts an escaped lone surrogate and fails only when it is read.</summary>
    private static bool IsText(JsonElement value)
    {
        try
        {
            _ = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The stored activities with the request's added (an activity already stored is not added twice), oldest first.</summary>
    public static List<ActivityRequest> MergeActivities(List<ActivityRequest>? stored, List<ActivityRequest>? added)
    {
        var all = new List<ActivityRequest>(stored ?? []);
        if (added is { Count: > 0 })
        {
            var seen = new HashSet<ActivityRequest>(all);
            foreach (var a in added)
            {
                var normal = a with { Type = Camel(ParseActivityType(a.Type!).ToString()) };
                if (seen.Add(normal))
                {
                    all.Add(normal);
                }
            }

            all.Sort(static (x, y) => x.At!.Value.CompareTo(y.At!.Value));
        }

        return all;
    }

    /// <summary>The Alignment lead of a stored lead.</summary>
    public static Lead ToLead(LeadRequest r, AttributeSchema schema)
    {
        var attributes = schema.CreateBuilder();
        if (r.Attributes is { } values)
        {
            foreach (var (name, value) in values)
            {
                if (!schema.TryGetOrdinal(name, out int ordinal))
                {
                    continue;   // declared by an earlier model of the tenant; the current one does not read it
                }

                switch (schema.Definitions[ordinal].Kind)
                {
                    case AttributeKind.Number when value.ValueKind == JsonValueKind.Number:
                        attributes.Set(name, value.GetDouble());
                        break;
                    case AttributeKind.Boolean when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                        attributes.Set(name, value.GetBoolean());
                        break;
                    case AttributeKind.Text when value.ValueKind == JsonValueKind.String:
                        attributes.Set(name, value.GetString());
                        break;
                }
            }
        }

        var person = r.Person;
        var company = r.Company;
        return new Lead(new LeadId(r.Id!))
        {
            AccountId = string.IsNullOrEmpty(r.AccountId) ? null : new AccountId(r.AccountId),
            Person = person is null ? PersonProfile.Empty : new PersonProfile { Name = person.Name, Email = person.Email, JobTitle = person.JobTitle, Seniority = person.Seniority, Department = person.Department, Language = person.Language },
            Company = company is null ? CompanyProfile.Empty : new CompanyProfile { Name = company.Name, Domain = company.Domain, Industry = company.Industry, EmployeeCount = company.EmployeeCount, AnnualRevenue = company.AnnualRevenue, Country = company.Country, Region = company.Region },
            Source = r.Source,
            Campaign = r.Campaign,
            CreatedAt = r.CreatedAt,
            Attributes = attributes.Build(),
        };
    }

    /// <summary>The Alignment activities of stored activities.</summary>
    public static ImmutableArray<LeadActivity> ToActivities(List<ActivityRequest> activities)
    {
        var builder = ImmutableArray.CreateBuilder<LeadActivity>(activities.Count);
        foreach (var a in activities)
        {
            builder.Add(new LeadActivity(ParseActivityType(a.Type!), a.At!.Value) { Url = a.Url, Campaign = a.Campaign });
        }

        return builder.MoveToImmutable();
    }

    public static bool TryParseActivityType(string text, out ActivityType type) =>
        Enum.TryParse(text, ignoreCase: true, out type) && Enum.IsDefined(type) && !char.IsAsciiDigit(text[0]) && text[0] != '-';

    private static ActivityType ParseActivityType(string text) =>
        TryParseActivityType(text, out var type) ? type : throw new FormatException($"'{text}' is not an activity type.");

    public static string Camel(string name) => string.IsNullOrEmpty(name) ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
