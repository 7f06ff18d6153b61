using Alignment.Benchmarks.Scoring;
using Alignment.Leads;

namespace Alignment.Benchmarks.Tests.Scoring;

/// <summary>The 10,000-lead workload the benchmarks score, generated once per test class that uses it.</summary>
public sealed class PeerWorkloadFixture
{
    public const int Count = 10_000;

    public PeerLead[] PeerLeads { get; } = PeerWorkload.CreatePeerLeads(Count);

    public Lead[] Leads => PeerWorkload.ToLeads(PeerLeads);

    public int[] ReferenceScores => Array.ConvertAll(PeerLeads, PeerRules.Score);
}
