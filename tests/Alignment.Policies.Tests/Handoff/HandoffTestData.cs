using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Scoring;
using Alignment.Segmentation;

namespace Alignment.Policies.Tests.Handoff;

internal static class HandoffTestData
{
    public static readonly DateTimeOffset Monday10Utc = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    public static RepDefinition Rep(string id, string team = "ae", int? maxOpen = null, int? perDay = null, int? weight = null) =>
        new() { Id = id, Team = team, MaxOpenLeads = maxOpen, MaxLeadsPerDay = perDay, Weight = weight };

    public static RoutingRuleDefinition Rule(string id, RoutingStrategy strategy, params string[] teams) =>
        new() { Id = id, Strategy = strategy, Pool = new RulePoolDefinition { Teams = teams } };

    public static CompiledRoutingPolicy Compile(IEnumerable<RepDefinition> reps, params RoutingRuleDefinition[] rules) =>
        RoutingPolicyCompiler.Compile(
            new RoutingPolicyDefinition { Id = "test", FallbackQueue = "unassigned", Rules = rules },
            new RosterDefinition { Reps = [.. reps] });

    public static HandoffRequest Request(
        string id,
        QualificationState state = QualificationState.MarketingQualified,
        decimal score = 70,
        Grade grade = Grade.B,
        string? country = null,
        string? language = null,
        string? source = null,
        string? segment = null,
        string? accountId = null,
        string? domain = null)
    {
        var lead = new Lead(new LeadId(id))
        {
            AccountId = accountId is null ? null : new AccountId(accountId),
            Company = new CompanyProfile { Country = country, Domain = domain },
            Person = new PersonProfile { Language = language },
            Source = source,
        };
        var card = new ScoreCard
        {
            LeadId = lead.Id,
            AsOf = Monday10Utc,
            Total = score,
            Fit = score / 2,
            Engagement = score / 2,
            Grade = grade,
            State = state,
            Categories = [],
            Explanation = [],
            ModelId = "m",
            ModelVersion = "1.0.0",
            ModelHash = "00",
        };
        return new HandoffRequest(lead, card, segment is null ? null : new SegmentId(segment));
    }

    /// <summary>Routes a request directly against a state and returns the chosen rep id (or the queue name prefixed with "queue:").</summary>
    public static string RouteOne(CompiledRoutingPolicy policy, RoutingState state, HandoffRequest request, DateTimeOffset now)
    {
        var lead = policy.Prepare(request, RoutingPhase.Initial);
        var r = policy.Route(lead, now, state, []);
        return r.IsAssigned ? policy.Reps[r.RepIndex].Value : "queue:" + policy.Queues[r.QueueIndex];
    }
}
