using Alignment.Decisions;
using Alignment.Models;
using Alignment.Models.Registry;
using Alignment.Policies.Handoff;
using static Alignment.Policies.Tests.Handoff.HandoffTestData;

namespace Alignment.Policies.Tests.Handoff;

/// <summary>A routing policy with its roster as one registry release: parsing, the canonical content hash, the loader's checks, and the policy reference every decision carries.</summary>
public sealed class RoutingReleaseTests
{
    internal const string Roster = """
        { "reps": [ { "id": "ana", "team": "one" }, { "id": "bo", "team": "two" } ] }
        """;

    /// <summary>A release whose one rule sends every lead to <paramref name="team"/>'s only rep.</summary>
    internal static string Release(string version, string team, string id = "acme") => $$"""
        {
          "version": "{{version}}",
          "policy": { "id": "{{id}}", "fallbackQueue": "unassigned", "rules": [ { "id": "all", "strategy": "roundRobin", "pool": { "teams": ["{{team}}"] } } ] },
          "roster": {{Roster}}
        }
        """;

    [Fact]
    public void Parse_CompilesThePolicy_AndItsModelNamesIdVersionAndHash()
    {
        var release = RoutingRelease.Parse(Release("2026.3", "one"));

        Assert.Equal(("acme", "2026.3"), (release.Id, release.Version));
        Assert.Matches("^[0-9a-f]{64}$", release.ContentHash);
        Assert.Equal(new ModelReference("acme", "2026.3", release.ContentHash), release.Policy.Model);
        var model = release.ToModelRelease("eu");
        Assert.Equal(new ReleaseKey("eu", ModelKind.Routing, "acme", "2026.3"), model.Key);
        Assert.Equal(release.ContentHash, model.ContentHash);
    }

    [Fact]
    public void ContentHash_IgnoresWhitespaceCommentsAndPropertyOrder_ButNotContent()
    {
        var release = RoutingRelease.Parse(Release("1", "one"));
        const string Reordered = """
            { // the same release, written another way
              "roster": { "reps": [ { "team": "one", "id": "ana" }, { "team": "two", "id": "bo" } ] },
              "policy": { "rules": [ { "pool": { "teams": ["one"] }, "strategy": "roundRobin", "id": "all" } ], "fallbackQueue": "unassigned", "id": "acme" },
              "version": "1" }
            """;

        Assert.Equal(release.ContentHash, RoutingRelease.Parse(Reordered).ContentHash);
        Assert.Equal(release.ContentHash, RoutingRelease.Parse(release.Write()).ContentHash);
        Assert.Equal(release.Write(), release.ToModelRelease("eu").Content);
        Assert.NotEqual(release.ContentHash, RoutingRelease.Parse(Release("2", "one")).ContentHash);
        Assert.NotEqual(release.ContentHash, RoutingRelease.Parse(Release("1", "two")).ContentHash);
    }

    [Fact]
    public void Create_FromPolicyAndRosterDocuments_IsTheSameRelease()
    {
        var release = RoutingRelease.Parse(Release("7", "one"));
        const string Policy = """{ "id": "acme", "fallbackQueue": "unassigned", "rules": [ { "id": "all", "strategy": "roundRobin", "pool": { "teams": ["one"] } } ] }""";

        var created = RoutingRelease.Create("7", Policy, Roster);

        Assert.Equal(release.ContentHash, created.ContentHash);
        Assert.Equal(release.Policy.Model, created.Policy.Model);
        // A policy loaded outside a release is hashed the same way, without a version: every policy names its content.
        var loose = CompiledRoutingPolicy.Load(Policy, Roster);
        Assert.Equal(("acme", string.Empty), (loose.Model.Id, loose.Model.Version));
        Assert.Matches("^[0-9a-f]{64}$", loose.Model.ContentHash);
        Assert.NotEqual(release.ContentHash, loose.Model.ContentHash);
        Assert.Equal(loose.Model, CompiledRoutingPolicy.Load(Policy, " " + Roster + " ").Model);
    }

    [Fact]
    public void Parse_InvalidRelease_ListsEveryProblemAtItsPathInTheRelease()
    {
        const string Invalid = """
            { "policy": { "id": "acme", "fallbackQueue": "q", "rules": [ { "id": "all", "strategy": "roundRobin", "pool": { "teams": ["nobody"] } } ] },
              "roster": { "reps": [ { "id": "ana", "team": "one" } ] } }
            """;

        var missing = Assert.Throws<ModelException>(() => RoutingRelease.Parse(Invalid));
        Assert.Equal("$.version", Assert.Single(missing.Errors).Path);

        Assert.False(RoutingRelease.TryParse(Invalid.Replace("{ \"policy\"", "{ \"version\": \"1\", \"policy\"", StringComparison.Ordinal), null, out var release, out var errors));
        Assert.Null(release);
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.StartsWith("$.policy.rules[0].pool", e.Path, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Null(e.Document));

        Assert.False(RoutingRelease.TryParse("""{ "version": "1", "policy": { "id": "acme", "fallbackQueue": "q", "rules": [] }, "roster": { "reps": [ { "id": "ana", "team": "one", "bogus": 1 } ] } }""", null, out _, out var shape));
        Assert.StartsWith("$.roster.reps[0]", Assert.Single(shape).Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_RefusesContentThatDoesNotCompile_OrIsNotTheApprovedHash_OrNamesAnotherRelease()
    {
        var loader = new RoutingReleaseLoader();
        var good = RoutingRelease.Parse(Release("1", "one")).ToModelRelease("eu");
        Assert.Equal(ModelKind.Routing, loader.Kind);
        Assert.True(loader.TryLoad(good, out var policy, out var none));
        Assert.Empty(none);
        Assert.Equal(new ModelReference("acme", "1", good.ContentHash), policy.Model);

        var otherHash = new ModelRelease(good.Key, good.Content, new string('a', 64));
        Assert.False(loader.TryLoad(otherHash, out _, out var hashProblems));
        Assert.Contains("but the release names aaaaaaaaaaaa", Assert.Single(hashProblems), StringComparison.Ordinal);

        var otherKey = new ModelRelease(good.Key with { Version = "2" }, good.Content, good.ContentHash);
        Assert.False(loader.TryLoad(otherKey, out _, out var keyProblems));
        Assert.Contains("acme@1, but the release is acme@2", Assert.Single(keyProblems), StringComparison.Ordinal);

        var broken = new ModelRelease(good.Key, Release("1", "nobody"), good.ContentHash);
        Assert.False(loader.TryLoad(broken, out _, out var compileProblems));
        Assert.All(compileProblems, p => Assert.StartsWith("$.policy.rules[0].pool", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryDecisionOfTheRouter_CarriesThePolicyReference_WithoutANewInstancePerDecision()
    {
        var release = RoutingRelease.Parse(Release("3", "one"));
        var sink = new InMemoryDecisionSink();
        using var router = new HandoffRouter(release.Policy, new HandoffRouterServices { Store = new InMemoryRoutingStateStore(), Decisions = sink });

        var first = await router.RouteAsync(Request("l1"));
        var second = await router.RouteAsync(Request("l2"));

        Assert.Same(release.Policy.Model, first.Policy);
        Assert.Same(release.Policy.Model, second.Policy);
        Assert.All(sink.Decisions.OfType<AlignmentDecision.Routed>(), r => Assert.Equal(new ModelReference("acme", "3", release.ContentHash), r.Decision.Policy));
    }
}
