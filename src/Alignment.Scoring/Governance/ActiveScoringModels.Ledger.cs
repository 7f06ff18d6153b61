using System.Diagnostics.CodeAnalysis;
using Alignment.Models.Challengers;
using Alignment.Models.Registry;
using Alignment.Scoring.Backtesting;

namespace Alignment.Scoring.Governance;

/// <content>The champion/challenger comparison kept in an <see cref="IChallengerLedger"/>, shared by every host and kept across restarts.</content>
public sealed partial class ActiveScoringModels
{
    /// <summary>
    /// Attaches a candidate release as its tenant's challenger in the <see cref="ChallengerLedger"/> (replacing an earlier one and
    /// starting the comparison again) and in this host; other hosts take it up at their next <see cref="FlushChallengerAsync"/> (or
    /// <see cref="RefreshChallengerAsync"/>). The candidate must be published to the registry, so that they can load it; it needs no
    /// approval. The tenant must have an active model: it is the champion the candidate is compared with.
    /// </summary>
    /// <param name="candidate">The candidate's release key.</param>
    /// <param name="attachedBy">Who attaches it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Why the candidate was not attached (it is not in the registry, does not load, or loads to another hash); empty when it was.</returns>
    /// <exception cref="ArgumentException">The key is incomplete or not of a scoring release, or <paramref name="attachedBy"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">No <see cref="ChallengerLedger"/> is configured, or the tenant has no active scoring release.</exception>
    public async ValueTask<IReadOnlyList<string>> AttachChallengerAsync(ReleaseKey candidate, string attachedBy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(attachedBy);
        if (candidate.Kind != ModelKind.Scoring || string.IsNullOrWhiteSpace(candidate.Tenant) || string.IsNullOrWhiteSpace(candidate.Id) || string.IsNullOrWhiteSpace(candidate.Version))
        {
            throw new ArgumentException($"{candidate} is not the complete key of a scoring release.", nameof(candidate));
        }

        var ledger = RequireLedger();
        var champion = await _active.GetAsync(candidate.Tenant, cancellationToken).ConfigureAwait(false);
        if (!(await TryLoadAsync(candidate, cancellationToken).ConfigureAwait(false)).TryGet(out var model, out var problems))
        {
            return problems;
        }

        var attachment = new ChallengerAttachment(candidate, champion.Key, champion.Activation.Sequence, TimeProvider.GetUtcNow(), attachedBy);
        await ledger.AttachAsync(attachment, cancellationToken).ConfigureAwait(false);
        _challengers[candidate.Tenant] = new Challenger(candidate, model, 5, 100_000, attachment);
        return [];
    }

