using Alignment.Cli.TestPlugin;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Models;
using Alignment.Models.Registry;
using Alignment.Policies.Handoff;
using Alignment.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Alignment.Policies.Tests.Handoff.HandoffTestData;

namespace Alignment.Policies.Tests.Handoff;

/// <summary>
/// Plugin routing strategies and conditions (<see cref="IRoutingStrategy"/>, <see cref="IRoutingCondition"/>): named from the policy
/// JSON, resolved at load with the JSON path of a name nobody registered, used by the router and explained in its decisions.
/// </summary>
public sealed class RoutingPluginTests
{
    private const string Roster = """{ "reps": [ { "id": "ana", "team": "ae" }, { "id": "bo", "team": "ae" }, { "id": "cy", "team": "ae", "maxOpenLeads": 0 } ] }""";

    private const string Policy = """
        { "id": "p", "fallbackQueue": "q", "rules": [
          { "id": "gov", "conditions": ["public-sector"], "strategy": "roundRobin", "pool": { "reps": ["bo"] } },
          { "id": "senior", "strategy": { "plugin": "senior-first" }, "pool": { "teams": ["ae"] } } ] }
        """;

    private static RoutingPolicyLoadOptions Plugins() =>
        new() { Strategies = { new SeniorFirstStrategy() }, Conditions = { new PublicSectorCondition() } };

    private static string Route(CompiledRoutingPolicy policy, HandoffRequest request) => RouteOne(policy, new RoutingState(policy), request, Monday10Utc);

    [Fact]
    public void PluginStrategy_ChoosesAmongTheEligibleReps_FullRepsPassedOverFirst()
    {
        var policy = CompiledRoutingPolicy.Load(Policy, Roster, Plugins());

        // cy is full (maxOpenLeads 0): the engine passes it over, so the last eligible rep is bo.
        Assert.Equal("bo", Route(policy, Request("hot", QualificationState.Hot)));
        Assert.Equal("ana", Route(policy, Request("warm", QualificationState.MarketingQualified)));
    }

    [Fact]
    public void PluginCondition_GatesItsRule()
    {
        var policy = CompiledRoutingPolicy.Load(Policy, Roster, Plugins());

        Assert.Equal("bo", Route(policy, Request("1", QualificationState.MarketingQualified, domain: "tax.example.gov")));
        Assert.Equal("ana", Route(policy, Request("2", QualificationState.MarketingQualified, domain: "acme.com")));
    }

    [Fact]
    public void UnregisteredPlugins_FailTheLoad_WithTheirJsonPaths()
    {
        var ex = Assert.Throws<ModelException>(() => CompiledRoutingPolicy.Load(Policy, Roster, new RoutingPolicyLoadOptions { Strategies = { new SeniorFirstStrategy() } }));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(("policy", "$.rules[0].conditions[0]"), (error.Document, error.Path));
        Assert.Equal("no registered routing condition is named 'public-sector' (registered: none)", error.Message);

        ex = Assert.Throws<ModelException>(() => CompiledRoutingPolicy.Load(Policy, Roster));
        Assert.Equal(["$.rules[0].conditions[0]", "$.rules[1].strategy.plugin"], ex.Errors.Select(e => e.Path));
        Assert.Equal("no registered routing strategy is named 'senior-first' (registered: none)", ex.Errors[1].Message);
    }

