using System.Text.Json.Nodes;
using Alignment.Benchmarks.Scoring;

namespace Alignment.Benchmarks.Tests.Scoring;

public sealed class ScoringPeersModelTests
{
    private static readonly Dictionary<PeerField, string> BuiltInFields = new()
    {
        [PeerField.Industry] = "company.industry",
        [PeerField.EmployeeCount] = "company.employeeCount",
        [PeerField.AnnualRevenue] = "company.annualRevenue",
        [PeerField.Country] = "company.country",
        [PeerField.JobTitle] = "person.jobTitle",
        [PeerField.Seniority] = "person.seniority",
        [PeerField.Department] = "person.department",
        [PeerField.LeadSource] = "lead.source",
        [PeerField.Campaign] = "lead.campaign",
        [PeerField.EmailDomain] = "person.emailDomain",
        [PeerField.Company] = "company.name",
    };

    [Fact]
    public void Json_Header_IsTheOrdinalPeerModelWithItsThresholdsAndOneUncappedCategory()
    {
        JsonNode model = JsonNode.Parse(ScoringPeersModel.Json)!;
        Assert.Equal(ScoringPeersModel.Id, (string?)model["id"]);
        Assert.Equal("1.0.0", (string?)model["version"]);
        Assert.Equal("ordinal", (string?)model["textComparison"]);
        Assert.Equal("""[{"id":"default"}]""", model["categories"]!.ToJsonString());
        Assert.Equal("""{"mql":{"score":60,"minGrade":"F"},"hot":{"score":120,"minGrade":"F"}}""", model["thresholds"]!.ToJsonString());
        Assert.Null(model["engagement"]);
        Assert.Null(model["negative"]);
    }

    [Fact]
    public void Json_FitRules_AreTheFortyPeerRulesTranslatedWithoutGrades()
    {
        JsonArray fit = JsonNode.Parse(ScoringPeersModel.Json)!["fit"]!.AsArray();
        Assert.Equal(PeerRules.All.Length, fit.Count);
        for (int i = 0; i < fit.Count; i++)
        {
            PeerRule rule = PeerRules.All[i];
            var expected = new JsonObject { ["id"] = rule.Name, ["points"] = rule.Points, ["when"] = Translate(rule.When) };
            Assert.Equal(expected.ToJsonString(), fit[i]!.ToJsonString());
        }
    }

    [Fact]
    public void Json_Attributes_DeclareExactlyTheCustomAttributesTheRulesRead_WithTheSchemaTypes()
    {
        JsonNode model = JsonNode.Parse(ScoringPeersModel.Json)!;
        var declared = model["attributes"]!.AsArray().ToDictionary(a => (string)a!["name"]!, a => (string)a!["type"]!);
        var read = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonNode? rule in model["fit"]!.AsArray())
        {
            CollectFields(rule!["when"]!, read);
        }

        read.ExceptWith(BuiltInFields.Values);
        Assert.All(read, name => Assert.StartsWith("attributes.", name, StringComparison.Ordinal));
        read = [.. read.Select(name => name["attributes.".Length..])];
        Assert.Equal(read.Order(StringComparer.Ordinal), declared.Keys.Order(StringComparer.Ordinal));
        foreach ((string name, string type) in declared)
        {
            Assert.True(PeerAttributes.Schema.TryGetOrdinal(name, out int ordinal), name);
            Assert.Equal(PeerAttributes.Schema.Definitions[ordinal].Kind == Alignment.Leads.AttributeKind.Boolean ? "boolean" : "number", type);
        }
    }

    private static void CollectFields(JsonNode condition, HashSet<string> fields)
    {
        if (condition["field"] is JsonNode field)
        {
            fields.Add((string)field!);
            return;
        }

        foreach ((string key, JsonNode? value) in condition.AsObject())
        {
            if (key is "all" or "any")
            {
                foreach (JsonNode? child in value!.AsArray())
                {
                    CollectFields(child!, fields);
                }
            }
            else if (key == "not")
            {
                CollectFields(value!, fields);
            }
        }
    }

    private static string FieldName(PeerField field) =>
        BuiltInFields.TryGetValue(field, out string? name) ? name : "attributes." + char.ToLowerInvariant(field.ToString()[0]) + field.ToString()[1..];

    private static JsonValue Number(double value) => JsonValue.Create((long)value);

    private static JsonObject Translate(PeerCondition condition) => condition switch
    {
        PeerCondition.OneOf c => new JsonObject { ["field"] = FieldName(c.Field), ["in"] = new JsonArray([.. c.Values.Select(v => (JsonNode)v)]) },
        PeerCondition.TextEquals c => new JsonObject { ["field"] = FieldName(c.Field), ["equals"] = c.Value },
        PeerCondition.Between c => new JsonObject { ["field"] = FieldName(c.Field), ["between"] = new JsonArray(Number(c.Low), Number(c.High)) },
        PeerCondition.Compare c => new JsonObject
        {
            ["field"] = FieldName(c.Field),
            [c.Operator switch
            {
                PeerComparison.Equal => "equals",
                PeerComparison.Greater => "gt",
                PeerComparison.GreaterOrEqual => "gte",
                PeerComparison.Less => "lt",
                _ => "lte",
            }] = Number(c.Value),
        },
        PeerCondition.Flag c => new JsonObject { ["field"] = FieldName(c.Field), ["equals"] = c.Expected },
        PeerCondition.ContainsAny c => new JsonObject { ["field"] = FieldName(c.Field), ["containsAny"] = new JsonArray([.. c.Substrings.Select(v => (JsonNode)v)]) },
        PeerCondition.All c => new JsonObject { ["all"] = new JsonArray([.. c.Conditions.Select(x => (JsonNode)Translate(x))]) },
        PeerCondition.Any c => new JsonObject { ["any"] = new JsonArray([.. c.Conditions.Select(x => (JsonNode)Translate(x))]) },
        _ => throw new InvalidOperationException(condition.GetType().Name),
    };
}