    /// <summary>Detaches the tenant's challenger in the <see cref="ChallengerLedger"/> and in this host: the comparison is dropped for every host.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when the ledger or this host had one.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">No <see cref="ChallengerLedger"/> is configured.</exception>
    public async ValueTask<bool> DetachChallengerAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        bool had = await RequireLedger().DetachAsync(tenant, cancellationToken).ConfigureAwait(false);
        return _challengers.TryRemove(tenant, out _) | had;
    }

    /// <summary>
    /// Takes up the challenger the <see cref="ChallengerLedger"/> names for the tenant: loads it from the registry when another host
    /// attached it (or a new one), and drops this host's when it was detached. <see cref="FlushChallengerAsync"/> does this for every
    /// tenant this host has a model of.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Why the ledger's challenger was not taken up (not in the registry, does not load); empty when it was or there is none.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">No <see cref="ChallengerLedger"/> is configured.</exception>
    public async ValueTask<IReadOnlyList<string>> RefreshChallengerAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        var attachment = await RequireLedger().GetAttachmentAsync(tenant, cancellationToken).ConfigureAwait(false);
        _challengers.TryGetValue(tenant, out var mine);
        if (attachment is null)
        {
            if (mine is not null)
            {
                _challengers.TryRemove(new KeyValuePair<string, Challenger>(tenant, mine));
            }

            return [];
        }

        if (mine?.Attachment is { } known && known.IsSameAttachment(attachment))
        {
            return [];
        }

        if (!(await TryLoadAsync(attachment.Challenger, cancellationToken).ConfigureAwait(false)).TryGet(out var model, out var problems))
        {
            Reject(attachment.Challenger, problems);
            return problems;
        }

        var taken = new Challenger(attachment.Challenger, model, 5, 100_000, attachment);
        if (mine is null ? !_challengers.TryAdd(tenant, taken) : !_challengers.TryUpdate(tenant, taken, mine))
        {
            return []; // attached here meanwhile: that one is newer
        }

        return [];
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No <see cref="ChallengerLedger"/> is configured.</exception>
    public async ValueTask<int> FlushChallengerAsync(CancellationToken cancellationToken = default)
    {
        var ledger = RequireLedger();
        List<Exception>? failures = null;
        int written = 0;
        foreach (var (tenant, challenger) in _challengers)
        {
            if (!challenger.TryTakeBatch(out var attachment, out var observations, out var outcomes))
            {
                continue;
            }

            try
            {
                if (await ledger.RecordAsync(attachment, observations, outcomes, cancellationToken).ConfigureAwait(false))
                {
                    written += observations.Count + outcomes.Count;
                }
                else if (observations.Count == 0
                    && await ledger.GetAttachmentAsync(tenant, cancellationToken).ConfigureAwait(false) is { } stored
                    && stored.IsSameAttachment(attachment)
                    && await ledger.RecordAsync(stored, [], outcomes, cancellationToken).ConfigureAwait(false))
                {
                    // Outcomes only, from a host that has not scored beside the champion another host moved to: they belong to the
                    // same attachment whatever the champion, so they are recorded under the ledger's champion instead of dropped.
                    written += outcomes.Count;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                challenger.PutBack(attachment.ChampionSequence, observations, outcomes);
                (failures ??= []).Add(e);
            }
            catch
            {
                challenger.PutBack(attachment.ChampionSequence, observations, outcomes);
                throw;
            }
        }

        foreach (string tenant in _active.Tenants.Union(_challengers.Keys, StringComparer.Ordinal))
        {
            try
            {
                await RefreshChallengerAsync(tenant, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                (failures ??= []).Add(e);
            }
        }

        return failures is null ? written : throw new AggregateException("Writing or refreshing the champion/challenger comparison failed for some tenants; their batches stay buffered.", failures);
    }

    /// <summary>
    /// What the tenant's challenger would have changed on every lead any host scored beside it (each lead counted once, with its latest
    /// pair of scores), read from the <see cref="ChallengerLedger"/>: the same counts and examples as <see cref="ImpactPreview.Compute"/>
    /// over those leads in lead-id order, with the latest scoring instant as <see cref="ImpactPreview.AsOf"/>. Pairs still buffered in a
    /// host (until its next <see cref="FlushChallengerAsync"/>) are not in it.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="maxExamples">The most examples kept per kind of change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The comparison, or <see langword="null"/> when the tenant has no challenger or no lead was recorded beside it yet.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExamples"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">No <see cref="ChallengerLedger"/> is configured, or a model the ledger names is not in the registry or does not load.</exception>
    public async ValueTask<ImpactPreview?> GetChallengerComparisonAsync(string tenant, int maxExamples = 5, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ArgumentOutOfRangeException.ThrowIfNegative(maxExamples);
        var read = await ReadLedgerAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (read is not { } r)
        {
            return null;
        }

        var tally = new ImpactTally(maxExamples);
        var latest = DateTimeOffset.MinValue;
        foreach (var lead in r.Record.Leads)
        {
            tally.Add(lead.Lead, ToLeadScore(lead.Champion), ToLeadScore(lead.Challenger));
            latest = lead.ScoredAt > latest ? lead.ScoredAt : latest;
        }

        return ImpactPreview.FromTally(tally, r.Champion, r.Challenger, latest);
    }

    /// <summary>
    /// The backtest of the champion and the challenger on every lead any host scored beside them, read from the
    /// <see cref="ChallengerLedger"/>: each lead's pair as last scored before its outcome arrived, measured as
    /// <see cref="GetChallengerBacktest"/> does (the champion is <see cref="BacktestComparison.Baseline"/>).
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="options">Bands and goals; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The comparison, or <see langword="null"/> when the tenant has no challenger or no lead was recorded beside it yet.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty, or the options are invalid (every problem is listed).</exception>
    /// <exception cref="InvalidOperationException">No <see cref="ChallengerLedger"/> is configured, or a model the ledger names is not in the registry or does not load.</exception>
    public async ValueTask<BacktestComparison?> GetChallengerBacktestAsync(string tenant, BacktestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        var read = await ReadLedgerAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (read is not { } r)
        {
            return null;
        }

        var leads = r.Record.Leads;
        int n = leads.Length;
        var championScores = new LeadScore[n];
        var challengerScores = new LeadScore[n];
        var scoredAt = new DateTimeOffset[n];
        var outcomes = new BacktestOutcome[n];
        var closedAt = new DateTimeOffset?[n];
        for (int i = 0; i < n; i++)
        {
            var lead = leads[i];
            (championScores[i], challengerScores[i]) = (ToLeadScore(lead.Champion), ToLeadScore(lead.Challenger));
            (scoredAt[i], outcomes[i], closedAt[i]) = (lead.ScoredAt, lead.Outcome, lead.ClosedAt);
        }

        return new BacktestComparison(
            Backtester.Measure(r.Champion, scoredAt, outcomes, closedAt, championScores, options),
            Backtester.Measure(r.Challenger, scoredAt, outcomes, closedAt, challengerScores, options));
    }

    private IChallengerLedger RequireLedger() =>
        ChallengerLedger ?? throw new InvalidOperationException("No challenger ledger is configured (ActiveScoringModels.ChallengerLedger).");

    /// <summary>The ledger's record of the tenant with the two models it names (this host's when they match, else loaded from the registry).</summary>
    private async ValueTask<(ChallengerRecord Record, ScoringModel Champion, ScoringModel Challenger)?> ReadLedgerAsync(string tenant, CancellationToken cancellationToken)
    {
        var record = await RequireLedger().ReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (record is null || record.Leads.IsEmpty)
        {
            return null;
        }

        var a = record.Attachment;
        var champion = _active.TryGetActive(tenant, out var active) && active.Key == a.Champion
            ? active.Model
            : (await TryLoadAsync(a.Champion, cancellationToken).ConfigureAwait(false)).GetOrThrow();
        var challenger = _challengers.TryGetValue(tenant, out var mine) && mine.Key == a.Challenger
            ? mine.Model
            : (await TryLoadAsync(a.Challenger, cancellationToken).ConfigureAwait(false)).GetOrThrow();
        return (record, champion, challenger);
    }

    /// <summary>Reads a release from the registry and compiles it.</summary>
    private async ValueTask<Loaded> TryLoadAsync(ReleaseKey key, CancellationToken cancellationToken)
    {
        var release = await _registry.FindAsync(key, cancellationToken).ConfigureAwait(false);
        if (release is null)
        {
            return new Loaded(null, [$"{key} is not in the model registry."]);
        }

        return _active.TryLoad(release, out var model, out var problems) ? new Loaded(model, []) : new Loaded(null, problems);
    }

    private static LeadScore ToLeadScore(ChallengerScore s) => new(s.TotalHundredths, s.FitHundredths, s.Grade, s.State);

    private static ChallengerScore ToChallengerScore(LeadScore s) => new(s.TotalHundredths, s.FitHundredths, s.Grade, s.State);

    /// <summary>A release compiled, or why not.</summary>
    private readonly record struct Loaded(ScoringModel? Model, IReadOnlyList<string> Problems)
    {
        public bool TryGet([NotNullWhen(true)] out ScoringModel? model, out IReadOnlyList<string> problems)
        {
            (model, problems) = (Model, Problems);
            return model is not null;
        }

        public ScoringModel GetOrThrow() => Model ?? throw new InvalidOperationException(string.Join("; ", Problems));
    }
}
