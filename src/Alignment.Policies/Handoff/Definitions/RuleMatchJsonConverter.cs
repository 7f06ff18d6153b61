using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Alignment.Leads;

namespace Alignment.Policies.Handoff.Definitions;

/// <summary>
/// Reads and writes a rule's <c>match</c> object, whose keys are fields of the one lead-field catalogue (<see cref="LeadFields"/>):
/// a text field takes a list of values (<c>"company.country": ["GB", "IE"]</c>), <c>company.country</c> also an object with
/// <c>notIn</c> and optionally <c>in</c>, and <c>score.total</c> and <c>score.grade</c> an object with <c>atLeast</c> and <c>atMost</c>.
/// </summary>
internal sealed class RuleMatchJsonConverter : JsonConverter<RuleMatchDefinition>
{
    private const string AtLeast = "atLeast";
    private const string AtMost = "atMost";

    // The keys of the format before the catalogue, for the suggestion when a policy still uses one.
    private static readonly Dictionary<string, string> FormerKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["segments"] = "segment.id", ["countries"] = "company.country", ["excludeCountries"] = "company.country (with notIn)",
        ["regions"] = "company.region", ["languages"] = "person.language", ["sources"] = "lead.source", ["accounts"] = "lead.accountId",
        ["domains"] = "lead.domain", ["states"] = "score.state", ["minScore"] = "score.total (with atLeast)",
        ["maxScore"] = "score.total (with atMost)", ["minGrade"] = "score.grade (with atLeast)", ["maxGrade"] = "score.grade (with atMost)",
    };

    /// <summary>The fields a routing match reads, in the order they are written.</summary>
    internal static readonly string[] Fields =
    [
        LeadFields.SegmentId.Name, LeadFields.CompanyCountry.Name, LeadFields.CompanyRegion.Name, LeadFields.PersonLanguage.Name,
        LeadFields.LeadSource.Name, LeadFields.LeadAccountId.Name, LeadFields.LeadDomain.Name, LeadFields.ScoreState.Name,
        LeadFields.ScoreTotal.Name, LeadFields.ScoreGrade.Name,
    ];

    public override RuleMatchDefinition Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject, "a match is an object whose keys are lead fields, such as {\"company.country\": [\"GB\"]}");
        var match = new RuleMatchDefinition();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            string? field = Array.Find(Fields, f => string.Equals(f, key, StringComparison.OrdinalIgnoreCase));
            if (field is null)
            {
                throw new JsonException(Unknown(key));
            }

            if (!seen.Add(field))
            {
                throw new JsonException($"the match names '{field}' twice");
            }

            reader.Read();
            match = field switch
            {
                _ when field == LeadFields.SegmentId.Name => match with { Segments = List(ref reader, field) },
                _ when field == LeadFields.CompanyCountry.Name => ReadCountry(ref reader, match),
                _ when field == LeadFields.CompanyRegion.Name => match with { Regions = List(ref reader, field) },
                _ when field == LeadFields.PersonLanguage.Name => match with { Languages = List(ref reader, field) },
                _ when field == LeadFields.LeadSource.Name => match with { Sources = List(ref reader, field) },
                _ when field == LeadFields.LeadAccountId.Name => match with { Accounts = List(ref reader, field) },
                _ when field == LeadFields.LeadDomain.Name => match with { Domains = List(ref reader, field) },
                _ when field == LeadFields.ScoreState.Name => match with { States = List(ref reader, field) },
                _ when field == LeadFields.ScoreTotal.Name => ReadScore(ref reader, match),
                _ => ReadGrade(ref reader, match),
            };
        }

        return match;
    }

    public override void Write(Utf8JsonWriter writer, RuleMatchDefinition value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        WriteList(writer, LeadFields.SegmentId.Name, value.Segments);
        if (value.ExcludeCountries is not null)
        {
            writer.WriteStartObject(LeadFields.CompanyCountry.Name);
            WriteList(writer, "in", value.Countries);
            WriteList(writer, "notIn", value.ExcludeCountries);
            writer.WriteEndObject();
        }
        else
        {
            WriteList(writer, LeadFields.CompanyCountry.Name, value.Countries);
        }

        WriteList(writer, LeadFields.CompanyRegion.Name, value.Regions);
        WriteList(writer, LeadFields.PersonLanguage.Name, value.Languages);
        WriteList(writer, LeadFields.LeadSource.Name, value.Sources);
        WriteList(writer, LeadFields.LeadAccountId.Name, value.Accounts);
        WriteList(writer, LeadFields.LeadDomain.Name, value.Domains);
        WriteList(writer, LeadFields.ScoreState.Name, value.States);
        if (value.MinScore is not null || value.MaxScore is not null)
        {
            writer.WriteStartObject(LeadFields.ScoreTotal.Name);
            if (value.MinScore is { } min)
            {
                writer.WriteNumber(AtLeast, min);
            }

            if (value.MaxScore is { } max)
            {
                writer.WriteNumber(AtMost, max);
            }

            writer.WriteEndObject();
        }

        if (value.MinGrade is not null || value.MaxGrade is not null)
        {
            writer.WriteStartObject(LeadFields.ScoreGrade.Name);
            if (value.MinGrade is { } min)
            {
                writer.WriteString(AtLeast, min);
            }

            if (value.MaxGrade is { } max)
            {
                writer.WriteString(AtMost, max);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>The JSON path of a match key, such as <c>$.rules[0].match['company.country']</c>.</summary>
    internal static string KeyPath(string matchPath, string field) => $"{matchPath}['{field}']";

    private static string Unknown(string key)
    {
        if (LeadFields.TryGet(key, out var known))
        {
            return $"a routing match does not read '{known.Name}'; match on {string.Join(", ", Fields)}, or give such leads a segment and match segment.id";
        }

        string text = $"unknown field '{key}'; a routing match reads {string.Join(", ", Fields)}";
        string? suggestion = FormerKeys.TryGetValue(key, out string? former) ? former
            : LeadFields.Suggest(key) is { } close && Fields.Contains(close.Name) ? close.Name : null;
        return suggestion is null ? text : $"{text} (did you mean '{suggestion}'?)";
    }

    private static RuleMatchDefinition ReadCountry(ref Utf8JsonReader reader, RuleMatchDefinition match)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return match with { Countries = List(ref reader, LeadFields.CompanyCountry.Name) };
        }

        List<string>? include = null;
        List<string>? exclude = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            reader.Read();
            switch (key)
            {
                case "in" when include is null: include = List(ref reader, "company.country.in"); break;
                case "notIn" when exclude is null: exclude = List(ref reader, "company.country.notIn"); break;
                default: throw new JsonException($"'{key}' is not allowed here (or given twice); company.country takes a list, or an object with in and notIn");
            }
        }

        return exclude is null
            ? throw new JsonException("an object for company.country needs notIn; for countries to include alone, give a list")
            : match with { Countries = include, ExcludeCountries = exclude };
    }

    private static RuleMatchDefinition ReadScore(ref Utf8JsonReader reader, RuleMatchDefinition match)
    {
        Expect(ref reader, JsonTokenType.StartObject, "score.total takes an object with atLeast and atMost, such as {\"atLeast\": 50}");
        decimal? min = null;
        decimal? max = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out decimal value))
            {
                throw new JsonException($"score.total.{key} must be a number");
            }

            switch (key)
            {
                case AtLeast when min is null: min = value; break;
                case AtMost when max is null: max = value; break;
                default: throw new JsonException($"'{key}' is not allowed here (or given twice); score.total takes atLeast and atMost");
            }
        }

        return min is null && max is null
            ? throw new JsonException("score.total needs atLeast, atMost or both; an empty object would match every lead")
            : match with { MinScore = min, MaxScore = max };
    }

    private static RuleMatchDefinition ReadGrade(ref Utf8JsonReader reader, RuleMatchDefinition match)
    {
        Expect(ref reader, JsonTokenType.StartObject, "score.grade takes an object with atLeast and atMost, such as {\"atLeast\": \"B\"}");
        string? min = null;
        string? max = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"score.grade.{key} must be a grade letter such as \"B\"");
            }

            switch (key)
            {
                case AtLeast when min is null: min = reader.GetString(); break;
                case AtMost when max is null: max = reader.GetString(); break;
                default: throw new JsonException($"'{key}' is not allowed here (or given twice); score.grade takes atLeast and atMost");
            }
        }

        return min is null && max is null
            ? throw new JsonException("score.grade needs atLeast, atMost or both; an empty object would match every lead")
            : match with { MinGrade = min, MaxGrade = max };
    }

    private static List<string> List(ref Utf8JsonReader reader, string what)
    {
        Expect(ref reader, JsonTokenType.StartArray, $"{what} takes a list of values, such as [\"a\", \"b\"]");
        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(reader.TokenType == JsonTokenType.String
                ? reader.GetString()!
                : throw new JsonException(string.Create(CultureInfo.InvariantCulture, $"{what}[{values.Count}] must be a string")));
        }

        return values;
    }

    private static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (string v in values)
        {
            writer.WriteStringValue(v);
        }

        writer.WriteEndArray();
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token, string message)
    {
        if (reader.TokenType != token)
        {
            throw new JsonException(message);
        }
    }
}
