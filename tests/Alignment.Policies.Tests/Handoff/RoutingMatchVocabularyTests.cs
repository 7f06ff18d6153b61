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
    [InlineData("""{ "countries": ["GB"] }""", "unknown field 'countries'", "did you mean 'company.country'?")]
    [InlineData("""{ "minScore": 50 }""", "unknown field 'minScore'", "did you mean 'score.total (with atLeast)'?")]
    [InlineData("""{ "domains": ["acme.com"] }""", "unknown field 'domains'", "did you mean 'lead.domain'?")]
    [InlineData("""{ "company.industry": ["Software"] }""", "does not read 'company.industry'", null)]
    [InlineData("""{ "company.country": "GB" }""", "company.country takes a list", null)]
    [InlineData("""{ "company.country": { "in": ["GB"] } }""", "needs notIn", null)]
    [InlineData("""{ "company.country": { "notIn": ["US", 3] } }""", "company.country.notIn[1] must be a string", null)]
    [InlineData("""{ "score.total": { "atLeast": "high" } }""", "score.total.atLeast must be a number", null)]
    [InlineData("""{ "score.total": { } }""", "an empty object would match every lead", null)]
    [InlineData("""{ "score.grade": { } }""", "an empty object would match every lead", null)]
    [InlineData("""{ "score.state": ["hot"], "SCORE.STATE": ["mql"] }""", "names 'score.state' twice", null)]
    public void A_bad_match_is_refused_with_its_path_and_what_to_write(string match, string expected, string? suggestion)
    {
        Assert.False(CompiledRoutingPolicy.TryLoad(PolicyWith(match), Roster, null, out _, out var errors));

        var error = Assert.Single(errors);
        Assert.Equal("policy", error.Document);
        Assert.StartsWith("$.rules[0].match", error.Path, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(suggestion, error.Suggestion);
    }

    [Fact]
    public void A_comment_inside_a_match_is_skipped_like_anywhere_else_in_a_policy()
    {
        Assert.True(CompiledRoutingPolicy.TryLoad(
            PolicyWith("""
                { /* who */ "score.state": [ "hot" /* only */ ], // and where
                  "company.country": { "notIn": ["US"] } }
                """), Roster, null, out _, out var errors), string.Join("; ", errors));
    }

    [Fact]
    public void A_state_outside_the_one_vocabulary_is_refused()
    {
        Assert.False(CompiledRoutingPolicy.TryLoad(PolicyWith("""{ "score.state": ["marketingQualified"] }"""), Roster, null, out _, out var errors));
        Assert.Equal("$.rules[0].match['score.state'][0]", Assert.Single(errors).Path);
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
