using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Scoring;
using static Alignment.Policies.Tests.Handoff.HandoffTestData;

namespace Alignment.Policies.Tests.Handoff;

public sealed class CompiledRoutingPolicyTests
{
    private static readonly DateTimeOffset Now = Monday10Utc;

    [Fact]
    public void Route_RoundRobin_RotatesInRepIdOrder()
    {
        var policy = Compile([Rep("c"), Rep("a"), Rep("b")], Rule("rr", RoutingStrategies.RoundRobin, "ae"));
        var state = new RoutingState(policy);

        var got = Enumerable.Range(0, 6).Select(i => RouteOne(policy, state, Request($"l{i}"), Now)).ToList();

        Assert.Equal(["a", "b", "c", "a", "b", "c"], got);
    }

    [Fact]
    public void Route_RepBackFromLeave_IsNotFloodedAndOthersAreNotReset()
    {
        var reps = new[]
        {
            Rep("a"),
            Rep("b") with { OutOfOffice = [new OutOfOfficeDefinition { From = Now, To = Now.AddDays(1) }] },
            Rep("c"),
        };
        var policy = Compile(reps, Rule("rr", RoutingStrategies.RoundRobin, "ae"));
        var state = new RoutingState(policy);

        var away = Enumerable.Range(0, 4).Select(i => RouteOne(policy, state, Request($"x{i}"), Now.AddHours(1))).ToList();
        var back = Enumerable.Range(0, 6).Select(i => RouteOne(policy, state, Request($"y{i}"), Now.AddDays(2))).ToList();

        Assert.Equal(["a", "c", "a", "c"], away);
        Assert.Equal(["a", "b", "c", "a", "b", "c"], back); // b takes one turn in three: not flooded to catch up
    }

