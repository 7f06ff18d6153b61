using Alignment.Models;
using Alignment.Policies.Handoff;

namespace Alignment.Policies.Tests.Handoff;

public sealed class RoutingPolicyLoaderTests
{
    private const string Roster = """
        {
          "reps": [
            { "id": "ana", "team": "uk", "languages": ["en"], "territories": ["GB"], "timeZone": "Europe/London", "maxOpenLeads": 10, "maxLeadsPerDay": 4,
              "workingHours": [ { "days": ["mon","tue","wed","thu","fri"], "start": "09:00", "end": "17:30" } ],
              "outOfOffice": [ { "from": "2026-07-01T00:00:00Z", "to": "2026-07-15T00:00:00Z" } ] },
            { "id": "bo", "team": "uk", "languages": ["en"], "territories": ["GB"], "timeZone": "Europe/London" },
            { "id": "cy", "team": "agency", "skills": ["agency"] }
          ],
          "accounts": [ { "accountId": "acc-1", "domain": "globex.com", "owner": "bo" } ]
        }
        """;

    private const string Policy = """
        {
          "id": "acme",
          "fallbackQueue": "unassigned",
          "defaultSlaMinutes": 1440,
          // comments are allowed
          "rules": [
            { "id": "owner", "strategy": "accountOwner" },
            { "id": "agency", "match": { "lead.source": ["Agency"] }, "strategy": "roundRobin", "pool": { "teams": ["agency"], "skills": ["agency"] }, "queue": "agency-overflow" },
            { "id": "hot-uk", "match": { "score.state": ["hot"], "person.language": ["en"], "company.country": { "notIn": ["US"] } }, "strategy": "loadBalanced",
              "pool": { "teams": ["uk"], "matchLanguage": true }, "slaMinutes": 15, "availability": "skip",
              "escalation": { "notifyManager": true, "maxReassignments": 2, "queue": "sla-missed" } }
          ]
        }
        """;

    [Fact]
    public void Load_ValidDocuments_CompilesRulesRepsAndQueues()
    {
        var policy = CompiledRoutingPolicy.Load(Policy, Roster);

        Assert.Equal("acme", policy.Id);
        Assert.Equal(["owner", "agency", "hot-uk"], policy.RuleIds.ToArray());
        Assert.Equal(["ana", "bo", "cy"], policy.Reps.Select(r => r.Value));
        Assert.Equal(["unassigned", "agency-overflow", "sla-missed"], policy.Queues.ToArray());
        Assert.Equal(TimeSpan.FromMinutes(15), policy.GetSla(2));
        Assert.Equal(TimeSpan.FromHours(24), policy.GetSla(-1));
    }

    [Fact]
    public void Write_ThenParse_RoundTrips()
    {
        var parsed = RoutingPolicyLoader.ParsePolicy(Policy);
        var again = RoutingPolicyLoader.ParsePolicy(RoutingPolicyLoader.Write(parsed));
        Assert.Equal(RoutingPolicyLoader.Write(parsed), RoutingPolicyLoader.Write(again));
        var roster = RoutingPolicyLoader.ParseRoster(Roster);
        Assert.Equal(RoutingPolicyLoader.Write(roster), RoutingPolicyLoader.Write(RoutingPolicyLoader.ParseRoster(RoutingPolicyLoader.Write(roster))));
    }

    [Fact]
    public void ParsePolicy_MalformedJson_NamesPathAndLine()
    {
        var ex = Assert.Throws<ModelException>(() => RoutingPolicyLoader.ParsePolicy("{\n  \"id\": \"x\",\n  \"rules\": [ { \"id\": 5 } ]\n}"));
        var error = Assert.Single(ex.Errors);
        Assert.Equal("policy", error.Document);
        Assert.StartsWith("$.rules[0].id (line 3, position ", error.Path, StringComparison.Ordinal);
        Assert.Equal("policy", error.Document);
    }

