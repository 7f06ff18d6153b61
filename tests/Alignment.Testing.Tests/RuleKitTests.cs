using Alignment.Activities;
using Alignment.Cli.TestPlugin;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Testing.Tests;

/// <summary>
/// The test kit against sound rules (they pass) and deliberately broken ones: each broken promise is caught, with the message naming
/// the promise and the lead.
/// </summary>
public sealed class RuleKitTests
{
    private static readonly AttributeSchema Schema = new([
        new AttributeDefinition(IntentDataRule.Attribute, AttributeKind.Number),
        new AttributeDefinition("secret", AttributeKind.Number),
        new AttributeDefinition("partner", AttributeKind.Boolean),
        new AttributeDefinition("tier", AttributeKind.Text),
    ]);

    private static RuleKitOptions Options() => new() { Schema = Schema, Reads = { IntentDataRule.Attribute } };

    [Fact]
    public void SoundRules_KeepEveryPromise()
    {
        Assert.Equal(200, RuleKit.CheckRule(new IntentDataRule(Schema), Options()));
        Assert.Equal(200, RuleKit.CheckRule(new LoyaltyBonusRule(), Options()));
    }

    [Fact]
    public void SoundModel_KeepsEveryPromise_WithTheGivenLeadsToo()
    {
        var model = ScoringModel.Load(
            """{"id": "m", "version": "1.0.0", "thresholds": {"mql": {"score": 20}}, "fit": [{"id": "software", "points": 15, "when": {"field": "company.industry", "in": ["Software"]}}], "plugins": [{"id": "intent", "rule": "intent-data", "cap": 15}]}""",
            new ScoringModelOptions { Schema = Schema, PluginRules = [new IntentDataRule(Schema)] });
        var options = Options();
        options.Leads.Add(new Lead(new LeadId("given-1")) { Attributes = Schema.CreateBuilder().Set(IntentDataRule.Attribute, 83.25).Build() });

        Assert.Equal(201, RuleKit.CheckModel(model, options));
    }

