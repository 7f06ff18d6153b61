using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Scoring;

namespace Alignment.Policies.Tests.Handoff;

/// <summary>Routing cells: the split of a policy's pools and reps that no decision's footprint crosses.</summary>
public sealed class RoutingCellsTests
{
    private static RepDefinition Rep(string id) => new() { Id = id, Team = "ae", MaxOpenLeads = 5 };

    private static CompiledRoutingPolicy Policy(IEnumerable<RoutingRuleDefinition> rules, IEnumerable<string> reps, IReadOnlyList<AccountOwnerDefinition>? accounts = null) =>
        RoutingPolicyCompiler.Compile(
            new RoutingPolicyDefinition { Id = "cells", FallbackQueue = "unassigned", Rules = [.. rules] },
            new RosterDefinition { Reps = [.. reps.Select(Rep)], Accounts = accounts });

    private static RoutingRuleDefinition Country(string id, string country, string[] reps, string? queue = null, string strategy = "roundRobin") =>
        new() { Id = id, Strategy = RoutingStrategies.All.Single(s => s.Name == strategy), Match = new() { Countries = [country] }, Pool = new() { Reps = reps }, Queue = queue };

    [Fact]
    public void SharedRep_AndFallThroughToACatchAll_JoinPools_DisjointPoolWithAQueueStandsAlone()
    {
        // gb (queue) shares s with de; de has no queue and falls through to the catch-all; fr has a queue and its own reps.
        var policy = Policy(
            [
                Country("gb", "GB", ["a0", "a1", "s"], queue: "gb-queue"),
                Country("de", "DE", ["b0", "s"], strategy: "loadBalanced"),
                Country("fr", "FR", ["c0", "c1"], queue: "fr-queue"),
                new() { Id = "rest", Strategy = RoutingStrategies.RoundRobin, Pool = new() { Reps = ["d0"] } },
            ],
            ["a0", "a1", "s", "b0", "c0", "c1", "d0"]);

        var cells = policy.GetCells();

        Assert.Equal(2, cells.Count);
        Assert.Equal<string>(["cells/gb", "cells/de", "cells/rest"], cells.GetPoolKeys(0));
        Assert.Equal(["a0", "a1", "b0", "d0", "s"], cells.GetReps(0).Select(r => r.Value));
        Assert.Equal<string>(["cells/fr"], cells.GetPoolKeys(1));
        Assert.Equal(["c0", "c1"], cells.GetReps(1).Select(r => r.Value));
        Assert.Equal(1, cells.CellOf(new RepId("c1")));
        Assert.Equal(-1, cells.CellOf(new RepId("nobody")));
        Assert.NotEqual(cells.GetKey(0), cells.GetKey(1));
        Assert.Matches("^c[0-9a-f]{16}$", cells.GetKey(0));
        Assert.Same(cells, policy.GetCells());
    }

    [Fact]
    public void DisjointTerritoriesWithoutQueues_AreOneCellEach_AndAnUnmatchedLeadTouchesNone()
    {
        var policy = Policy(
            Enumerable.Range(0, 10).Select(p => Country($"t{p}", $"C{p}", [.. Enumerable.Range(0, 5).Select(r => $"r{p}-{r}")])),
            Enumerable.Range(0, 10).SelectMany(p => Enumerable.Range(0, 5).Select(r => $"r{p}-{r}")));

        var cells = policy.GetCells();

        Assert.Equal(10, cells.Count);
        for (int p = 0; p < 10; p++)
        {
            var footprint = policy.GetFootprint(new RoutingFacts(new LeadId("l")) { Country = $"C{p}" }, RoutingPhase.Initial);
            Assert.Equal(p, cells.CellOf(footprint));
        }

        Assert.Equal(-1, cells.CellOf(policy.GetFootprint(new RoutingFacts(new LeadId("l")) { Country = "ZZ" }, RoutingPhase.Initial)));
        Assert.Throws<ArgumentException>(() => cells.CellOf(policy.GetWholeFootprint()));
    }

