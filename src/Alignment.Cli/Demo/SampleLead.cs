using System.Collections.Immutable;
using Alignment.Activities;
using Alignment.Leads;

namespace Alignment.Cli.Demo;

/// <summary>One generated lead: the CRM record, when it was captured, what it does over the year, and its hidden buying propensity.</summary>
/// <param name="Lead">The lead as the CRM hands it over.</param>
/// <param name="CapturedAt">When it entered the CRM.</param>
/// <param name="Quality">Its hidden propensity to buy (0–1), which drives the simulated sales outcomes; the pipeline never reads it.</param>
/// <param name="DealSize">What it would spend if it buys.</param>
/// <param name="Seed">The seed of the lead's own random stream (the sales reps' decisions about it).</param>
/// <param name="Sessions">Its activities grouped in sessions, in time order; the first is the capture itself.</param>
internal sealed record SampleLead(Lead Lead, DateTimeOffset CapturedAt, double Quality, decimal DealSize, int Seed, ImmutableArray<SampleSession> Sessions)
{
    /// <summary>The number of activities over the year.</summary>
    public int ActivityCount => Sessions.Sum(s => s.Activities.Length);
}
