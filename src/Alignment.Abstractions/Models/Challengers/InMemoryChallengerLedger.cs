using System.Collections.Immutable;
using Alignment.Leads;
using Alignment.Scoring.Backtesting;

namespace Alignment.Models.Challengers;

/// <summary>
/// An <see cref="IChallengerLedger"/> in this process's memory: for one host, and for tests. The comparison survives neither a
/// restart nor is it shared with other hosts; use the PostgreSQL ledger for that.
/// </summary>
/// <remarks>Thread-safe: every call takes one lock.</remarks>
public sealed class InMemoryChallengerLedger : IChallengerLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Tenant> _tenants = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask AttachAsync(ChallengerAttachment attachment, CancellationToken cancellationToken = default)
    {
        ChallengerLedgerRules.Validate(attachment, nameof(attachment));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _tenants[attachment.Tenant] = new Tenant(attachment);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> DetachAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_tenants.Remove(tenant));
        }
    }

    /// <inheritdoc />
    public ValueTask<ChallengerAttachment?> GetAttachmentAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_tenants.TryGetValue(tenant, out var t) ? t.Attachment : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RecordAsync(ChallengerAttachment attachment, IReadOnlyList<ChallengerObservation> observations, IReadOnlyList<ChallengerOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ChallengerLedgerRules.Validate(attachment, nameof(attachment));
        ChallengerLedgerRules.Validate(observations, outcomes);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_tenants.TryGetValue(attachment.Tenant, out var t) || !t.Attachment.IsSameAttachment(attachment) || attachment.ChampionSequence < t.Attachment.ChampionSequence)
            {
                return ValueTask.FromResult(false);
            }

            if (attachment.ChampionSequence > t.Attachment.ChampionSequence)
            {
                t = new Tenant(t.Attachment with { Champion = attachment.Champion, ChampionSequence = attachment.ChampionSequence });
                _tenants[attachment.Tenant] = t;
            }

            foreach (var o in observations)
            {
                if (t.Leads.TryGetValue(o.Lead, out var row) && row.HasPair && (row.Outcome != BacktestOutcome.Open || row.ScoredAt.UtcTicks > o.ScoredAt.UtcTicks))
                {
                    continue; // decided: its pair stays as it was before the outcome; or a later pair (another host's) is kept
                }

                t.Leads[o.Lead] = new Row(true, o.Champion, o.Challenger, o.ScoredAt, row.Outcome, row.ClosedAt);
            }

            foreach (var o in outcomes)
            {
                t.Leads[o.Lead] = t.Leads.GetValueOrDefault(o.Lead) with { Outcome = o.Outcome, ClosedAt = o.Outcome == BacktestOutcome.Open ? null : o.ClosedAt };
            }

            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<ChallengerRecord?> ReadAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_tenants.TryGetValue(tenant, out var t))
            {
                return ValueTask.FromResult<ChallengerRecord?>(null);
            }

            var leads = ImmutableArray.CreateBuilder<ChallengerLead>(t.Leads.Count);
            foreach (var (id, row) in t.Leads)
            {
                if (row.HasPair)
                {
                    leads.Add(new ChallengerLead(id, row.Champion, row.Challenger, row.ScoredAt, row.Outcome, row.ClosedAt));
                }
            }

            leads.Sort(static (a, b) => string.CompareOrdinal(a.Lead.Value, b.Lead.Value));
            return ValueTask.FromResult<ChallengerRecord?>(new ChallengerRecord(t.Attachment, leads.DrainToImmutable()));
        }
    }

    private sealed class Tenant(ChallengerAttachment attachment)
    {
        public ChallengerAttachment Attachment { get; } = attachment;

        public Dictionary<LeadId, Row> Leads { get; } = [];
    }

    /// <summary>A lead's pair (when <see cref="HasPair"/>) and outcome.</summary>
    private readonly record struct Row(bool HasPair, ChallengerScore Champion, ChallengerScore Challenger, DateTimeOffset ScoredAt, BacktestOutcome Outcome, DateTimeOffset? ClosedAt);
}
