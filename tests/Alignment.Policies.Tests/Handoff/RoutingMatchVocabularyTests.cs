using Alignment.Leads;
using Alignment.Models;
using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;

namespace Alignment.Policies.Tests.Handoff;

/// <summary>A rule's match names lead fields by the one catalogue (issue 15): its keys, their shapes, and errors that say what to write.</summary>
public sealed class RoutingMatchVocabularyTests
{
    private const string Roster = """{ "reps": [ { "id": "ana", "team": "uk" } ] }""";

    private static string PolicyWith(string match) =>
        $$"""{ "id": "p", "fallbackQueue": "q", "rules": [ { "id": "r", "match": {{match}}, "strategy": "roundRobin", "pool": { "teams": ["uk"] } } ] }""";

    [Fact]
    public void Every_key_reads_into_the_definition_and_writes_back_the_same()
    {
        var policy = RoutingPolicyLoader.ParsePolicy(PolicyWith("""
            { "segment.id": ["ent"], "company.country": { "in": ["GB"], "notIn": ["US"] }, "company.region": ["EMEA"], "person.language": ["en"],
              "lead.source": ["Agency"], "lead.accountId": ["a-1"], "lead.domain": ["acme.com"], "score.state": ["mql", "hot"],
              "score.total": { "atLeast": 50, "atMost": 99.5 }, "score.grade": { "atLeast": "B", "atMost": "A+" } }
            """));

        var m = policy.Rules![0]!.Match!;
        Assert.Equal(["ent"], m.Segments!);
        Assert.Equal(["GB"], m.Countries!);
        Assert.Equal(["US"], m.ExcludeCountries!);
        Assert.Equal(["EMEA"], m.Regions!);
        Assert.Equal(["en"], m.Languages!);
        Assert.Equal(["Agency"], m.Sources!);
        Assert.Equal(["a-1"], m.Accounts!);
        Assert.Equal(["acme.com"], m.Domains!);
        Assert.Equal(["mql", "hot"], m.States!);
        Assert.Equal((50m, 99.5m), (m.MinScore, m.MaxScore));
        Assert.Equal(("B", "A+"), (m.MinGrade, m.MaxGrade));

        string written = RoutingPolicyLoader.Write(policy);
        Assert.Contains("\"company.country\"", written, StringComparison.Ordinal);
        Assert.Equal(written, RoutingPolicyLoader.Write(RoutingPolicyLoader.ParsePolicy(written)));
        Assert.True(CompiledRoutingPolicy.TryLoad(written, Roster, null, out _, out var errors), string.Join("; ", errors));
    }

    [Theory]
    [InlineData("""{ "countries": ["GB"] }""", "did you mean 'company.country'?")]
    [InlineData("""{ "company.industry": ["Software"] }""", "does not read 'company.industry'")]
    [InlineData("""{ "company.country": "GB" }""", "company.country takes a list")]
    [InlineData("""{ "company.country": { "in": ["GB"] } }""", "needs notIn")]
    [InlineData("""{ "score.total": { "atLeast": "high" } }""", "'atLeast' must be a number")]
    [InlineData("""{ "score.state": ["hot"], "SCORE.STATE": ["mql"] }""", "names 'score.state' twice")]
    public void A_bad_match_is_refused_with_its_path_and_what_to_write(string match, string expected)
    {
        Assert.False(CompiledRoutingPolicy.TryLoad(PolicyWith(match), Roster, null, out _, out var errors));

        var error = Assert.Single(errors);
        Assert.Equal("policy", error.Document);
        Assert.StartsWith("$.rules[0].match", error.Path, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Semantic_errors_name_the_catalogue_key()
    {
        Assert.False(CompiledRoutingPolicy.TryLoad(PolicyWith("""{ "company.country": { "notIn": [] }, "score.state": ["lukewarm"] }"""), Roster, null, out _, out var errors));

        Assert.Equal(
            ["$.rules[0].match['score.state'][0]", "$.rules[0].match['company.country'].notIn"],
            errors.Select(e => e.Path).Order(StringComparer.Ordinal).Reverse().ToArray());
    }

    [Fact]
    public void Every_key_is_a_field_of_the_catalogue() =>
        Assert.All(RuleMatchJsonConverter.Fields, f => Assert.True(LeadFields.TryGet(f, out _), f));
}