    [Fact]
    public void ParsePolicy_UnknownStrategy_NamesPath()
    {
        var ex = Assert.Throws<ModelException>(() => RoutingPolicyLoader.ParsePolicy("""{ "id": "x", "rules": [ { "id": "a", "strategy": "random" } ] }"""));
        Assert.StartsWith("$.rules[0].strategy (line 1, position ", Assert.Single(ex.Errors).Path, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseRoster_UnknownProperty_IsRejected()
    {
        var ex = Assert.Throws<ModelException>(() => RoutingPolicyLoader.ParseRoster("""{ "reps": [ { "id": "a", "team": "t", "capacity": 3 } ] }"""));
        Assert.Equal("roster", Assert.Single(ex.Errors).Document);
        Assert.Contains("capacity", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadInput_ReportsEveryProblemWithItsPath()
    {
        const string roster = """
            {
              "reps": [
                { "id": "ana", "team": "uk", "maxOpenLeads": -1, "timeZone": "Mars/Olympus_Mons",
                  "outOfOffice": [ { "from": "2026-07-01T00:00:00Z", "to": "2026-07-15T00:00:00Z" }, { "from": "2026-07-10T00:00:00Z", "to": "2026-07-20T00:00:00Z" } ],
                  "workingHours": [ { "days": ["mon", "funday"], "start": "17:00", "end": "09:00" } ] },
                { "id": "ana", "team": "uk" },
                { "id": "bo", "team": "uk", "maxLeadsPerDay": -5 }
              ],
              "accounts": [ { "accountId": "acc-1", "owner": "zed" } ]
            }
            """;
        const string policy = """
            {
              "id": "acme",
              "rules": [
                { "id": "a", "strategy": "roundRobin", "pool": { "reps": ["ana", "ghost"] } },
                { "id": "b", "strategy": "roundRobin", "pool": { "teams": ["nobody"] } },
                { "id": "c", "strategy": "weighted", "pool": { "teams": ["uk"], "skills": ["agency"] }, "slaMinutes": 0 },
                { "id": "a", "strategy": "loadBalanced", "pool": { "teams": ["uk"] }, "match": { "score.total": { "atLeast": 80, "atMost": 20 }, "score.grade": { "atLeast": "Z" } } }
              ]
            }
            """;

        var ex = Assert.Throws<ModelException>(() => CompiledRoutingPolicy.Load(policy, roster));
        var errors = ex.Errors.Select(e => e.ToString()).ToList();

        Assert.Contains("roster $.reps[1].id: duplicate rep id 'ana'", errors);
        Assert.Contains("roster $.reps[0].timeZone: unknown time-zone id 'Mars/Olympus_Mons'", errors);
        Assert.Contains("roster $.reps[0].maxOpenLeads: a cap cannot be negative (was -1); the allowed range is 0 to 1,000,000", errors);
        Assert.Contains("roster $.reps[2].maxLeadsPerDay: a cap cannot be negative (was -5); the allowed range is 0 to 1,000,000", errors);
        Assert.Contains("roster $.reps[0].outOfOffice[1]: overlaps $.reps[0].outOfOffice[0]", errors);
        Assert.Contains("roster $.reps[0].workingHours[0].end: must be later than the start (17:00)", errors);
        Assert.Contains("roster $.accounts[0].owner: unknown rep id 'zed'", errors);
        Assert.Contains("policy $.fallbackQueue: a policy needs a fallback queue, so that every lead gets an outcome", errors);
        Assert.Contains("policy $.rules[0].pool.reps[1]: unknown rep id 'ghost'", errors);
        Assert.Contains("policy $.rules[1].pool.teams[0]: no rep is in team 'nobody'", errors);
        Assert.Contains("policy $.rules[1].pool: empty pool: it names no rep", errors);
        Assert.Contains("policy $.rules[2].pool.skills: empty pool: no member has every required skill (agency)", errors);
        Assert.Contains("policy $.rules[2].slaMinutes: must be greater than zero (was 0); the allowed range is 1 to 525,600 minutes (365 days)", errors);
        Assert.Contains("policy $.rules[3].id: duplicate rule id 'a'", errors);
        Assert.Contains("policy $.rules[3].match['score.total'].atMost: must not be below atLeast (80)", errors);
        Assert.Contains("policy $.rules[3].match['score.grade'].atLeast: 'Z' is not a grade (F to A+)", errors);
        Assert.Contains(errors, e => e.StartsWith("roster $.reps[0].workingHours[0].days[1]: unknown day 'funday'", StringComparison.Ordinal));
    }

    [Fact]
    public void TryCompile_NoRulesAndNoReps_ReturnsErrorsWithoutThrowing()
    {
        bool ok = RoutingPolicyCompiler.TryCompile(new() { Id = "x", FallbackQueue = "q" }, new(), out var compiled, out var errors);

        Assert.False(ok);
        Assert.Null(compiled);
        Assert.Equal(["roster $.reps: a roster needs at least one rep", "policy $.rules: a policy needs at least one rule"], errors.Select(e => e.ToString()));
    }
}
