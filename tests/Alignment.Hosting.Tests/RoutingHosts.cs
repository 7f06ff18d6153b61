using Alignment.Coordination;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Alignment.Hosting.Tests;

/// <summary>What the routing worker tests share: a two-rep policy with a one-minute SLA, routing leads, a leader that dies.</summary>
internal static class RoutingHosts
{
    public const string Roster = """{ "reps": [ { "id": "a", "team": "ae" }, { "id": "b", "team": "ae" } ] }""";
    public const string Policy = """{ "id": "p", "fallbackQueue": "q", "rules": [ { "id": "r", "strategy": "roundRobin", "pool": { "teams": ["ae"] }, "slaMinutes": 1 } ] }""";

    /// <summary>Routes <paramref name="count"/> new leads through the host's router; each is assigned.</summary>
    public static async Task RouteAsync(IHost host, string prefix, int count)
    {
        var router = host.Services.GetRequiredService<HandoffRouter>();
        for (int i = 0; i < count; i++)
        {
            var lead = new Lead(new LeadId($"{prefix}{i}"));
            var card = new ScoreCard
            {
                LeadId = lead.Id, AsOf = DateTimeOffset.UnixEpoch, Total = 70, Fit = 0, Engagement = 70, Grade = Grade.B,
                State = QualificationState.MarketingQualified, Categories = [], Explanation = [], ModelId = "m", ModelVersion = "1", ModelHash = "h",
            };
            Assert.IsType<HandoffDecision.Assigned>(await router.RouteAsync(new HandoffRequest(lead, card, null)));
        }
    }

    /// <summary>A lease store whose holder "dies": its release never reaches the store (the process was killed).</summary>
    public sealed class KilledOnStop(ILeaseStore inner) : ILeaseStore
    {
        public ValueTask<LeaseGrant?> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken = default) =>
            inner.TryAcquireAsync(name, holder, duration, cancellationToken);

        public ValueTask<bool> ReleaseAsync(string name, string holder, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);
    }
}
