using System.Text.RegularExpressions;
using Alignment.Docs.Tests;
using Alignment.Models;
using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;
using static Alignment.Policies.Tests.Handoff.HandoffTestData;

namespace Alignment.Policies.Tests.Handoff;

/// <summary>
/// The registry of routing strategies (<see cref="RoutingStrategies"/>): every strategy type is registered and documented, every
/// registered strategy routes a lead without allocating, and a policy that names an unknown strategy gets a located load error.
/// These iterate the registry, so a new strategy is covered by adding it there.
/// </summary>
public sealed partial class RoutingStrategyRegistryTests
{
    private const string Roster = """
        { "reps": [ { "id": "ana", "team": "ae" }, { "id": "bo", "team": "ae" } ],
          "accounts": [ { "accountId": "acc-1", "owner": "bo" } ] }
        """;

    /// <summary>The name of every registered strategy.</summary>
    public static TheoryData<string> StrategyNames()
    {
        var data = new TheoryData<string>();
        foreach (var strategy in RoutingStrategies.All)
        {
            data.Add(strategy.Name);
        }

        return data;
    }

    [Fact]
    public void Registry_HoldsEveryStrategyType_OnceWithAUniqueName()
    {
        var types = typeof(RoutingStrategy).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(RoutingStrategy)) && !t.IsAbstract && t != typeof(PluginStrategy) && t != typeof(PluginStrategyReference)).ToList();

        Assert.NotEmpty(types);
        Assert.All(types, t => Assert.Single(RoutingStrategies.All, s => s.GetType() == t));
        Assert.Equal(RoutingStrategies.All.Length, RoutingStrategies.All.Select(s => s.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(RoutingStrategies.All, s => Assert.Matches("^[a-z][A-Za-z]+$", s.Name));
    }

    [Fact]
    public void Registry_ResolvesEveryStrategyTheDocsList_AndTheDocsListEveryRegisteredOne()
    {
        // The rule-field table of docs/handoff.md: | `strategy` | `roundRobin` (...), `weighted` (... each rep's `weight` ...), ... |
        // A strategy is a code span followed by its description in parentheses.
        string row = RepositoryFiles.Read("docs/handoff.md").Split('\n').Single(l => l.StartsWith("| `strategy` |", StringComparison.Ordinal));
        var documented = CodeSpan().Matches(row.Split('|')[2]).Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(documented);
        foreach (string name in documented)
        {
            Assert.True(RoutingStrategies.TryGet(name, out var strategy), $"docs/handoff.md lists '{name}', which no strategy is registered as.");
            Assert.Equal(name, strategy.Name);
        }

        Assert.Equal(RoutingStrategies.All.Select(s => s.Name), documented);
    }

    [Theory]
    [MemberData(nameof(StrategyNames))]
    public void EveryRegisteredStrategy_RoutesALead_AndExplainsItself(string name)
    {
        Assert.True(RoutingStrategies.TryGet(name, out var strategy));
        string policyJson = $$"""{ "id": "p", "fallbackQueue": "unassigned", "rules": [ { "id": "only", "strategy": "{{name}}", "pool": { "teams": ["ae"] } } ] }""";
        var policy = RoutingPolicyLoader.Load(policyJson, Roster);
        Assert.Same(strategy, policy.Rules[0].Strategy);
        var state = new RoutingState(policy);
        var notes = new CandidateNote[8];

        var result = policy.Route(policy.Prepare(Request("l1", accountId: "acc-1"), RoutingPhase.Initial), Monday10Utc, state, notes);

        Assert.True(result.IsAssigned, $"'{name}' did not assign a lead that every strategy can assign.");
        Assert.Equal(0, result.RuleIndex);
        Assert.Contains($"rule 'only' ({strategy.Description}): assigned to ", policy.Explain(result, notes), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(StrategyNames))]
    public void EveryRegisteredStrategy_RoutesWithoutAllocating(string name)
    {
        Assert.True(RoutingStrategies.TryGet(name, out var strategy));
        var roster = new RosterDefinition
        {
            Reps = [.. Enumerable.Range(0, 8).Select(i => Rep($"r{i}", maxOpen: 3, weight: 1 + (i % 3)) with { Languages = ["en"] })],
            Accounts = [new AccountOwnerDefinition { AccountId = "acc-1", Owner = "r1" }, new AccountOwnerDefinition { AccountId = "acc-2", Owner = "r2" }],
        };
        var policy = RoutingPolicyCompiler.Compile(
            new RoutingPolicyDefinition { Id = "p", FallbackQueue = "unassigned", Rules = [Rule("only", strategy, "ae") with { Pool = new() { Teams = ["ae"], MatchLanguage = true } }] },
            roster);
        var state = new RoutingState(policy);
        var requests = Enumerable.Range(0, 16).Select(i => Request($"l{i}", language: i % 4 == 0 ? "de" : "en", accountId: i % 3 == 0 ? null : $"acc-{1 + (i % 2)}")).ToArray();
        var notes = new CandidateNote[16];
        int assigned = 0;
        void Run()
        {
            for (int i = 0; i < 500; i++)
            {
                var r = policy.Route(policy.Prepare(requests[i & 15], RoutingPhase.Initial), Monday10Utc, state, notes);
                if (r.IsAssigned)
                {
                    assigned++;
                    state.Release(r.RepIndex);
                }
            }
        }

        Run();
        Assert.True(assigned > 0);

        // The least of three measurements: a one-off allocation under load (tiered JIT, a timer) is not the hot path's.
        long least = long.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Run();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, least);
    }

    [Theory]
    [MemberData(nameof(StrategyNames))]
    public void EveryRegisteredStrategy_IsWrittenAndReadBackByItsName(string name)
    {
        Assert.True(RoutingStrategies.TryGet(name, out var strategy));
        var definition = new RoutingPolicyDefinition { Id = "p", FallbackQueue = "q", Rules = [Rule("r", strategy, "ae")] };

        string json = RoutingPolicyLoader.Write(definition);

        Assert.Contains($"\"strategy\": \"{name}\"", json, StringComparison.Ordinal);
        Assert.Same(strategy, RoutingPolicyLoader.ParsePolicy(json).Rules![0]!.Strategy);
    }

    [Fact]
    public void UnknownStrategy_IsALocatedLoadError_ListingTheKnownNames()
    {
        var ex = Assert.Throws<ModelException>(() => RoutingPolicyLoader.Load(
            """{ "id": "p", "fallbackQueue": "q", "rules": [ { "id": "a", "strategy": "random", "pool": { "teams": ["ae"] } } ] }""", Roster));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("policy", error.Document);
        Assert.StartsWith("$.rules[0].strategy (line 1, position ", error.Path, StringComparison.Ordinal);
        Assert.Equal("unknown strategy 'random': the strategies are roundRobin, weighted, loadBalanced or accountOwner", error.Message);
        Assert.All(RoutingStrategies.All, s => Assert.Contains(s.Name, error.Message, StringComparison.Ordinal));
        Assert.Null(error.Suggestion);
    }

    [Theory]
    [InlineData("round-robin", "roundRobin")]
    [InlineData("load_balanced", "loadBalanced")]
    [InlineData("roundRobbin", "roundRobin")]
    [InlineData("account owner", "accountOwner")]
    public void MistypedStrategy_SuggestsTheClosestName(string written, string suggested)
    {
        var ex = Assert.Throws<ModelException>(() => RoutingPolicyLoader.ParsePolicy($$"""{ "id": "p", "rules": [ { "id": "a", "strategy": "{{written}}" } ] }"""));

        var error = Assert.Single(ex.Errors);
        Assert.StartsWith("$.rules[0].strategy (line 1, position ", error.Path, StringComparison.Ordinal);
        Assert.StartsWith($"unknown strategy '{written}': the strategies are ", error.Message, StringComparison.Ordinal);
        Assert.Equal($"did you mean '{suggested}'?", error.Suggestion);
    }

    [Theory]
    [InlineData("RoundRobin")]
    [InlineData("LOADBALANCED")]
    public void StrategyNames_AreReadIgnoringCase_AsTheEnumReaderDid(string written)
    {
        var policy = RoutingPolicyLoader.ParsePolicy($$"""{ "id": "p", "rules": [ { "id": "a", "strategy": "{{written}}" } ] }""");

        Assert.Equal(written, policy.Rules![0]!.Strategy!.Name, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void NumericStrategy_IsRefused_WithTheKnownNames()
    {
        var ex = Assert.Throws<ModelException>(() => RoutingPolicyLoader.ParsePolicy("""{ "id": "p", "rules": [ { "id": "a", "strategy": 1 } ] }"""));

        var error = Assert.Single(ex.Errors);
        Assert.StartsWith("$.rules[0].strategy (line 1, position ", error.Path, StringComparison.Ordinal);
        Assert.Equal("a strategy is a name: roundRobin, weighted, loadBalanced or accountOwner", error.Message);
    }

    [Fact]
    public void MissingStrategy_IsACompileError_ListingTheKnownNames()
    {
        var ex = Assert.Throws<ModelException>(() => RoutingPolicyLoader.Load("""{ "id": "p", "fallbackQueue": "q", "rules": [ { "id": "a", "pool": { "teams": ["ae"] } } ] }""", Roster));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("$.rules[0].strategy", error.Path);
        Assert.Equal("a rule needs a strategy: roundRobin, weighted, loadBalanced or accountOwner", error.Message);
    }

    [GeneratedRegex(@"`([A-Za-z]+)` \(")]
    private static partial Regex CodeSpan();
}
