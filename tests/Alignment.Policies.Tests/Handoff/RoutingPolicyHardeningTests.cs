using System.Text;
using Alignment.Models;
using Alignment.Policies.Handoff;

namespace Alignment.Policies.Tests.Handoff;

// Issue 13: a routing policy and a roster are read safely: duplicate properties, control characters in identifiers, numbers that
// feed time spans, caps and weights, tables that grow with the product of two counts, and files over a limit are refused with their path.
public sealed class RoutingPolicyHardeningTests
{
    private const string Roster = """{ "reps": [ { "id": "ana", "team": "uk" }, { "id": "bo", "team": "uk" } ] }""";

    private const string Policy = """{ "id": "p", "fallbackQueue": "q", "rules": [ { "id": "r", "strategy": "roundRobin", "pool": { "teams": ["uk"] }, "slaMinutes": 15 } ] }""";

    [Fact]
    public void Load_ValidDocuments_StillLoad()
    {
        Assert.Equal(TimeSpan.FromMinutes(15), CompiledRoutingPolicy.Load(Policy, Roster).GetSla(0));
    }

    [Fact]
    public void ParsePolicy_DuplicateProperty_IsRefusedWithItsPath()
    {
        string json = Policy.Replace("\"slaMinutes\": 15", "\"slaMinutes\": 15, \"slaMinutes\": 999999", StringComparison.Ordinal);

        var ex = Assert.Throws<ModelException>(() => RoutingPolicyLoader.ParsePolicy(json));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(("policy", "$.rules[0].slaMinutes"), (error.Document, error.Path));
        Assert.Contains("appears more than once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseRoster_DuplicateProperty_IsRefusedWithItsPath()
    {
        const string json = """{ "reps": [ { "id": "ana", "team": "uk", "weight": 1, "weight": 1000 } ] }""";

        var ex = Assert.Throws<ModelException>(() => RoutingPolicyLoader.ParseRoster(json));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(("roster", "$.reps[0].weight"), (error.Document, error.Path));
    }

    [Fact]
    public void Load_DuplicatesInBothFiles_AreAllReported()
    {
        var ex = Assert.Throws<ModelException>(() =>
            CompiledRoutingPolicy.Load("""{ "id": "p", "id": "q" }""", """{ "reps": [], "reps": [] }"""));

        Assert.Equal(["policy $.id", "roster $.reps"], ex.Errors.Select(e => $"{e.Document} {e.Path}"));
    }

    [Theory]
    [InlineData("""{ "id": "p", "fallbackQueue": "q", "rules": [ { "id": "r\tone", "strategy": "roundRobin", "pool": { "teams": ["uk"] } } ] }""", "$.rules[0].id", "U+0009")]
    [InlineData("""{ "id": "p", "fallbackQueue": "q\n", "rules": [ { "id": "r", "strategy": "roundRobin", "pool": { "teams": ["uk"] } } ] }""", "$.fallbackQueue", "U+000A")]
    [InlineData("""{ "id": "p", "fallbackQueue": "q", "rules": [ { "id": "r", "match": { "company.country": ["GB", "U\rS"] }, "strategy": "roundRobin", "pool": { "teams": ["uk"] } } ] }""", "$.rules[0].match['company.country'][1]", "U+000D")]
    [InlineData("""{ "id": "p", "fallbackQueue": "q", "rules": [ { "id": "r", "strategy": "roundRobin", "pool": { "teams": ["u\tk"] } } ] }""", "$.rules[0].pool.teams[0]", "U+0009")]
    [InlineData("""{ "id": "p", "fallbackQueue": "q", "rules": [ { "id": "r\u202Eeno", "strategy": "roundRobin", "pool": { "teams": ["uk"] } } ] }""", "$.rules[0].id", "U+202E")]
    public void Load_ControlCharacterInAPolicyIdentifier_IsRefusedWithItsPath(string policy, string path, string character)
    {
        var ex = Assert.Throws<ModelException>(() => CompiledRoutingPolicy.Load(policy, Roster));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(("policy", path), (error.Document, error.Path));
        Assert.Contains(character, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "reps": [ { "id": "ana\n", "team": "uk" }, { "id": "bo", "team": "uk" } ] }""", "$.reps[0].id")]
    [InlineData("""{ "reps": [ { "id": "ana", "team": "uk" }, { "id": "bo", "team": "uk\t" } ] }""", "$.reps[1].team")]
    [InlineData("""{ "reps": [ { "id": "ana", "team": "uk", "workingHours": [ { "days": ["mon\t"], "start": "09:00", "end": "17:00" } ] } ] }""", "$.reps[0].workingHours[0].days[0]")]
    [InlineData("""{ "reps": [ { "id": "ana", "team": "uk" } ], "accounts": [ { "accountId": "a\t1", "owner": "ana" } ] }""", "$.accounts[0].accountId")]
    public void Load_ControlCharacterInARosterIdentifier_IsRefusedWithItsPath(string roster, string path)
    {
        var ex = Assert.Throws<ModelException>(() => CompiledRoutingPolicy.Load(Policy, roster));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(("roster", path), (error.Document, error.Path));
        Assert.Contains("control character", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"slaMinutes\": 15", "\"slaMinutes\": 525601", "$.rules[0].slaMinutes", "must be at most 525,600 (was 525601); the allowed range is 1 to 525,600 minutes (365 days)")]
    [InlineData("\"slaMinutes\": 15", "\"slaMinutes\": 2147483647", "$.rules[0].slaMinutes", "must be at most 525,600 (was 2147483647); the allowed range is 1 to 525,600 minutes (365 days)")]
    [InlineData("\"fallbackQueue\": \"q\"", "\"fallbackQueue\": \"q\", \"defaultSlaMinutes\": 2147483647", "$.defaultSlaMinutes", "must be at most 525,600 (was 2147483647); the allowed range is 1 to 525,600 minutes (365 days)")]
    [InlineData("\"slaMinutes\": 15", "\"slaMinutes\": 15, \"escalation\": { \"maxReassignments\": 2147483647 }", "$.rules[0].escalation.maxReassignments", "must be at most 100 (was 2147483647); the allowed range is 0 to 100")]
    public void Load_PolicyNumberOutOfRange_IsRefusedWithPathAndRange(string find, string replace, string path, string message)
    {
        string policy = Policy.Replace(find, replace, StringComparison.Ordinal);

        var ex = Assert.Throws<ModelException>(() => CompiledRoutingPolicy.Load(policy, Roster));

        Assert.Equal($"policy {path}: {message}", Assert.Single(ex.Errors).ToString());
    }

    [Theory]
    [InlineData("\"weight\": 1001", "$.reps[0].weight", "must be at most 1,000 (was 1001); the allowed range is 1 to 1,000")]
    [InlineData("\"maxOpenLeads\": 1000001", "$.reps[0].maxOpenLeads", "must be at most 1,000,000 (was 1000001); the allowed range is 0 to 1,000,000 (leave the cap out for no cap)")]
    [InlineData("\"maxLeadsPerDay\": 2147483647", "$.reps[0].maxLeadsPerDay", "must be at most 1,000,000 (was 2147483647); the allowed range is 0 to 1,000,000 (leave the cap out for no cap)")]
    public void Load_RosterNumberOutOfRange_IsRefusedWithPathAndRange(string property, string path, string message)
    {
        string roster = $$"""{ "reps": [ { "id": "ana", "team": "uk", {{property}} } ] }""";

        var ex = Assert.Throws<ModelException>(() => CompiledRoutingPolicy.Load(Policy, roster));

        Assert.Equal($"roster {path}: {message}", Assert.Single(ex.Errors).ToString());
    }

    [Fact]
    public void Load_SixThousandRulesEachMatchingItsOwnCountry_StayFarWithinTheMatchTableBudget()
    {
        // A flag per rule and distinct country would be 6,000 x 6,000 = 36 million entries, over the budget; each rule's set holds
        // only the country it names, so the policy compiles (the budget itself: LargePolicyCompileTests).
        var sb = new StringBuilder("""{ "id": "p", "fallbackQueue": "q", "rules": [""");
        for (int i = 0; i < 6_000; i++)
        {
            sb.Append(i > 0 ? "," : "").Append($$$"""{"id":"r{{{i}}}","match":{ "company.country": ["C{{{i}}}"] },"strategy":"roundRobin","pool":{"teams":["uk"]}}""");
        }

        sb.Append("]}");

        var policy = CompiledRoutingPolicy.Load(sb.ToString(), Roster);

        Assert.Equal(6_000, policy.RuleIds.Length);
    }

    [Fact]
    public void Load_WorkingHours_SetExactlyTheMinutesOfEachPeriod()
    {
        const string roster = """
            { "reps": [ { "id": "ana", "team": "uk", "workingHours": [
                { "days": ["mon", "mon", "wed"], "start": "00:00", "end": "01:04" },
                { "days": ["tue"], "start": "09:01", "end": "17:29" },
                { "days": ["sun"], "start": "22:59", "end": "24:00" } ] } ] }
            """;
        var expected = new bool[7 * 1440];
        foreach (var (day, from, to) in new[] { (0, 0, 64), (2, 0, 64), (1, 541, 1049), (6, 1379, 1440) })
        {
            expected.AsSpan((day * 1440) + from, to - from).Fill(true);
        }

        var policy = CompiledRoutingPolicy.Load(Policy, roster);
        var state = new RoutingState(policy);
        var monday = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
        var request = HandoffTestData.Request("l");

        var working = Enumerable.Range(0, 7 * 1440).Select(m => policy.Route(policy.Prepare(request, RoutingPhase.Initial), monday.AddMinutes(m), state, []).IsAssigned).ToArray();

        Assert.Equal(expected, working);
    }

    [Fact]
    public void ParsePolicy_FileOverTheDepthLimit_IsRefusedNamingTheLimit()
    {
        var ex = Assert.Throws<ModelException>(() => RoutingPolicyLoader.ParsePolicy(Policy, new ModelReadLimits { MaxDepth = 3 }));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("policy", error.Document);
        Assert.StartsWith("$.rules[0]", error.Path, StringComparison.Ordinal);
        Assert.Contains("ModelReadLimits.MaxDepth", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseRoster_StringOverTheDefaultLimit_IsRefusedNamingTheLimit()
    {
        string roster = Roster.Replace("\"ana\"", "\"" + new string('a', ModelReadLimits.DefaultMaxStringLength + 1) + "\"", StringComparison.Ordinal);

        var ex = Assert.Throws<ModelException>(() => RoutingPolicyLoader.ParseRoster(roster));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(("roster", "$.reps[0].id"), (error.Document, error.Path));
        Assert.Contains("ModelReadLimits.MaxStringLength", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PolicyOverTheByteLimit_IsRefusedNamingTheLimit()
    {
        Assert.True(Roster.Length < Policy.Length);

        var ex = Assert.Throws<ModelException>(() => CompiledRoutingPolicy.Load(Policy, Roster, new ModelLoadOptions { Limits = new ModelReadLimits { MaxBytes = Roster.Length } }));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(("policy", "$"), (error.Document, error.Path));
        Assert.Contains("ModelReadLimits.MaxBytes", error.Message, StringComparison.Ordinal);
    }
}
