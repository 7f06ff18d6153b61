using Alignment.Models;
using Alignment.Policies.Handoff;

namespace Alignment.Policies.Tests.Handoff;

/// <summary>The one loading convention (issue 15) for a model of two documents: every error says which document it is in.</summary>
public sealed class RoutingPolicyLoadConventionTests
{
    private const string Roster = """{ "reps": [ { "id": "a", "team": "ae", "maxOpenLeads": -1 } ] }""";
    private const string Policy = """{ "id": "p", "fallbackQueue": "q", "rules": [ { "id": "r", "strategy": "roundRobin", "pool": { "reps": ["ghost"] } } ] }""";

    [Fact]
    public void Load_and_TryLoad_give_the_same_errors_of_both_documents()
    {
        var options = new ModelLoadOptions { Document = "acme routing" };

        var ex = Assert.Throws<ModelException>(() => CompiledRoutingPolicy.Load(Policy, Roster, options));
        Assert.False(CompiledRoutingPolicy.TryLoad(Policy, Roster, options, out var policy, out var errors));

        Assert.Null(policy);
        Assert.Equal("acme routing", ex.Document);
        Assert.Equal(ex.Errors.ToArray(), errors.ToArray());
        Assert.Contains(errors, e => e.Document == "roster" && e.Path == "$.reps[0].maxOpenLeads");
        Assert.Contains(errors, e => e.Document == "policy" && e.Path == "$.rules[0].pool.reps[0]");
        Assert.Contains("roster $.reps[0].maxOpenLeads: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_documents_are_both_reported_with_their_document()
    {
        Assert.False(CompiledRoutingPolicy.TryLoad("{", "[", null, out _, out var errors));

        Assert.Equal(["policy", "roster"], errors.Select(e => e.Document));
    }

    [Fact]
    public void TryLoad_returns_the_policy_for_valid_documents()
    {
        const string roster = """{ "reps": [ { "id": "a", "team": "ae" } ] }""";
        const string policy = """{ "id": "p", "fallbackQueue": "q", "rules": [ { "id": "r", "strategy": "roundRobin", "pool": { "teams": ["ae"] } } ] }""";

        Assert.True(CompiledRoutingPolicy.TryLoad(policy, roster, null, out var compiled, out var errors));
        Assert.Empty(errors);
        Assert.Equal("p", compiled.Id);
    }
}
