using System.Collections.Immutable;
using System.Text;
using Alignment.Models;
using Alignment.Scoring.Definitions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alignment.Scoring.Tests.Definitions;

/// <summary>
/// What a hostile or careless model file cannot do any more: be read differently from how it was reviewed (properties given twice),
/// exhaust the host (huge day counts, huge files) or hide text (control characters in names).
/// </summary>
public sealed class ScoringModelHardeningTests
{
    private static ModelException Fails(string json, ModelReadLimits? limits = null) =>
        Assert.Throws<ModelException>(() => ScoringModelJson.Parse(json, "m.json", limits));

    private static string Engagement(string rule) => TestData.Model($$"""
        "engagement": [ {"id": "e", "activity": "pageView", "points": 5{{rule}}} ]
        """);

    [Fact]
    public void Parse_PropertyGivenTwice_IsRefusedWithItsPath_NotTheLastValueWins()
    {
        var points = Fails(TestData.Model("""
            "fit": [ {"id": "software", "points": 15, "points": 999999, "when": {"field": "company.industry", "equals": "Software"}} ]
            """));
        var fit = Fails(TestData.Model("""
            "fit": [ {"id": "software", "points": 15, "when": {"field": "company.industry", "equals": "Software"}} ], "fit": []
            """));

        var error = Assert.Single(points.Errors);
        Assert.Equal("$.fit[0].points", error.Path);
        Assert.StartsWith("the property 'points' appears more than once in this object", error.Message, StringComparison.Ordinal);
        Assert.Equal("$.fit", Assert.Single(fit.Errors).Path);
    }

    [Fact]
    public void Load_PropertyGivenTwice_IsRefused()
    {
        string json = TestData.Model("""
            "fit": [ {"id": "software", "points": 15, "points": 999999, "when": {"field": "company.industry", "equals": "Software"}} ]
            """);

        var ex = Assert.Throws<ModelException>(() => ScoringModel.Load(json, new ScoringModelOptions { Schema = TestData.Schema, Document = "m.json" }));

        Assert.Equal("$.fit[0].points", Assert.Single(ex.Errors).Path);
        Assert.StartsWith("'m.json' is not a valid model (1 problem):", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2_147_483_647)]
    [InlineData(200_000_000)]
    [InlineData(36_501)]
    [InlineData(0)]
    public void Parse_DecayStepBeyondAHundredYears_IsRefusedWithTheRange(int afterDays)
    {
        var ex = Fails(Engagement($$""", "decay": {"steps": [{"afterDays": {{afterDays}}, "factor": 0.5}]}"""));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("$.engagement[0].decay.steps[0].afterDays", error.Path);
        Assert.Equal($"must be from 1 to 36,500 days, found {afterDays}", error.Message);
    }

    [Fact]
    public void Load_HugeDecayStep_IsAnInvalidModel_NotAnOutOfMemoryException()
    {
        string json = Engagement(""", "decay": {"steps": [{"afterDays": 2147483647, "factor": 0.5}]}""");

        var ex = Assert.Throws<ModelException>(() => ScoringModel.Load(json, new ScoringModelOptions { Schema = TestData.Schema }));

        Assert.Equal("$.engagement[0].decay.steps[0].afterDays", Assert.Single(ex.Errors).Path);
    }

