using System.Text.Json.Nodes;
using Alignment.Benchmarks.Scoring;
using Alignment.Scoring;

namespace Alignment.Benchmarks.Tests.Scoring;

public sealed class ModelGeneratorTests
{
    private static readonly HashSet<string> BuiltInFields =
    [
        "company.industry", "company.employeeCount", "company.annualRevenue", "company.country", "company.region", "company.name",
        "company.domain", "person.jobTitle", "person.seniority", "person.department", "person.language", "person.emailDomain",
        "lead.source", "lead.campaign",
    ];

    private static readonly HashSet<string> LeafOperators =
        ["equals", "in", "between", "gt", "gte", "lt", "lte", "contains", "containsAny", "startsWith", "isMissing"];

    [Fact]
    public void Generate_TwoHundredRules_IsAValidModelUsingEveryOperator()
    {
        JsonNode model = JsonNode.Parse(ModelGenerator.Generate(200))!;
        Assert.Equal("generated-200", (string?)model["id"]);
        Assert.Equal("1.0.0", (string?)model["version"]);
        Assert.Equal("ignoreCase", (string?)model["textComparison"]);
        Assert.NotNull(model["thresholds"]!["mql"]);
        JsonArray fit = model["fit"]!.AsArray();
        Assert.Equal(200, fit.Count);
        Assert.Equal(200, fit.Select(r => (string)r!["id"]!).Distinct(StringComparer.Ordinal).Count());

        var declared = model["attributes"]!.AsArray().ToDictionary(a => (string)a!["name"]!, a => (string)a!["type"]!);
        var operators = new HashSet<string>(StringComparer.Ordinal);
        var valueKinds = new HashSet<string>(StringComparer.Ordinal);
        var customRead = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonNode? rule in fit)
        {
            Assert.NotEqual(0, (int)rule!["points"]!);
            Assert.Null(rule["grade"]);
            Walk(rule["when"]!, declared, operators, valueKinds, customRead);
        }

        Assert.Equal([.. LeafOperators, "all", "any", "not"], operators.Order(StringComparer.Ordinal).ToHashSet());
        Assert.Superset(new HashSet<string> { "equals:String", "equals:Number", "equals:True", "equals:False" }, valueKinds);
        Assert.Equal(customRead.Order(StringComparer.Ordinal), declared.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(12, declared.Count);
    }

    [Theory]
    [InlineData(1, "ignoreCase")]
    [InlineData(200, "ignoreCase")]
    [InlineData(200, "ordinal")]
    public void Generate_LoadsAsAScoringModel(int ruleCount, string textComparison)
    {
        // The benchmarks load what the generator writes: a field name the model format no longer accepts fails here, not
        // in the benchmark step of CI.
        ScoringModel model = ScoringModel.Load(
            ModelGenerator.Generate(ruleCount, textComparison), new ScoringModelOptions { Schema = PeerAttributes.Schema, Document = "generated" });
        Assert.Equal(ruleCount, model.Definition.Rules.Length);
    }

    [Fact]
    public void Generate_SameArguments_SameDocument() =>
        Assert.Equal(ModelGenerator.Generate(50, "ordinal"), ModelGenerator.Generate(50, "ordinal"));

    [Fact]
    public void Generate_OneRule_DeclaresNoUnusedAttribute()
    {
        JsonNode model = JsonNode.Parse(ModelGenerator.Generate(1))!;
        Assert.Single(model["fit"]!.AsArray());
        Assert.Empty(model["attributes"]!.AsArray());
    }

    [Fact]
    public void Generate_BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelGenerator.Generate(0));
        Assert.Throws<ArgumentException>(() => ModelGenerator.Generate(10, "culture"));
    }

    private static void Walk(JsonNode condition, Dictionary<string, string> declared, HashSet<string> operators, HashSet<string> valueKinds, HashSet<string> customRead)
    {
        JsonObject node = condition.AsObject();
        if (node["field"] is JsonNode fieldNode)
        {
            Assert.Equal(2, node.Count);
            string field = (string)fieldNode!;
            if (!BuiltInFields.Contains(field))
            {
                Assert.StartsWith("attributes.", field, StringComparison.Ordinal);
                field = field["attributes.".Length..];
                Assert.True(declared.ContainsKey(field), $"Field 'attributes.{field}' is neither built in nor declared.");
                customRead.Add(field);
            }

            (string op, JsonNode? value) = node.Single(p => p.Key != "field");
            Assert.Contains(op, LeafOperators);
            operators.Add(op);
            if (op == "equals")
            {
                valueKinds.Add("equals:" + value!.GetValueKind());
                if (declared.TryGetValue(field, out string? type))
                {
                    Assert.Equal(type == "boolean", value.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False);
                }
            }
            else if (op == "between")
            {
                JsonArray range = value!.AsArray();
                Assert.Equal(2, range.Count);
                Assert.True((double)range[0]! <= (double)range[1]!);
            }
            else if (op is "in" or "containsAny")
            {
                Assert.NotEmpty(value!.AsArray());
            }

            return;
        }

        (string combinator, JsonNode? body) = Assert.Single(node);
        operators.Add(combinator);
        if (combinator == "not")
        {
            Walk(body!, declared, operators, valueKinds, customRead);
        }
        else
        {
            Assert.Contains(combinator, new[] { "all", "any" });
            Assert.NotEmpty(body!.AsArray());
            foreach (JsonNode? child in body!.AsArray())
            {
                Walk(child!, declared, operators, valueKinds, customRead);
            }
        }
    }
}
