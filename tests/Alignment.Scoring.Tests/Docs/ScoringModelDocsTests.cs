using Alignment.Models;
using System.Text.Json;
using Alignment.Docs.Tests;
using Alignment.Leads;
using Alignment.Scoring.Definitions;
using Alignment.Scoring.Tests.Plugins;
using Json.Schema;

namespace Alignment.Scoring.Tests.Docs;

/// <summary>
/// Keeps docs/scoring-model.md, docs/scoring-model.schema.json and docs/examples/scoring-model.json true: the example loads,
/// the schema accepts the example and the benchmark's model and rejects what the parser rejects, and the error shown in the
/// page is the one the engine really gives.
/// </summary>
public sealed class ScoringModelDocsTests
{
    private const string ExamplePath = "docs/examples/scoring-model.json";
    private const string PeerModelPath = "benchmarks/Alignment.Benchmarks/Scoring/peer-40.model.json";

    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(RepositoryFiles.Read("docs/scoring-model.schema.json"), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    private static readonly AttributeSchema ExampleSchema = new(
    [
        new AttributeDefinition("productInterest", AttributeKind.Text),
        new AttributeDefinition("isCustomer", AttributeKind.Boolean),
        new AttributeDefinition("intentSurge", AttributeKind.Number),
    ]);

    private static EvaluationResults Evaluate(string json)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return Schema.Value.Evaluate(doc.RootElement.Clone(), new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static string Describe(EvaluationResults results) =>
        string.Join(Environment.NewLine, (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")));

    [Fact]
    public void Example_LoadsWithTheSamplePlugin_AndItsExplanationAddsUp()
    {
        var model = ScoringModel.Load(RepositoryFiles.Read(ExamplePath), new ScoringModelOptions
        {
            Schema = ExampleSchema,
            PluginRules = [new IntentDataRule(ExampleSchema)],
            Document = ExamplePath,
        });
        Assert.Equal("acme-b2b-standard", model.Id);
        Assert.Equal(25, model.Definition.Rules.Length);

        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var lead = new Lead(new LeadId("L-1"))
        {
            Company = new CompanyProfile { Industry = "Software", EmployeeCount = 800, Country = "Canada" },
            Person = new PersonProfile { JobTitle = "VP Marketing", Email = "ann@acme.example" },
            Attributes = ExampleSchema.CreateBuilder().Set("intentSurge", 100d).Build(),
        };
        Activities.LeadActivity[] activities =
        [
            new(Activities.ActivityType.PageView, now.AddDays(-7)) { Url = "https://acme.example/pricing" },
            new(Activities.ActivityType.DemoRequested, now.AddDays(-1)),
        ];
        var card = model.Score(lead, activities, now);
        // fit 15 + 10 + 12 + 5 = 42 (grade D +1 +2/3 +1/3 = B); pricing 10 × 2^(−7/14) = 7.07; demo 40; intent 25 capped at 20.
        Assert.Equal(42m, card.Fit);
        Assert.Equal(Grade.B, card.Grade);
        Assert.Equal(109.07m, card.Total);
        Assert.Equal(card.Total, card.Explanation.Sum(c => c.Points));
        Assert.Equal(QualificationState.Hot, card.State);
    }

    [Theory]
    [InlineData(ExamplePath)]
    [InlineData(PeerModelPath)]
    public void Schema_AcceptsTheExampleAndTheBenchmarkModel(string path)
    {
        var results = Evaluate(RepositoryFiles.Read(path));
        Assert.True(results.IsValid, Describe(results));
    }

    [Theory]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "fit": [{"id": "a", "points": 5, "when": {"field": "company.industry", "equals": "x"}, "colour": "red"}]}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "fit": [{"id": "a", "points": 5, "when": {"field": "company.industry", "equals": "x", "in": ["y"]}}]}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "fit": [{"id": "a", "points": 5, "when": {"field": "company.industry"}}]}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "fit": [{"id": "a", "when": {"field": "company.industry", "equals": "x"}}]}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "fit": [{"id": "a", "points": 1, "when": {"field": "company.employeeCount", "between": [1]}}]}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "fit": [{"id": "a", "points": 1, "when": {"field": "attributes.plan", "isMissing": false}}]}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "fit": [{"id": "a", "points": 1, "grade": "+2", "when": {"field": "company.industry", "equals": "x"}}]}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50, "minGrade": "E"}}}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"hot": {"score": 50}}}""")]
    [InlineData("""{"id": "m", "version": "1.0.0"}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "textComparison": "caseless"}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "engagement": [{"id": "e", "activity": "carrierPigeon", "points": 1}]}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "engagement": [{"id": "e", "activity": "pageView", "points": 1, "decay": {"halfLifeDays": 7, "steps": [{"afterDays": 1, "factor": 0.5}]}}]}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "engagement": [{"id": "e", "activity": "pageView", "points": 1, "windowDays": 1.5}]}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "negative": [{"id": "n", "points": -1}]}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "negative": [{"id": "n", "inactiveDays": 30, "points": -1, "activity": "bounced"}]}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "plugins": [{"id": "p"}]}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "attributes": [{"name": "plan", "type": "string"}]}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "engagement": [{"id": "e", "activity": "pageView", "points": 1, "windowDays": 10675200}]}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "engagement": [{"id": "e", "activity": "pageView", "points": 1, "decay": {"steps": [{"afterDays": 36501, "factor": 0.5}]}}]}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "engagement": [{"id": "e", "activity": "pageView", "points": 1, "decay": {"halfLifeDays": 1e9}}]}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "negative": [{"id": "n", "inactiveDays": 36501, "points": -1}]}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "fit": [{"id": "soft\tware", "points": 5, "when": {"field": "company.industry", "equals": "x"}}]}""")]
    [InlineData("""{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 50}}, "fit": [{"id": "a", "points": 5, "when": {"field": "company.industry", "equals": "x"}}], "categories": [{"id": "x\u202Ey"}]}""")]
    public void Schema_RejectsWhatTheParserRejects(string json)
    {
        Assert.Throws<ModelException>(() => ScoringModelJson.Parse(json));
        Assert.False(Evaluate(json).IsValid, json);
    }

    [Fact]
    public void Schema_PropertyNames_AreExactlyThoseTheParserAccepts()
    {
        // The parser's vocabulary, read off its own canonical writer (every section, rule kind, decay kind and operator) plus the
        // members the writer leaves out (description, $schema) and the field operators.
        var definition = ScoringModelJson.Parse(RepositoryFiles.Read(ExamplePath));
        var parserNames = new SortedSet<string>(StringComparer.Ordinal) { "$schema", "description", "equals", "in", "between", "gt", "gte", "lt", "lte", "contains", "containsAny", "startsWith", "isMissing", "all", "any", "not" };
        CollectNames(JsonDocument.Parse(ScoringModelJson.Write(definition)).RootElement, parserNames);

        var schemaNames = new SortedSet<string>(StringComparer.Ordinal);
        CollectSchemaPropertyNames(JsonDocument.Parse(RepositoryFiles.Read("docs/scoring-model.schema.json")).RootElement, schemaNames);
        Assert.Equal(parserNames, schemaNames);
    }

    [Fact]
    public void Page_ValidationExample_ShowsTheEnginesRealMessage()
    {
        var blocks = MarkdownBlocks.Read(RepositoryFiles.Read("docs/scoring-model.md"));
        var model = Assert.Single(blocks, b => b.Marker == "validation-example: model");
        var shown = Assert.Single(blocks, b => b.Marker == "validation-example: error");
        var ex = Assert.Throws<ModelException>(() => ScoringModelJson.Parse(model.Text, "acme.json"));
        Assert.Equal(shown.Text.ReplaceLineEndings("\n"), ex.Message.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void GettingStarted_PrintsWhatThePageShows()
    {
        // The page's program, with its clock fixed: the output shown must be what the engine gives.
        var blocks = MarkdownBlocks.Read(RepositoryFiles.Read("docs/getting-started.md"));
        string json = Assert.Single(blocks, b => b.Marker == "getting-started: model").Text;
        string shown = Assert.Single(blocks, b => b.Marker == "getting-started: output").Text;
        var schema = new AttributeSchema([new AttributeDefinition("isCustomer", AttributeKind.Boolean)]);
        var model = ScoringModel.Load(json, new ScoringModelOptions { Schema = schema, Document = "scoring-model.json" });
        var lead = new Lead(new LeadId("00Q5e000001"))
        {
            Company = new CompanyProfile { Industry = "Software", EmployeeCount = 800 },
            Person = new PersonProfile { JobTitle = "VP Engineering", Email = "ann@acme.example" },
            Attributes = schema.CreateBuilder().Set("isCustomer", false).Build(),
        };
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        Activities.LeadActivity[] activities = [new(Activities.ActivityType.DemoRequested, now.AddDays(-2)), new(Activities.ActivityType.PageView, now.AddDays(-7)) { Url = "https://acme.example/pricing" }];
        var card = model.Score(lead, activities, now);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var printed = new List<string> { string.Create(inv, $"{card.Total} points (fit {card.Fit}, engagement {card.Engagement}), grade {card.Grade.ToLetter()}, {card.State}") };
        printed.AddRange(card.Explanation.Select(line => string.Create(inv, $"  {line.RuleId,-16} {line.Points,7}  {line.Component}")));
        Assert.Equal(shown.ReplaceLineEndings("\n"), string.Join("\n", printed));
    }

    private static void CollectNames(JsonElement e, ISet<string> names)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    names.Add(p.Name);
                    CollectNames(p.Value, names);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    CollectNames(item, names);
                }

                break;
        }
    }

    private static void CollectSchemaPropertyNames(JsonElement e, ISet<string> names)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Name == "properties" && p.Value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var declared in p.Value.EnumerateObject())
                        {
                            names.Add(declared.Name);
                        }
                    }

                    CollectSchemaPropertyNames(p.Value, names);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    CollectSchemaPropertyNames(item, names);
                }

                break;
        }
    }
}