    [Theory]
    [InlineData(""", "windowDays": 10675200""", "$.engagement[0].windowDays", "the window must be from 1 to 36,500 days, found 10675200")]
    [InlineData(""", "windowDays": 36501""", "$.engagement[0].windowDays", "the window must be from 1 to 36,500 days, found 36501")]
    [InlineData(""", "decay": {"halfLifeDays": 1e9}""", "$.engagement[0].decay.halfLifeDays", "the half-life must be more than 0 and at most 36,500 days, found 1000000000")]
    public void Parse_DayCountsBeyondAHundredYears_AreRefusedWithTheRange(string rule, string path, string message)
    {
        var error = Assert.Single(Fails(Engagement(rule)).Errors);

        Assert.Equal(path, error.Path);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_InactivityBeyondAHundredYears_And_MoreThanAHundredDecaySteps_AreRefused()
    {
        string steps = string.Join(", ", Enumerable.Range(1, 101).Select(i => $$"""{"afterDays": {{i}}, "factor": 0.5}"""));
        var ex = Fails(TestData.Model($$$"""
            "engagement": [ {"id": "e", "activity": "pageView", "points": 5, "decay": {"steps": [{{{steps}}}]}} ],
            "negative": [ {"id": "n", "inactiveDays": 1000000, "points": -5} ]
            """));

        Assert.Equal(
        [
            "$.engagement[0].decay.steps: a decay has from 1 to 100 steps, found 101",
            "$.negative[0].inactiveDays: must be from 1 to 36,500 days, found 1000000",
        ], ex.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_DefinitionBuiltInCode_BoundsTheDaysToo()
    {
        var definition = ScoringModelJson.Parse(Engagement(""", "windowDays": 30"""));
        var rule = (ActivityRuleDefinition)definition.Rules[0];
        var huge = definition with
        {
            Rules = [rule with { WindowDays = int.MaxValue, Decay = new DecayDefinition.Stepped(ImmutableArray.Create(new DecayStep(int.MaxValue, 0.5))) }],
        };

        var errors = ScoringModelValidator.Validate(huge);

        Assert.Equal(["$.engagement[0].windowDays", "$.engagement[0].decay.steps[0].afterDays"], errors.Select(e => e.Path));
        Assert.Throws<ModelException>(() => ScoringModel.Compile(huge, new ScoringModelOptions { Schema = TestData.Schema }));
    }

    [Fact]
    public void Parse_ControlCharactersInIdentifiers_AreRefusedWithTheirPath()
    {
        // Tab and line feed pass the JSON guard (they may appear in descriptions) but not in a name.
        var ex = Fails("""
            {
              "id": "acme\n", "version": "1.0.0\n",
              "attributes": [ {"name": "pl\tan", "type": "text"} ],
              "categories": [ {"id": "a\rb"} ],
              "thresholds": { "mql": {"score": 50} },
              "fit": [ {"id": "soft\tware", "points": 15, "when": {"field": "indus\ntry", "equals": "Software"}} ],
              "plugins": [ {"id": "p", "rule": "intent\u202Edata", "category": "x\ty"} ]
            }
            """);

        Assert.Equal(
        [
            "$.id: the model id cannot hold control or bidirectional formatting characters; found U+000A at position 5",
            "$.version: expected a semantic version such as 1.2.0, found \"1.0.0\n\"",
            "$.attributes[0].name: an attribute name cannot hold control or bidirectional formatting characters; found U+0009 at position 3",
            "$.categories[0].id: a category id cannot hold control or bidirectional formatting characters; found U+000D at position 2",
            "$.fit[0].id: a rule id cannot hold control or bidirectional formatting characters; found U+0009 at position 5",
            "$.fit[0].when.field: a field name cannot hold control or bidirectional formatting characters; found U+000A at position 6",
            "$.plugins[0].category: a category cannot hold control or bidirectional formatting characters; found U+0009 at position 2",
            "$.plugins[0].rule: a plugin rule name cannot hold control or bidirectional formatting characters; found U+202E at position 7",
        ], ex.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_ControlCharacterTheGuardRefuses_IsReportedWithItsPath()
    {
        var ex = Fails(TestData.Model("""
            "fit": [ {"id": "soft\u0007ware", "points": 15, "when": {"field": "company.industry", "equals": "Software"}} ]
            """));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("$.fit[0].id", error.Path);
        Assert.Contains("U+0007", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TwentyMegabyteModel_IsRefusedByDefault_AndReadWithARaisedLimit()
    {
        var json = new StringBuilder(TestData.Model("""
            "fit": [ {"id": "software", "points": 15, "when": {"field": "company.industry", "equals": "Software"}} ]
            """)).Append(' ', 20 * 1024 * 1024).ToString();

        var error = Assert.Single(Fails(json).Errors);
        var read = ScoringModelJson.Parse(json, "m.json", new ModelReadLimits { MaxBytes = 32L * 1024 * 1024 });

        Assert.Equal("$", error.Path);
        Assert.Contains("over the limit of 16,777,216", error.Message, StringComparison.Ordinal);
        Assert.Contains("ModelReadLimits.MaxBytes", error.Message, StringComparison.Ordinal);
        Assert.Equal("software", Assert.Single(read.Rules).Id);
    }

    [Fact]
    public void Load_LimitsFromTheOptions_AreEnforced()
    {
        string json = TestData.Model("""
            "fit": [ {"id": "software", "points": 15, "when": {"field": "company.industry", "in": ["Software", "SaaS", "Cloud", "Data"]}} ]
            """);
        var options = new ScoringModelOptions { Schema = TestData.Schema, Limits = new ModelReadLimits { MaxArrayLength = 3 } };

        var ex = Assert.Throws<ModelException>(() => ScoringModel.Load(json, options));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("$.fit[0].when.in", error.Path);
        Assert.Contains("more than 3 items", error.Message, StringComparison.Ordinal);
        Assert.Equal("software", ScoringModel.Load(json, new ScoringModelOptions { Schema = TestData.Schema }).Definition.Rules[0].Id);
    }

    [Fact]
    public void ValidateOnStart_ModelPathThatNeverEnds_FailsWithTheLimit_WithoutReadingIt()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /dev/zero
        }

        var services = new ServiceCollection();
        services.AddAlignment().AddScoring(o =>
        {
            o.ModelPath = "/dev/zero";
            o.Limits = new ModelReadLimits { MaxBytes = 1024 };
        });
        services.AddSingleton(TestData.Schema);
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        string failure = Assert.Single(ex.Failures);
        Assert.Contains("'/dev/zero' is not a valid model", failure, StringComparison.Ordinal);
        Assert.Contains("the file is more than 1,024 bytes, over the limit of 1,024", failure, StringComparison.Ordinal);
    }
}
