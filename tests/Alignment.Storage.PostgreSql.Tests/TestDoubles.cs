using System.Collections.Concurrent;
using Alignment.Activities;
using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Storage.PostgreSql.Tests;

/// <summary>A scorer for nurture tests: every lead stays not qualified, so the engine never hands a lead back.</summary>
internal sealed class NeverQualifies : ILeadScorer
{
    public ScoreCard Score(Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset asOf) => new()
    {
        LeadId = lead.Id, AsOf = asOf, Total = 0, Fit = 0, Engagement = 0, Grade = Grade.D, State = QualificationState.NotQualified,
        Categories = [], Explanation = [], ModelId = "none", ModelVersion = "1", ModelHash = "0",
    };
}

/// <summary>A sink that deduplicates on <see cref="AlignmentDecision.IdempotencyKey"/> the way a CRM should, and fails a test on a second delivery.</summary>
internal sealed class KeyedSink : IDecisionSink
{
    private readonly ConcurrentDictionary<string, AlignmentDecision> _seen = new(StringComparer.Ordinal);

    public IEnumerable<string> Keys => _seen.Keys;

    public IEnumerable<AlignmentDecision> Decisions => _seen.Values;

    public bool Has(string key) => _seen.ContainsKey(key);

    public AlignmentDecision.Routed Routed(string key) => (AlignmentDecision.Routed)_seen[key];

    public ValueTask PublishAsync(AlignmentDecision decision, CancellationToken cancellationToken = default)
    {
        Assert.True(_seen.TryAdd(decision.IdempotencyKey!, decision), $"delivered twice: {decision.IdempotencyKey}");
        return ValueTask.CompletedTask;
    }
}
