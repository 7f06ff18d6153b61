using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Scoring;
using CsCheck;
using static Alignment.Policies.Tests.Handoff.HandoffTestData;

namespace Alignment.Policies.Tests.Handoff;

/// <summary>Properties of <see cref="CompiledRoutingPolicy.Route"/> over random rosters, policies and lead streams.</summary>
public sealed class RoutingPropertyTests
{
    private static readonly string[] Teams = ["a", "b", "c"];
    private static readonly string[] Countries = ["GB", "US", "DE", "FR"];
    private static readonly string[] Zones = ["UTC", "Europe/London", "America/New_York", "Asia/Tokyo"];

    private static (CompiledRoutingPolicy Policy, int[] MaxOpen, int[] MaxPerDay) Scenario(int seed, int reps, int leads)
    {
        var rnd = new Random(seed);
        var roster = new List<RepDefinition>();
        for (int i = 0; i < reps; i++)
        {
            var rep = Rep($"r{i:00}", Teams[rnd.Next(Teams.Length)], maxOpen: rnd.Next(4) == 0 ? null : rnd.Next(0, 6), perDay: rnd.Next(3) == 0 ? null : rnd.Next(0, 5), weight: rnd.Next(1, 5))
                with { TimeZone = Zones[rnd.Next(Zones.Length)], Territories = [Countries[rnd.Next(Countries.Length)]], Skills = rnd.Next(2) == 0 ? ["agency"] : [] };
            if (rnd.Next(3) == 0)
            {
                var from = Monday10Utc.AddHours(rnd.Next(0, 72));
                rep = rep with { OutOfOffice = [new OutOfOfficeDefinition { From = from, To = from.AddHours(rnd.Next(1, 48)) }] };
            }

            if (rnd.Next(3) == 0)
            {
                rep = rep with { WorkingHours = [new WorkingHoursDefinition { Days = ["mon", "tue", "wed", "thu", "fri"], Start = "09:00", End = "17:00" }] };
            }

            roster.Add(rep);
        }

        var rules = new List<RoutingRuleDefinition>();
        int ruleCount = rnd.Next(1, 5);
        for (int r = 0; r < ruleCount; r++)
        {
            // Pools name reps explicitly so that no pool is empty.
            var members = roster.Where(_ => rnd.Next(2) == 0).Select(x => x.Id!).ToList();
            if (members.Count == 0)
            {
                members.Add(roster[rnd.Next(roster.Count)].Id!);
            }

            rules.Add(new RoutingRuleDefinition
            {
                Id = $"rule{r}",
                Strategy = RoutingStrategies.All[rnd.Next(3)],
                Match = rnd.Next(2) == 0 ? null : new RuleMatchDefinition { Countries = [Countries[rnd.Next(Countries.Length)]] },
                Pool = new RulePoolDefinition { Reps = members, MatchTerritory = rnd.Next(4) == 0 },
                Availability = rnd.Next(2) == 0 ? AvailabilityMode.Skip : AvailabilityMode.Wait,
                Queue = rnd.Next(3) == 0 ? $"q{r}" : null,
            });
        }

        var policy = RoutingPolicyCompiler.Compile(new RoutingPolicyDefinition { Id = "prop", FallbackQueue = "fallback", Rules = rules }, new RosterDefinition { Reps = roster });
        var byId = roster.ToDictionary(r => r.Id!);
        return (policy, [.. policy.Reps.Select(r => byId[r.Value].MaxOpenLeads ?? int.MaxValue)], [.. policy.Reps.Select(r => byId[r.Value].MaxLeadsPerDay ?? int.MaxValue)]);
    }

    private static readonly Gen<(int Seed, int Reps, int Leads)> Scenarios = Gen.Select(Gen.Int, Gen.Int[1, 12], Gen.Int[1, 300]);

    [Fact]
    public void Every_lead_gets_exactly_one_outcome_and_no_cap_is_ever_exceeded()
    {
        Scenarios.Sample(
            s =>
            {
                var (policy, maxOpen, maxPerDay) = Scenario(s.Seed, s.Reps, s.Leads);
                int leads = s.Leads;
                var rnd = new Random(s.Seed ^ 0x5a5a);
                var state = new RoutingState(policy);
                var model = new int[policy.Reps.Length];
                var now = Monday10Utc;
                var notes = new CandidateNote[32];
                int outcomes = 0;
                for (int i = 0; i < leads; i++)
                {
                    now = now.AddMinutes(rnd.Next(0, 90));
                    var request = Request($"l{i}", country: Countries[rnd.Next(Countries.Length)]);
                    var r = policy.Route(policy.Prepare(request, RoutingPhase.Initial), now, state, notes);
                    if (r.IsAssigned == (r.QueueIndex >= 0))
                    {
                        return false; // both or neither
                    }

                    outcomes++;
                    if (r.IsAssigned)
                    {
                        model[r.RepIndex]++;
                    }

                    // Sales works some leads: free capacity now and then.
                    if (rnd.Next(3) == 0)
                    {
                        int rep = rnd.Next(model.Length);
                        if (model[rep] > 0)
                        {
                            model[rep]--;
                            state.Release(rep);
                        }
                    }

                    for (int k = 0; k < model.Length; k++)
                    {
                        var load = state.GetRepLoad(k);
                        if (load.Open != model[k] || load.Open > maxOpen[k] || load.DayCount > maxPerDay[k])
                        {
                            return false;
                        }
                    }
                }

                return outcomes == leads;
            },
            iter: 200);
    }

    [Fact]
    public void Round_robin_stays_within_one_lead_of_perfect_balance_among_equally_eligible_reps()
    {
        Gen.Select(Gen.Int[1, 20], Gen.Int[1, 500], Gen.Int[0, 5]).Sample(
            s =>
            {
                var (reps, leads, away) = s;
                var roster = Enumerable.Range(0, reps).Select(i => i < away && i < reps - 1
                    ? Rep($"r{i:00}") with { OutOfOffice = [new OutOfOfficeDefinition { From = Monday10Utc.AddDays(-1), To = Monday10Utc.AddDays(30) }] }
                    : Rep($"r{i:00}")).ToArray();
                var policy = Compile(roster, Rule("rr", RoutingStrategies.RoundRobin, "ae"));
                var state = new RoutingState(policy);
                var counts = new int[reps];
                for (int i = 0; i < leads; i++)
                {
                    var r = policy.Route(policy.Prepare(Request($"l{i}"), RoutingPhase.Initial), Monday10Utc.AddMinutes(i), state, []);
                    counts[r.RepIndex]++;
                }

                var eligible = counts.Where((_, i) => !(i < away && i < reps - 1)).ToArray();
                return eligible.Max() - eligible.Min() <= 1 && eligible.Sum() == leads;
            },
            iter: 300);
    }
}