    [Fact]
    public void PluginStrategyName_IsReadAndWrittenAsAnObject()
    {
        var definition = RoutingPolicyLoader.ParsePolicy(Policy);

        string json = RoutingPolicyLoader.Write(definition);

        Assert.Contains("\"plugin\": \"senior-first\"", json, StringComparison.Ordinal);
        Assert.Contains("\"public-sector\"", json, StringComparison.Ordinal);
        var error = Assert.Single(Assert.Throws<ModelException>(() => RoutingPolicyLoader.ParsePolicy(
            """{ "id": "p", "rules": [ { "id": "a", "strategy": { "name": "x" } } ] }""")).Errors);
        Assert.StartsWith("$.rules[0].strategy", error.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnderDI_RegisteredPlugins_RouteAndAreExplained_AndAMissingOneStopsTheHost()
    {
        var services = new ServiceCollection();
        services.AddAlignment().AddHandoff(o => { o.PolicyJson = Policy; o.RosterJson = Roster; })
            .AddRoutingStrategy<SeniorFirstStrategy>().AddRoutingStrategy<SeniorFirstStrategy>().AddRoutingCondition<PublicSectorCondition>();
        await using (var provider = services.BuildServiceProvider())
        {
            var decision = await provider.GetRequiredService<IHandoffPolicy>().RouteAsync(Request("hot", QualificationState.Hot));

            var assigned = Assert.IsType<HandoffDecision.Assigned>(decision);
            Assert.Equal("bo", assigned.Rep.Value);
            Assert.Contains("plugin 'senior-first'", assigned.Explanation, StringComparison.Ordinal);
        }

        var without = new ServiceCollection();
        without.AddAlignment().AddHandoff(o => { o.PolicyJson = Policy; o.RosterJson = Roster; }).AddRoutingCondition<PublicSectorCondition>();
        await using var failing = without.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => failing.GetRequiredService<IOptions<HandoffOptions>>().Value);
        Assert.Contains("$.rules[1].strategy.plugin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RoutingReleases_FromTheRegistry_CompileWithThePluginsOfTheLoadOptions()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Monday10Utc);
        var release = RoutingRelease.Create("2026.1", Policy, Roster, Plugins());
        var error = Assert.Throws<ModelException>(() => RoutingRelease.Create("2026.1", Policy, Roster)).Errors[^1];
        Assert.Equal(("policy", "$.rules[1].strategy.plugin"), (error.Document, error.Path));

        // Published, approved by both sides and activated in a registry: taken up by a host whose load options carry the plugins.
        var registry = new InMemoryModelRegistry(time);
        var published = await registry.PublishAsync(release.ToModelRelease("eu"));
        await registry.ApproveAsync(published.Key, new ModelApproval("mia", ApprovalSide.Marketing, Monday10Utc, published.ContentHash));
        await registry.ApproveAsync(published.Key, new ModelApproval("sam", ApprovalSide.Sales, Monday10Utc, published.ContentHash));
        using var withPlugins = new ActiveHandoffRouters(registry, _ => new HandoffRouterServices { Store = new InMemoryRoutingStateStore(), Decisions = new InMemoryDecisionSink(), TimeProvider = time }, loadOptions: Plugins());
        using var without = new ActiveHandoffRouters(registry, _ => new HandoffRouterServices { Store = new InMemoryRoutingStateStore(), Decisions = new InMemoryDecisionSink(), TimeProvider = time });
        var rejected = new List<string>();
        without.Rejected += (_, e) => rejected.AddRange(e.Problems);
        await registry.ActivateAsync(published.Key, "ops", "launch");

        var decision = await withPlugins.RouterFor(_ => "eu").RouteAsync(Request("hot", QualificationState.Hot));
        var assigned = Assert.IsType<HandoffDecision.Assigned>(decision);
        Assert.Equal("bo", assigned.Rep.Value);
        Assert.Contains("plugin 'senior-first'", assigned.Explanation, StringComparison.Ordinal);
        Assert.Equal(new ModelReference("p", "2026.1", release.ContentHash), decision.Policy);

        // The host without them refuses the release, naming the JSON path in the release document.
        Assert.False(without.TryGetRouter("eu", out _));
        Assert.Contains(rejected, p => p.StartsWith("$.policy.rules[1].strategy.plugin", StringComparison.Ordinal));
    }

    [Fact]
    public void ThrowingPlugins_AreRethrown_NamingPluginRuleAndLead()
    {
        var policy = CompiledRoutingPolicy.Load(Policy, Roster, new RoutingPolicyLoadOptions
        {
            Strategies = { new Throwing() },
            Conditions = { new PublicSectorCondition() },
        });

        var ex = Assert.Throws<InvalidOperationException>(() => Route(policy, Request("L-42")));

        Assert.Equal("The routing strategy plugin 'senior-first' of rule 'senior' threw for lead 'L-42'.", ex.Message);
        Assert.IsType<FormatException>(ex.InnerException);
    }

    private sealed class Throwing : IRoutingStrategy
    {
        public string Name => SeniorFirstStrategy.StrategyName;

        public int Choose(in RoutingPluginLead lead, ReadOnlySpan<RepId> eligible) => throw new FormatException("boom");
    }
}
