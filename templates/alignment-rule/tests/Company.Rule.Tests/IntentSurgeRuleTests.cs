using Alignment.Leads;
using Alignment.Scoring;
using Alignment.Testing;
using Company.Rule;
using Xunit;

namespace Company.Rule.Tests;

public sealed class IntentSurgeRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    // The attributes the model declares; the rule resolves intentSurge from it once.
    private static readonly AttributeSchema Schema = new([new AttributeDefinition(IntentSurgeRule.Attribute, AttributeKind.Number)]);

    private static ScoringModel LoadModel() => ScoringModel.Load(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "scoring-model.json")),
        new ScoringModelOptions { Schema = Schema, PluginRules = [new IntentSurgeRule(Schema)], Document = "scoring-model.json" });

    private static Lead LeadWithSurge(string id, double surge) => new(new LeadId(id))
    {
        Company = new CompanyProfile { Industry = "Software" },
        Attributes = Schema.CreateBuilder().Set(IntentSurgeRule.Attribute, surge).Build(),
    };

    [Fact]
    public void Rule_KeepsTheEnginesPromises()
    {
        // Deterministic (also on 8 threads), no allocation per lead, rounded explanation line, failures named with the lead id,
        // and only the declared attributes read: a broken promise throws a RulePromiseException naming it and the lead.
        var options = new RuleKitOptions { Schema = Schema, Reads = { IntentSurgeRule.Attribute } };
        options.Leads.Add(LeadWithSurge("edge-50", 50));

        Assert.Equal(options.GeneratedLeads + 1, RuleKit.CheckRule(new IntentSurgeRule(Schema), options));
    }

    [Fact]
    public void Model_WithThePlugin_KeepsTheEnginesPromises() =>
        RuleKit.CheckModel(LoadModel(), new RuleKitOptions { Schema = Schema });

    [Fact]
    public void Model_ScoresALead_WithThePluginCappedAndExplained()
    {
        ScoreCard card = LoadModel().Score(LeadWithSurge("00Q5e000001", 90), [], Now);

        Assert.Equal(35m, card.Total);
        ScoreContribution line = Assert.Single(card.Explanation, l => l.RuleId == "intent");
        Assert.Equal((ScoreComponent.Plugin, 15m), (line.Component, line.Points));
    }
}