    [Fact]
    public void ScoreRangesThatDoNotMeet_AreToldApart_OverlappingOnesAreNot()
    {
        RoutingRuleDefinition Band(string id, decimal? min, decimal? max, string rep) =>
            new() { Id = id, Strategy = RoutingStrategies.RoundRobin, Match = new() { MinScore = min, MaxScore = max }, Pool = new() { Reps = [rep] } };

        var apart = Policy([Band("low", null, 49, "a"), Band("high", 50, null, "b")], ["a", "b"]).GetCells();
        var overlapping = Policy([Band("low", null, 60, "a"), Band("high", 50, null, "b")], ["a", "b"]).GetCells();

        Assert.Equal(2, apart.Count);
        Assert.Equal(1, overlapping.Count);
    }

    [Fact]
    public void AccountOwnerRule_PutsEveryRepInItsCell()
    {
        var policy = Policy(
            [
                new() { Id = "own", Strategy = RoutingStrategies.AccountOwner, Queue = "owners" },
                Country("fr", "FR", ["c0"], queue: "fr-queue"),
                Country("de", "DE", ["b0"], queue: "de-queue"),
            ],
            ["owner", "b0", "c0"],
            [new AccountOwnerDefinition { AccountId = "acc-1", Owner = "owner" }]);

        Assert.Equal(1, policy.GetCells().Count);
    }

    [Fact]
    public void EveryFootprint_LiesInOneCell_OverRandomPoliciesAndLeads()
    {
        // Random policies over 4 countries and 3 segments, rules with and without queues, shared reps; every lead's footprint
        // must fall in one cell (CellOf throws when it spans two).
        var random = new Random(20261205);
        string[] countries = ["GB", "DE", "FR", "US"];
        string[] segments = ["smb", "mid", "ent"];
        for (int round = 0; round < 200; round++)
        {
            var reps = Enumerable.Range(0, 12).Select(i => $"r{i}").ToArray();
            var rules = new List<RoutingRuleDefinition>();
            int count = random.Next(1, 8);
            for (int r = 0; r < count; r++)
            {
                var match = new RuleMatchDefinition
                {
                    Countries = random.Next(3) == 0 ? null : [.. countries.Where(_ => random.Next(2) == 0).DefaultIfEmpty("GB")],
                    Segments = random.Next(2) == 0 ? null : [segments[random.Next(3)]],
                    MinScore = random.Next(3) == 0 ? random.Next(0, 60) : null,
                };
                rules.Add(new()
                {
                    Id = $"rule{r}",
                    Strategy = random.Next(2) == 0 ? RoutingStrategies.RoundRobin : RoutingStrategies.LoadBalanced,
                    Match = match,
                    Pool = new() { Reps = [.. reps.Where(_ => random.Next(5) == 0).DefaultIfEmpty(reps[random.Next(reps.Length)]).Distinct()] },
                    Queue = random.Next(2) == 0 ? $"q{r}" : null,
                });
            }

            var policy = Policy(rules, reps);
            var cells = policy.GetCells();
            Assert.Equal(policy.GetWholeFootprint().PoolKeys.Length, Enumerable.Range(0, cells.Count).Sum(c => cells.GetPoolKeys(c).Length));
            foreach (string country in countries.Append("ZZ"))
            {
                foreach (string segment in segments)
                {
                    foreach (int score in new[] { 0, 30, 59, 90 })
                    {
                        var facts = new RoutingFacts(new LeadId("l")) { Country = country, Segment = segment, Score = score, State = QualificationState.MarketingQualified };
                        var footprint = policy.GetFootprint(facts, RoutingPhase.Initial);
                        int cell = cells.CellOf(footprint);
                        Assert.True(footprint.PoolKeys.IsEmpty || cell >= 0);
                    }
                }
            }
        }
    }
}
