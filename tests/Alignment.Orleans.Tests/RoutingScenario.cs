using System.Globalization;
using System.Text;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Scoring;

namespace Alignment.Orleans.Tests;

/// <summary>Random rosters and routing policies (as JSON, as a user writes them) and leads for them.</summary>
internal static class RoutingScenario
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    public static readonly string[] Countries = ["GB", "DE", "FR", "US", "ES"];

    /// <summary>A random policy: 2-6 rules over some countries (or none), round robin, weighted or load balanced, queues or not, SLAs with reassignments; 12 reps with caps and weights.</summary>
    public static CompiledRoutingPolicy Random(int seed)
    {
        var rnd = new Random(seed);
        var reps = Enumerable.Range(0, 12).Select(i => $"r{i:00}").ToArray();
        var roster = new StringBuilder("{ \"reps\": [");
        for (int i = 0; i < reps.Length; i++)
        {
            roster.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? "," : "")}{{ \"id\": \"{reps[i]}\", \"team\": \"ae\", \"weight\": {rnd.Next(1, 5)}{(rnd.Next(4) == 0 ? "" : $", \"maxOpenLeads\": {rnd.Next(1, 4)}")} }}");
        }

        roster.Append("] }");
        string[] strategies = ["roundRobin", "weighted", "loadBalanced"];
        var rules = new List<string>();
        int count = rnd.Next(2, 7);
        for (int r = 0; r < count; r++)
        {
            var members = reps.Where(_ => rnd.Next(4) == 0).DefaultIfEmpty(reps[rnd.Next(reps.Length)]).Distinct().ToArray();
            var countries = Countries.Where(_ => rnd.Next(3) == 0).ToArray();
            string match = countries.Length == 0 || rnd.Next(5) == 0 ? "" : $"\"match\": {{ \"company.country\": [{string.Join(", ", countries.Select(c => $"\"{c}\""))}] }}, ";
            string queue = rnd.Next(2) == 0 ? $", \"queue\": \"q{r}\"" : "";
            rules.Add($"{{ \"id\": \"rule{r}\", {match}\"strategy\": \"{strategies[rnd.Next(3)]}\", \"pool\": {{ \"reps\": [{string.Join(", ", members.Select(m => $"\"{m}\""))}] }}{queue}, \"slaMinutes\": {rnd.Next(5, 60)}, \"escalation\": {{ \"maxReassignments\": {rnd.Next(0, 3)} }} }}");
        }

        string policy = $"{{ \"id\": \"prop\", \"fallbackQueue\": \"unassigned\", \"rules\": [ {string.Join(", ", rules)} ] }}";
        return CompiledRoutingPolicy.Load(policy, roster.ToString());
    }

    /// <summary>Pools of 5 reps in territories that do not overlap, each rep capped: one cell per territory.</summary>
    public static CompiledRoutingPolicy Territories(int pools, int repsPerPool, int cap)
    {
        var rules = Enumerable.Range(0, pools).Select(p =>
            $"{{ \"id\": \"t{p}\", \"match\": {{ \"company.country\": [\"C{p}\"] }}, \"strategy\": \"roundRobin\", \"pool\": {{ \"reps\": [{string.Join(", ", Enumerable.Range(0, repsPerPool).Select(r => $"\"p{p}-r{r}\""))}] }}, \"queue\": \"q{p}\" }}");
        var reps = Enumerable.Range(0, pools).SelectMany(p => Enumerable.Range(0, repsPerPool).Select(r => $"{{ \"id\": \"p{p}-r{r}\", \"team\": \"ae\", \"maxOpenLeads\": {cap} }}"));
        return CompiledRoutingPolicy.Load(
            $"{{ \"id\": \"territories\", \"fallbackQueue\": \"unassigned\", \"rules\": [ {string.Join(", ", rules)} ] }}",
            $"{{ \"reps\": [ {string.Join(", ", reps)} ] }}");
    }

    public static HandoffRequest Request(string id, string country)
    {
        var lead = new Lead(new LeadId(id)) { Company = new CompanyProfile { Country = country } };
        var card = new ScoreCard
        {
            LeadId = lead.Id, AsOf = T0, Total = 70, Fit = 35, Engagement = 35, Grade = Grade.B, State = QualificationState.MarketingQualified,
            Categories = [], Explanation = [], ModelId = "m", ModelVersion = "1", ModelHash = "0",
        };
        return new HandoffRequest(lead, card, null);
    }
}
