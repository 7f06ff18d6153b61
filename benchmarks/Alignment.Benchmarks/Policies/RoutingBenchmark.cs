using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Scoring;
using BenchmarkDotNet.Attributes;

namespace Alignment.Benchmarks.Policies;

/// <summary>
/// Routing throughput of the synchronous core: a 20-rule policy over 50 reps (caps, time zones, working hours, skills,
/// language/territory matching, all four strategies), one decision per operation, leads prepared and routed against the
/// in-memory state. Old leads are released as new ones arrive so that some reps sit at their caps. <see cref="HandWritten"/>
/// (the baseline of the time guard) routes the same requests through the same rules and reps with a plain C# loop
/// (<see cref="RoutingHandWritten"/>).
/// </summary>
[MemoryDiagnoser]
[IterationCount(15)]
public class RoutingBenchmark
{
    private const int Batch = 1024;
    private static readonly string[] Countries = ["GB", "US", "DE", "FR", "IE", "ES", "NL", "CA"];
    private static readonly string[] Languages = ["en", "en-GB", "de", "fr", "es", "nl"];
    private static readonly string[] Sources = ["Webinar", "Agency", "Organic Search", "Trade Show", "Referral"];
    private static readonly string[] Zones = ["Europe/London", "America/New_York", "Europe/Berlin", "UTC"];
    private readonly CandidateNote[] _notes = new CandidateNote[32];
    private readonly int[] _held = new int[256];
    private CompiledRoutingPolicy _policy = null!;
    private RoutingState _state = null!;
    private RoutingHandWritten _handWritten = null!;
    private readonly int[] _handHeld = new int[256];
    private int _handNext;
    private HandoffRequest[] _requests = null!;
    private DateTimeOffset _now;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var rnd = new Random(7);
        var reps = Enumerable.Range(0, 50).Select(i => new RepDefinition
        {
            Id = $"rep-{i:00}",
            Team = $"team-{i % 5}",
            Skills = i % 7 == 0 ? ["agency"] : [],
            Languages = [Languages[i % Languages.Length][..2], "en"],
            Territories = [Countries[i % Countries.Length], Countries[(i + 3) % Countries.Length]],
            TimeZone = Zones[i % Zones.Length],
            MaxOpenLeads = 4 + (i % 5),
            MaxLeadsPerDay = 1_000_000,
            Weight = 1 + (i % 3),
            WorkingHours = i % 4 == 0 ? null : [new WorkingHoursDefinition { Days = ["mon", "tue", "wed", "thu", "fri"], Start = "08:00", End = "20:00" }],
        }).ToList();
        var rules = new List<RoutingRuleDefinition> { new() { Id = "owner", Strategy = RoutingStrategies.AccountOwner } };
        for (int r = 1; r < 20; r++)
        {
            rules.Add(new RoutingRuleDefinition
            {
                Id = $"rule-{r:00}",
                Strategy = RoutingStrategies.All[r % 3],
                Match = r switch
                {
                    < 5 => new() { Countries = [Countries[r % Countries.Length]], States = ["hot"] },
                    < 9 => new() { Sources = [Sources[r % Sources.Length]], MinScore = 50 },
                    < 13 => new() { Languages = [Languages[r % Languages.Length]], ExcludeCountries = ["US"] },
                    < 19 => new() { MinGrade = "C", Regions = ["EMEA"] },
                    _ => null,
                },
                Pool = new() { Teams = [$"team-{r % 5}", $"team-{(r + 1) % 5}"], MatchLanguage = r % 2 == 0, MatchTerritory = r % 3 == 0 },
                SlaMinutes = r < 5 ? 15 : 1440,
                Queue = r == 19 ? "overflow" : null,
            });
        }

        var accounts = Enumerable.Range(0, 40).Select(i => new AccountOwnerDefinition { AccountId = $"acc-{i}", Domain = $"company{i}.com", Owner = $"rep-{i % 50:00}" }).ToList();
        _policy = RoutingPolicyCompiler.Compile(new RoutingPolicyDefinition { Id = "bench", FallbackQueue = "unassigned", Rules = rules }, new RosterDefinition { Reps = reps, Accounts = accounts });
        _state = new RoutingState(_policy);
        _handWritten = new RoutingHandWritten(rules, reps, accounts);
        Array.Fill(_handHeld, -1);
        _requests = new HandoffRequest[Batch];
        for (int i = 0; i < Batch; i++)
        {
            var lead = new Lead(new LeadId($"lead-{i}"))
            {
                AccountId = i % 10 == 0 ? new AccountId($"acc-{rnd.Next(80)}") : null,
                Company = new CompanyProfile { Country = Countries[rnd.Next(Countries.Length)], Region = i % 2 == 0 ? "EMEA" : "AMER", Domain = $"company{rnd.Next(200)}.com" },
                Person = new PersonProfile { Language = Languages[rnd.Next(Languages.Length)] },
                Source = Sources[rnd.Next(Sources.Length)],
            };
            var card = new ScoreCard
            {
                LeadId = lead.Id, AsOf = DateTimeOffset.UnixEpoch, Total = rnd.Next(0, 100), Fit = 0, Engagement = 0, Grade = (Grade)rnd.Next(13),
                State = (QualificationState)rnd.Next(3), Categories = [], Explanation = [], ModelId = "m", ModelVersion = "1", ModelHash = "0",
            };
            _requests[i] = new HandoffRequest(lead, card, null);
        }

        Array.Fill(_held, -1);
        _now = new DateTimeOffset(2026, 3, 4, 14, 0, 0, TimeSpan.Zero);
    }

    /// <summary>One routing decision per operation: prepare the lead, route it, record it; frees the lead routed 256 decisions ago.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int InMemory()
    {
        int assigned = 0;
        var policy = _policy;
        var state = _state;
        for (int i = 0; i < Batch; i++)
        {
            var lead = policy.Prepare(_requests[i], RoutingPhase.Initial);
            var r = policy.Route(lead, _now, state, _notes);
            int slot = _next++ & 255;
            if (_held[slot] >= 0)
            {
                state.Release(_held[slot]);
            }

            _held[slot] = r.RepIndex;
            assigned += r.IsAssigned ? 1 : 0;
        }

        return assigned;
    }

    /// <summary>The baseline: the same decisions by a plain C# loop over the same rules and reps (see <see cref="RoutingHandWritten"/>).</summary>
    /// <returns>How many leads were assigned.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int HandWritten()
    {
        int assigned = 0;
        var router = _handWritten;
        for (int i = 0; i < Batch; i++)
        {
            int rep = router.Route(_requests[i]);
            int slot = _handNext++ & 255;
            if (_handHeld[slot] >= 0)
            {
                router.Release(_handHeld[slot]);
            }

            _handHeld[slot] = rep;
            assigned += rep >= 0 ? 1 : 0;
        }

        return assigned;
    }
}