    [Fact]
    public void NonDeterministicRule_IsCaught_NamingThePromiseAndTheLead()
    {
        var ex = Assert.Throws<RulePromiseException>(() => RuleKit.CheckRule(new Flipping(), Options()));

        Assert.Equal(RulePromise.Deterministic, ex.Promise);
        Assert.Equal("kit-199", ex.LeadId.Value); // the second run goes in reverse order: the last lead is the first seen to differ
        Assert.StartsWith("Promise 'Deterministic' broken by rule 'flipping' for lead 'kit-199': ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThreadUnsafeRule_IsCaught_NamingThePromiseAndALead()
    {
        var ex = Assert.Throws<RulePromiseException>(() => RuleKit.CheckRule(new SharedScratch(Schema), Options()));

        Assert.Equal(RulePromise.ThreadSafe, ex.Promise);
        Assert.StartsWith("kit-", ex.LeadId.Value, StringComparison.Ordinal);
        Assert.Contains($"broken by rule 'shared-scratch' for lead '{ex.LeadId}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AllocatingRule_IsCaught_NamingThePromiseAndTheFirstLead_UnlessItDoesNotClaimIt()
    {
        var ex = Assert.Throws<RulePromiseException>(() => RuleKit.CheckRule(new Allocating(), Options()));

        Assert.Equal((RulePromise.NoAllocationPerLead, "kit-0"), (ex.Promise, ex.LeadId.Value));
        Assert.Matches(@"^Promise 'NoAllocationPerLead' broken by rule 'allocating' for lead 'kit-0': evaluating the lead allocated \d+ bytes", ex.Message);

        var options = Options();
        options.ClaimsNoAllocation = false;
        Assert.Equal(200, RuleKit.CheckRule(new Allocating(), options));
    }

    [Fact]
    public void ModelWhoseExplanationIsOffByOne_IsCaught_NamingThePromiseAndTheLead()
    {
        var ex = Assert.Throws<RulePromiseException>(() => RuleKit.CheckModel(new OffByOne(), Options()));

        Assert.Equal((RulePromise.ExplanationAddsUp, "kit-0"), (ex.Promise, ex.LeadId.Value));
        Assert.Equal("Promise 'ExplanationAddsUp' broken by model off-by-one for lead 'kit-0': the explanation adds up to 7.5, the total is 8.5", ex.Message);
    }

    [Fact]
    public void ModelThrowingWithoutTheLeadId_IsCaught_NamingThePromiseAndTheLead()
    {
        var ex = Assert.Throws<RulePromiseException>(() => RuleKit.CheckModel(new ThrowingWithoutLead(), Options()));

        Assert.Equal((RulePromise.FailureNamesRuleAndLead, "kit-0"), (ex.Promise, ex.LeadId.Value));
        Assert.StartsWith("Promise 'FailureNamesRuleAndLead' broken by model throwing for lead 'kit-0': the ScoringRuleException 'Scoring rule \'enrich\': enrichment failed' (rule id 'enrich') does not name both the rule and the lead", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RuleThrowingWithoutTheLeadId_SurfacesThroughTheEngineNamingRuleAndLead_SoThePromiseHolds()
    {
        // The engine wraps the rule's exception in a ScoringRuleException that names the rule and the lead: the kit checks that it does.
        Assert.Equal(200, RuleKit.CheckRule(new AlwaysThrowing(), Options()));
    }

    [Fact]
    public void RuleReadingAnAttributeOutsideItsSchema_IsCaught_NamingThePromiseAndTheLead()
    {
        var ex = Assert.Throws<RulePromiseException>(() => RuleKit.CheckRule(new ReadsSecret(Schema), Options()));

        Assert.Equal(RulePromise.ReadsOnlyItsSchema, ex.Promise);
        Assert.StartsWith("kit-", ex.LeadId.Value, StringComparison.Ordinal);
        Assert.Contains($"broken by rule 'reads-secret' for lead '{ex.LeadId}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(secret, partner, tier)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadsNamingAnAttributeTheSchemaLacks_IsACallerError()
    {
        var options = Options();
        options.Reads.Add("nope");

        Assert.Throws<ArgumentException>(() => RuleKit.CheckRule(new LoyaltyBonusRule(), options));
    }

    private sealed class Flipping : IScoringRule
    {
        private int _calls;

        public string Name => "flipping";

        public double Evaluate(Lead lead, ReadOnlySpan<LeadActivity> activities, in ScoringContext context) => Interlocked.Increment(ref _calls) > 200 ? 1 : 0;
    }

    private sealed class SharedScratch(AttributeSchema schema) : IScoringRule
    {
        private readonly int _ordinal = schema.TryGetOrdinal(IntentDataRule.Attribute, out int o) ? o : -1;
        private double _scratch;

        public string Name => "shared-scratch";

        public double Evaluate(Lead lead, ReadOnlySpan<LeadActivity> activities, in ScoringContext context)
        {
            double surge = lead.Attributes.GetNumber(_ordinal);
            _scratch = double.IsNaN(surge) ? -5 : surge; // state shared between threads: another thread's lead can overwrite it
            Thread.SpinWait(200);
            return _scratch;
        }
    }

    private sealed class Allocating : IScoringRule
    {
        public string Name => "allocating";

        public double Evaluate(Lead lead, ReadOnlySpan<LeadActivity> activities, in ScoringContext context) => string.Concat(lead.Id.Value, "!").Length;
    }

    private sealed class AlwaysThrowing : IScoringRule
    {
        public string Name => "always-throwing";

        public double Evaluate(Lead lead, ReadOnlySpan<LeadActivity> activities, in ScoringContext context) => throw new InvalidOperationException("bad data");
    }

    private sealed class ReadsSecret(AttributeSchema schema) : IScoringRule
    {
        private readonly int _secret = schema.TryGetOrdinal("secret", out int o) ? o : -1;

        public string Name => "reads-secret";

        public double Evaluate(Lead lead, ReadOnlySpan<LeadActivity> activities, in ScoringContext context) =>
            lead.Attributes.HasValue(_secret) ? lead.Attributes.GetNumber(_secret) / 10 : 0;
    }

    private sealed class OffByOne : ILeadScorer
    {
        public ScoreCard Score(Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset asOf) => new()
        {
            LeadId = lead.Id,
            AsOf = asOf,
            Total = 8.5m,
            Fit = 0,
            Engagement = 0,
            Grade = Grade.B,
            State = QualificationState.NotQualified,
            Categories = [],
            Explanation = [new ScoreContribution("bonus", "default", ScoreComponent.Plugin, 7.5m, 0)],
            ModelId = "off-by-one",
            ModelVersion = "1.0.0",
            ModelHash = "00",
        };

        public override string ToString() => "off-by-one";
    }

    private sealed class ThrowingWithoutLead : ILeadScorer
    {
        public ScoreCard Score(Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset asOf) =>
            throw new ScoringRuleException("enrich", "enrichment failed", null);

        public override string ToString() => "throwing";
    }
}
