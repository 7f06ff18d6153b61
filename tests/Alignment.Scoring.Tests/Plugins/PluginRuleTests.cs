using Alignment.Models;
using Alignment.Activities;
using Alignment.Leads;
using Alignment.Scoring.Definitions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alignment.Scoring.Tests.Plugins;

/// <summary>Plugin rules end to end with the sample <see cref="IntentDataRule"/>: DI, reference by name, caps, explanations, failures.</summary>
public sealed class PluginRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly AttributeSchema Schema = new([new AttributeDefinition(IntentDataRule.Attribute, AttributeKind.Number)]);

    private static string Model(string plugins) => $$$"""
        {
          "id": "plugins", "version": "1.0.0",
          "categories": [ {"id": "intent"} ],
          "thresholds": { "mql": {"score": 30} },
          "fit": [ {"id": "software", "points": 20, "when": {"field": "company.industry", "equals": "Software"}} ],
          "plugins": [ {{{plugins}}} ]
        }
        """;

    private static Lead Lead(double surge = double.NaN, AttributeSchema? schema = null)
    {
        var attributes = (schema ?? Schema).CreateBuilder();
        if (!double.IsNaN(surge))
        {
            attributes.Set(IntentDataRule.Attribute, surge);
        }

        return new Lead(new LeadId("L-42"))
        {
            Company = new CompanyProfile { Industry = "Software" },
            Person = new PersonProfile { Email = "ann@acme.com", Name = "Ann Example" },
            Attributes = attributes.Build(),
        };
    }

    private static ServiceProvider Provider(string json, bool registerPlugin = true)
    {
        var services = new ServiceCollection();
        services.AddSingleton(Schema);
        var scoring = services.AddAlignment().AddScoring(o => o.ModelJson = json);
        if (registerPlugin)
        {
            scoring.AddScoringRule<IntentDataRule>();
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static ScoringModel Compile(string json, params IScoringRule[] plugins) =>
        ScoringModel.Load(json, new ScoringModelOptions { Schema = Schema, PluginRules = plugins });

    [Fact]
    public void AddScoringRule_ModelRefersToItByName_IsCappedAndExplainedLikeABuiltInRule()
    {
        using var provider = Provider(Model("""{"id": "intent", "rule": "intent-data", "cap": 15, "category": "intent"}"""));
        provider.GetRequiredService<IStartupValidator>().Validate();
        var scorer = provider.GetRequiredService<ILeadScorer>();
        Assert.Same(provider.GetRequiredService<ScoringModel>(), scorer);

        var card = scorer.Score(Lead(surge: 90), [], Now); // raw (90 - 50) / 2 = 20, capped at 15
        ScoreContribution[] expected =
        [
            new("software", "default", ScoreComponent.Fit, 20m, 0),
            new("intent", "intent", ScoreComponent.Plugin, 15m, 0),
        ];
        Assert.True(expected.SequenceEqual(card.Explanation), string.Join("; ", card.Explanation));
        Assert.Equal(35m, card.Total);
        Assert.Equal(15m, card.Engagement);
        Assert.Equal(card.Total, card.Explanation.Sum(c => c.Points));
        Assert.Contains(new CategoryScore("intent", 15m), card.Categories);
        Assert.Equal(QualificationState.MarketingQualified, card.State);
    }

    [Theory]
    [InlineData(double.NaN, 0)]   // the provider had nothing: no points, and no explanation line
    [InlineData(40, 0)]
    [InlineData(70, 10)]
    [InlineData(83.25, 16.63)]    // raw 16.625: the engine rounds to hundredths, halves away from zero
    [InlineData(100, 25)]
    public void Evaluate_PointsAreRoundedToHundredths(double surge, double expected)
    {
        var model = Compile(Model("""{"id": "intent", "rule": "intent-data"}"""), new IntentDataRule(Schema));
        var card = model.Score(Lead(surge), [], Now);
        Assert.Equal(20m + (decimal)expected, card.Total);
        Assert.Equal(expected != 0, card.Explanation.Any(c => c.RuleId == "intent"));
        Assert.Equal(card.Total, model.Evaluate(Lead(surge), [], Now).Total);
    }

    [Fact]
    public void ScoreBatch_PluginPointsMatchScore()
    {
        var model = Compile(Model("""{"id": "intent", "rule": "intent-data", "cap": 12.5}"""), new IntentDataRule(Schema));
        Lead[] leads = [Lead(60), Lead(99), Lead()];
        var results = new LeadScore[leads.Length];
        model.ScoreBatch(leads, LeadActivities.None, Now, results);
        Assert.Equal([25m, 32.5m, 20m], results.Select(r => r.Total));
        Assert.Equal(leads.Select(l => model.Score(l, [], Now).Total), results.Select(r => r.Total));
    }

    [Fact]
    public void Score_PluginThrows_ScoringRuleExceptionNamesRuleAndLeadIdButNotTheEmail()
    {
        var model = Compile(Model("""{"id": "flaky-intent", "rule": "flaky"}"""), new ThrowingRule());
        var ex = Assert.Throws<ScoringRuleException>(() => model.Score(Lead(70), [], Now));
        Assert.Equal("flaky-intent", ex.RuleId);
        Assert.Equal("Scoring rule 'flaky-intent': plugin 'flaky' failed for lead L-42 with InvalidOperationException (see the inner exception)", ex.Message);
        Assert.DoesNotContain("ann@acme.com", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Ann Example", ex.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(ex.InnerException);

        var batch = Assert.Throws<ScoringRuleException>(() => model.ScoreBatch([Lead(70)], LeadActivities.None, Now, new LeadScore[1]));
        Assert.Equal(ex.Message, batch.Message);
    }

    [Fact]
    public void Score_PluginReturnsNaN_ScoringRuleException()
    {
        var model = Compile(Model("""{"id": "broken", "rule": "not-a-number"}"""), new NaNRule());
        var ex = Assert.Throws<ScoringRuleException>(() => model.Score(Lead(70), [], Now));
        Assert.Equal("broken", ex.RuleId);
        Assert.StartsWith("Scoring rule 'broken': plugin 'not-a-number' returned NaN for lead L-42; expected a finite number of points", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.InnerException);
        Assert.Throws<ScoringRuleException>(() => model.Evaluate(Lead(70), [], Now));
    }

    [Fact]
    public void Score_LeadWithAnotherSchema_ThePluginsArgumentExceptionIsWrapped()
    {
        var model = Compile(Model("""{"id": "intent", "rule": "intent-data"}"""), new IntentDataRule(Schema));
        var otherSchema = new AttributeSchema([new AttributeDefinition(IntentDataRule.Attribute, AttributeKind.Number)]);
        var ex = Assert.Throws<ScoringRuleException>(() => model.Score(Lead(70, otherSchema), [], Now));
        Assert.Equal("intent", ex.RuleId);
        Assert.IsType<ArgumentException>(ex.InnerException);
    }

    [Fact]
    public void Load_UnregisteredPluginName_ModelExceptionAtItsPath()
    {
        var ex = Assert.Throws<ModelException>(() => Compile(Model("""{"id": "intent", "rule": "intent-dta"}"""), new IntentDataRule(Schema)));
        var error = Assert.Single(ex.Errors);
        Assert.Equal("$.plugins[0].rule", error.Path);
        Assert.Equal("no registered scoring rule is named 'intent-dta' (registered: intent-data)", error.Message);
    }

    [Fact]
    public void ValidateOnStart_ModelNamesAPluginThatIsNotRegistered_FailsNamingTheOption()
    {
        using var provider = Provider(Model("""{"id": "intent", "rule": "intent-data"}"""), registerPlugin: false);
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal(typeof(ScoringOptions), ex.OptionsType);
        string failure = Assert.Single(ex.Failures);
        Assert.Equal(
            "ScoringOptions: 'ScoringOptions.ModelJson' is not a valid model (1 problem):" + Environment.NewLine +
            "  $.plugins[0].rule: no registered scoring rule is named 'intent-data' (registered: none)",
            failure);
    }

    [Fact]
    public void ValidateOnStart_NoModelConfigured_FailsNamingBothOptions()
    {
        var services = new ServiceCollection();
        services.AddAlignment().AddScoring(_ => { }).AddScoringRule<IntentDataRule>();
        services.AddSingleton(Schema);
        using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal("ScoringOptions.ModelPath / ModelJson: set exactly one of them.", Assert.Single(ex.Failures));
    }

    [Fact]
    public void AddScoringRule_Twice_RegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Schema);
        services.AddAlignment().AddScoring(o => o.ModelJson = Model("""{"id": "intent", "rule": "intent-data"}"""))
            .AddScoringRule<IntentDataRule>().AddScoringRule<IntentDataRule>();
        using var provider = services.BuildServiceProvider();
        Assert.Single(provider.GetServices<IScoringRule>());
        Assert.Equal(45m, provider.GetRequiredService<ScoringModel>().Score(Lead(100), [], Now).Total);
    }

    [Fact]
    public void Constructor_SchemaWithoutTheAttribute_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new IntentDataRule(AttributeSchema.Empty));
        Assert.StartsWith("The attribute schema needs a number attribute 'intentSurge' for the intent-data rule.", ex.Message, StringComparison.Ordinal);
    }

    private sealed class ThrowingRule : IScoringRule
    {
        public string Name => "flaky";

        public double Evaluate(Lead lead, ReadOnlySpan<LeadActivity> activities, in ScoringContext context) =>
            throw new InvalidOperationException("provider cache not warmed");
    }

    private sealed class NaNRule : IScoringRule
    {
        public string Name => "not-a-number";

        public double Evaluate(Lead lead, ReadOnlySpan<LeadActivity> activities, in ScoringContext context) => double.NaN;
    }
}
