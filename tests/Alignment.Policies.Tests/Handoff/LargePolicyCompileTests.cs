using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;
using static Alignment.Policies.Tests.Handoff.HandoffTestData;

namespace Alignment.Policies.Tests.Handoff;

/// <summary>Compiling a policy costs about linear in its rules and values: each rule's sets take memory by what they name.</summary>
public sealed class LargePolicyCompileTests
{
    private const int RuleCount = 10_000;

    [Fact]
    public void Ten_thousand_rules_each_naming_its_own_account_compile_small_and_route_exactly()
    {
        var reps = Enumerable.Range(0, 10).Select(t => Rep($"r{t}", team: $"t{t}")).ToArray();
        var rules = Enumerable.Range(0, RuleCount).Select(i => new RoutingRuleDefinition
        {
            Id = $"acct-{i}",
            Strategy = RoutingStrategies.RoundRobin,
            Match = new RuleMatchDefinition { Accounts = [$"acct-{i}"], Countries = [$"C{i}"] },
            Pool = new RulePoolDefinition { Teams = [$"T{i % 10}"] },
            Queue = $"queue-{i}",
        }).ToArray();
        var definition = new RoutingPolicyDefinition { Id = "large", FallbackQueue = "unassigned", Rules = rules };
        var roster = new RosterDefinition { Reps = reps };

        long before = GC.GetAllocatedBytesForCurrentThread();
        var policy = RoutingPolicyCompiler.Compile(definition, roster);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // A flag per account and per country in every rule took rules x values bytes (over 200 MB here); now about 40 MB, mostly the symbol tables.
        Assert.True(allocated < 96 << 20, $"compiling allocated {allocated:N0} bytes");
        var state = new RoutingState(policy);
        Assert.Equal("r5", RouteOne(policy, state, Request("a", accountId: "ACCT-1235", country: "c1235"), Monday10Utc));
        Assert.Equal("r9", RouteOne(policy, state, Request("b", accountId: "acct-9999", country: "C9999"), Monday10Utc));
        Assert.Equal("queue:unassigned", RouteOne(policy, state, Request("c", accountId: "acct-9999", country: "C1"), Monday10Utc));
        Assert.Equal("queue:unassigned", RouteOne(policy, state, Request("d", accountId: "acct-10000", country: "C10000"), Monday10Utc));
    }

    [Fact]
    public void A_policy_whose_sets_would_exceed_the_match_table_budget_is_refused_before_they_are_built()
    {
        // 70 reps each naming the same 500,000 territories: 35 million entries (a flag per territory per rep), over the 32 Mi budget.
        var territories = Enumerable.Range(0, 500_000).Select(i => $"T{i}").ToArray();
        var reps = Enumerable.Range(0, 70).Select(i => Rep($"r{i}", team: "ae") with { Territories = territories }).ToArray();
        var definition = new RoutingPolicyDefinition
        {
            Id = "wide",
            FallbackQueue = "unassigned",
            Rules = [new RoutingRuleDefinition { Id = "all", Strategy = RoutingStrategies.RoundRobin, Pool = new RulePoolDefinition { Teams = ["ae"] } }],
        };

        Assert.False(RoutingPolicyCompiler.TryCompile(definition, new RosterDefinition { Reps = reps }, out var compiled, out var errors));
        Assert.Null(compiled);
        var error = Assert.Single(errors);
        Assert.Equal("$.rules", error.Path);
        Assert.StartsWith("the policy (1 rules) and roster (70 reps) compile to match tables of 35,000,000 entries", error.Message, StringComparison.Ordinal);
    }
}