    [Fact]
    public void Route_RepJoinsTheRoster_RotationContinuesWhereItStood()
    {
        var policy1 = Compile([Rep("a"), Rep("c")], Rule("rr", RoutingStrategies.RoundRobin, "ae"));
        var store = new InMemoryRoutingStateStore();
        var state1 = new RoutingState(policy1);
        Assert.Equal("a", RouteOne(policy1, state1, Request("1"), Now));

        var policy2 = Compile([Rep("a"), Rep("b"), Rep("c")], Rule("rr", RoutingStrategies.RoundRobin, "ae"));
        var state2 = new RoutingState(policy2);
        state2.SetPoolRotation(0, state1.GetPoolRotation(0));
        state2.SetRepLoad(policy2.IndexOf(new("a")), state1.GetRepLoad(policy1.IndexOf(new("a"))));

        Assert.Equal(["b", "c", "a"], Enumerable.Range(0, 3).Select(i => RouteOne(policy2, state2, Request($"n{i}"), Now)));
        Assert.Equal(2, state2.GetRepLoad(policy2.IndexOf(new("a"))).Open);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public void Route_Weighted_SplitsSeventyThirty()
    {
        var policy = Compile([Rep("a", weight: 7), Rep("b", weight: 3)], Rule("w", RoutingStrategies.Weighted, "ae"));
        var state = new RoutingState(policy);

        var got = Enumerable.Range(0, 100).Select(i => RouteOne(policy, state, Request($"l{i}"), Now)).ToList();

        Assert.Equal(70, got.Count(r => r == "a"));
        Assert.Equal(30, got.Count(r => r == "b"));
    }

    [Fact]
    public void Route_LoadBalanced_PicksFewestOpen()
    {
        var policy = Compile([Rep("a"), Rep("b"), Rep("c")], Rule("lb", RoutingStrategies.LoadBalanced, "ae"));
        var state = new RoutingState(policy);
        state.SetRepLoad(0, new RepLoad(5, 0, 0, 5));
        state.SetRepLoad(1, new RepLoad(1, 0, 0, 1));
        state.SetRepLoad(2, new RepLoad(3, 0, 0, 3));

        Assert.Equal(["b", "b", "c", "b"], Enumerable.Range(0, 4).Select(i => RouteOne(policy, state, Request($"l{i}"), Now)));
    }

    [Fact]
    public void Route_CapsReached_FallsThroughToNextRuleThenQueue()
    {
        var policy = Compile(
            [Rep("a", team: "uk", maxOpen: 1), Rep("b", team: "uk", perDay: 1), Rep("z", team: "overflow", maxOpen: 1)],
            Rule("uk", RoutingStrategies.RoundRobin, "uk"),
            Rule("overflow", RoutingStrategies.RoundRobin, "overflow") with { Queue = "overflow-queue" });
        var state = new RoutingState(policy);

        var got = Enumerable.Range(0, 4).Select(i => RouteOne(policy, state, Request($"l{i}"), Now)).ToList();

        Assert.Equal(["a", "b", "z", "queue:overflow-queue"], got);
        Assert.Equal(1, state.GetRepLoad(0).Open);
        Assert.Equal(1, state.GetRepLoad(1).DayCount);
    }

    [Fact]
    public void Route_DailyCap_ResetsAtMidnightInTheRepsTimeZone()
    {
        var policy = Compile([Rep("a", perDay: 1) with { TimeZone = "America/New_York" }], Rule("r", RoutingStrategies.RoundRobin, "ae"));
        var state = new RoutingState(policy);
        var ny = new DateTimeOffset(2026, 3, 3, 3, 30, 0, TimeSpan.Zero); // 22:30 on Monday in New York

        Assert.Equal("a", RouteOne(policy, state, Request("1"), ny));
        Assert.Equal("queue:unassigned", RouteOne(policy, state, Request("2"), ny.AddHours(1))); // 23:30 NY: same day
        Assert.Equal("a", RouteOne(policy, state, Request("3"), ny.AddHours(2))); // 00:30 NY: a new day
    }

    [Fact]
    public void Route_OffHours_SkipPassesOverWaitStartsTheClockAtNextWorkingPeriod()
    {
        var hours = new WorkingHoursDefinition { Days = ["mon", "tue", "wed", "thu", "fri"], Start = "09:00", End = "17:00" };
        var reps = new[] { Rep("a") with { TimeZone = "Europe/London", WorkingHours = [hours] } };
        var skip = Compile(reps, Rule("r", RoutingStrategies.RoundRobin, "ae") with { SlaMinutes = 15 });
        var wait = Compile(reps, Rule("r", RoutingStrategies.RoundRobin, "ae") with { SlaMinutes = 15, Availability = AvailabilityMode.Wait });
        var evening = new DateTimeOffset(2026, 3, 2, 20, 0, 0, TimeSpan.Zero); // Monday 20:00 London

        Assert.Equal("queue:unassigned", RouteOne(skip, new RoutingState(skip), Request("1"), evening));
        var state = new RoutingState(wait);
        var r = wait.Route(wait.Prepare(Request("2"), RoutingPhase.Initial), evening, state, []);
        Assert.True(r.IsAssigned);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero), r.SlaStartsAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 9, 15, 0, TimeSpan.Zero), r.SlaDueAt);
    }

    [Fact]
    public void Route_SkillsLanguageAndTerritory_MatchTheRightTeam()
    {
        var reps = new[]
        {
            Rep("agency-1", team: "sales") with { Skills = ["agency"] },
            Rep("uk-1", team: "sales") with { Languages = ["en"], Territories = ["GB", "IE"] },
            Rep("us-1", team: "sales") with { Languages = ["en"], Territories = ["US"] },
        };
        var policy = Compile(
            reps,
            new RoutingRuleDefinition { Id = "agency", Strategy = RoutingStrategies.RoundRobin, Match = new() { Sources = ["Agency"] }, Pool = new() { Teams = ["sales"], Skills = ["agency"] } },
            new RoutingRuleDefinition { Id = "english", Strategy = RoutingStrategies.RoundRobin, Match = new() { Languages = ["en"], ExcludeCountries = ["US"] }, Pool = new() { Teams = ["sales"], MatchLanguage = true, MatchTerritory = true } },
            new RoutingRuleDefinition { Id = "us", Strategy = RoutingStrategies.RoundRobin, Match = new() { Countries = ["US"] }, Pool = new() { Reps = ["us-1"] } });
        var state = new RoutingState(policy);

        Assert.Equal("agency-1", RouteOne(policy, state, Request("1", source: "agency"), Now));
        Assert.Equal("uk-1", RouteOne(policy, state, Request("2", language: "en-GB", country: "GB"), Now));
        Assert.Equal("uk-1", RouteOne(policy, state, Request("3", language: "en", country: "IE"), Now));
        Assert.Equal("us-1", RouteOne(policy, state, Request("4", language: "en", country: "US"), Now));
        Assert.Equal("queue:unassigned", RouteOne(policy, state, Request("5", language: "de", country: "DE"), Now));
    }

    [Fact]
    public void Route_AccountOwner_ByAccountIdOrDomain_ElseNextRule()
    {
        var roster = new RosterDefinition
        {
            Reps = [Rep("owner"), Rep("other")],
            Accounts = [new AccountOwnerDefinition { AccountId = "acc-1", Owner = "owner" }, new AccountOwnerDefinition { Domain = "globex.com", Owner = "owner" }],
        };
        var policy = RoutingPolicyCompiler.Compile(
            new RoutingPolicyDefinition { Id = "p", FallbackQueue = "q", Rules = [new() { Id = "own", Strategy = RoutingStrategies.AccountOwner }, Rule("rr", RoutingStrategies.RoundRobin, "ae") with { Pool = new() { Reps = ["other"] } }] },
            roster);
        var state = new RoutingState(policy);

        Assert.Equal("owner", RouteOne(policy, state, Request("1", accountId: "acc-1"), Now));
        Assert.Equal("owner", RouteOne(policy, state, Request("2", domain: "www.GLOBEX.com"), Now));
        Assert.Equal("other", RouteOne(policy, state, Request("3", domain: "initech.com"), Now));
    }

    [Fact]
    public void Route_ScoreBandGradeAndState_SelectRules()
    {
        var policy = Compile(
            [Rep("hot-rep", team: "hot"), Rep("rest", team: "rest")],
            Rule("hot", RoutingStrategies.RoundRobin, "hot") with { Match = new() { States = ["hot"], MinGrade = "B", MinScore = 80 }, SlaMinutes = 15 },
            Rule("rest", RoutingStrategies.RoundRobin, "rest"));
        var state = new RoutingState(policy);

        Assert.Equal("hot-rep", RouteOne(policy, state, Request("1", QualificationState.Hot, 85, Grade.A), Now));
        Assert.Equal("rest", RouteOne(policy, state, Request("2", QualificationState.Hot, 85, Grade.C), Now));
        Assert.Equal("rest", RouteOne(policy, state, Request("3", QualificationState.Hot, 79, Grade.A), Now));
        Assert.Equal("rest", RouteOne(policy, state, Request("4", QualificationState.MarketingQualified, 95, Grade.A), Now));
    }

    [Fact]
    public void Explain_NamesRuleStrategyRepAndWhyOthersWerePassedOver()
    {
        var reps = new[]
        {
            Rep("a", maxOpen: 0),
            Rep("b") with { OutOfOffice = [new OutOfOfficeDefinition { From = Now.AddDays(-1), To = Now.AddDays(1) }] },
            Rep("c"),
            Rep("d"),
        };
        var policy = Compile(reps, Rule("rr", RoutingStrategies.RoundRobin, "ae") with { SlaMinutes = 15 });
        var state = new RoutingState(policy);
        var notes = new CandidateNote[8];

        var r = policy.Route(policy.Prepare(Request("1"), RoutingPhase.Initial), Now, state, notes);
        var decision = policy.ToDecision(new("1"), r, notes);

        Assert.Equal(
            "rule 'rr' (round robin): assigned to c, first touch due 2026-03-02 10:15Z (15 min SLA); passed over: a (at capacity 0/0), b (out of office)",
            decision.Explanation);
        Assert.Equal("rr", decision.RuleId);
    }

    [Fact]
    public void Route_QualificationRule_AppliesOnlyToTheFirstLeg()
    {
        var policy = Compile(
            [Rep("isr", team: "inside"), Rep("ae1", team: "field")],
            Rule("qualify", RoutingStrategies.RoundRobin, "inside") with { Qualification = true, Match = new() { States = ["mql"] } },
            Rule("field", RoutingStrategies.RoundRobin, "field"));
        var state = new RoutingState(policy);
        var request = Request("1");

        var first = policy.Route(policy.Prepare(request, RoutingPhase.Initial), Now, state, []);
        var second = policy.Route(policy.Prepare(RoutingFacts.From(request), RoutingPhase.Qualified, null), Now, state, []);

        Assert.Equal("isr", policy.Reps[first.RepIndex].Value);
        Assert.True(policy.IsQualificationRule(first.RuleIndex));
        Assert.Equal("ae1", policy.Reps[second.RepIndex].Value);
    }

    [Fact]
    public void Route_WithAnotherPolicysState_Throws()
    {
        var p1 = Compile([Rep("a")], Rule("r", RoutingStrategies.RoundRobin, "ae"));
        var p2 = Compile([Rep("a")], Rule("r", RoutingStrategies.RoundRobin, "ae"));

        Assert.Throws<ArgumentException>(() => p1.Route(p1.Prepare(Request("1"), RoutingPhase.Initial), Now, new RoutingState(p2), []));
    }

    [Fact]
    public void Route_SteadyState_AllocatesNothing()
    {
        var reps = Enumerable.Range(0, 20).Select(i => Rep($"r{i:00}", maxOpen: 5, perDay: 1000) with { TimeZone = "Europe/Paris", Languages = ["en"] }).ToArray();
        var policy = Compile(
            reps,
            Rule("w", RoutingStrategies.Weighted, "ae") with { Match = new() { Languages = ["de"] } },
            Rule("lb", RoutingStrategies.LoadBalanced, "ae") with { Match = new() { States = ["hot"] }, Pool = new() { Teams = ["ae"], MatchLanguage = true } },
            Rule("rr", RoutingStrategies.RoundRobin, "ae"));
        var state = new RoutingState(policy);
        var requests = Enumerable.Range(0, 64).Select(i => Request($"l{i}", i % 3 == 0 ? QualificationState.Hot : QualificationState.MarketingQualified, language: i % 2 == 0 ? "en" : "de")).ToArray();
        var notes = new CandidateNote[16];
        void Run()
        {
            for (int i = 0; i < 1000; i++)
            {
                var r = policy.Route(policy.Prepare(requests[i & 63], RoutingPhase.Initial), Now, state, notes);
                if (r.IsAssigned)
                {
                    state.Release(r.RepIndex);
                }
            }
        }

        Run();

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
}
