using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Alignment.Activities;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Models.Challengers;
using Alignment.Models.Registry;
using Alignment.Scoring.Backtesting;

namespace Alignment.Scoring.Governance;

/// <summary>
/// The scoring model each tenant has active in a <see cref="IModelRegistry"/>, compiled once per activation and swapped in
/// atomically, so a host scores every lead with the model its tenant signed off, and a new release or a rollback takes effect
/// without a restart. <see cref="TryGet"/> is a lock-free lookup that allocates nothing: resolve the model per lead (or per batch)
/// and score with it; work in flight keeps the model it resolved, so every score card comes from exactly one version (its
/// <see cref="ScoreCard.ModelVersion"/> and <see cref="ScoreCard.ModelHash"/> name it).
/// </summary>
/// <remarks>
/// <para>
/// Activations in this process (<see cref="IModelRegistry.Activated"/>) are compiled on the activating thread before the activation
/// call returns; a registry shared with other processes is followed with <see cref="RefreshAsync"/> (a host polls it). A model is
/// only ever replaced by a later activation of its tenant (<see cref="ModelActivation.Sequence"/>), whatever order refreshes finish in.
/// </para>
/// <para>
/// A release whose content does not load, or loads to another content hash than the one approved, is not taken up: the tenant keeps
/// the model it had and <see cref="Rejected"/> says why. Thread-safe.
/// </para>
/// </remarks>
public sealed partial class ActiveScoringModels : IChallengerBuffer, IDisposable
{
    private readonly IModelRegistry _registry;
    private readonly ActiveModels<ScoringModel> _active;
    private readonly ConcurrentDictionary<string, Challenger> _challengers = new(StringComparer.Ordinal);

    /// <summary>Follows the active scoring releases of <paramref name="registry"/>.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="options">The attribute schema and plugin rules the models compile against; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> is null.</exception>
    public ActiveScoringModels(IModelRegistry registry, ScoringModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
        _active = new ActiveModels<ScoringModel>(registry, new ScoringReleaseLoader(options));
        _active.Rejected += (_, e) => Raise(e);
    }

    /// <summary>
    /// Where the champion/challenger comparison is kept for every host and across restarts; <see langword="null"/> (the default) to keep
    /// it in this host's memory only. With a ledger, <see cref="Score"/> still counts in memory (<see cref="GetChallengerComparison"/>
    /// stays this host's view) and buffers each pair of scores, <see cref="RecordOutcome"/> buffers the outcome,
    /// <see cref="FlushChallengerAsync"/> writes both in one batch per tenant, challengers are attached and detached with
    /// <see cref="AttachChallengerAsync"/> and <see cref="DetachChallengerAsync"/>, and <see cref="GetChallengerComparisonAsync"/> and
    /// <see cref="GetChallengerBacktestAsync"/> compute from the ledger: the leads every host scored.
    /// </summary>
    /// <value>Default <see langword="null"/>.</value>
    public IChallengerLedger? ChallengerLedger { get; init; }

    /// <summary>The clock that dates attachments (<see cref="ChallengerAttachment.AttachedAt"/>).</summary>
    /// <value>Default <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The tenants' models with their activations (release key, content hash, who activated it and when).</summary>
    public ActiveModels<ScoringModel> Models => _active;

    /// <summary>
    /// Raised when an active release is not taken up (it does not load, or its hash differs from the approved one), and when a
    /// challenger fails on a live lead and is detached. An exception a handler throws is ignored.
    /// </summary>
    public event EventHandler<ModelRejectedEventArgs>? Rejected;

    /// <summary>The model active for a tenant now, as this host has taken it up: a lock-free lookup, no allocation.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="model">The model, or <see langword="null"/> when the tenant has none (yet: see <see cref="GetAsync"/>).</param>
    /// <returns><see langword="true"/> when the tenant has a model.</returns>
    public bool TryGet(string tenant, [NotNullWhen(true)] out ScoringModel? model) => _active.TryGet(tenant, out model);

    /// <summary>The model active for a tenant, read from the registry on first use.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">The tenant has no active scoring release, or its active release was rejected (the message says why).</exception>
    public async ValueTask<ScoringModel> GetAsync(string tenant, CancellationToken cancellationToken = default) =>
        (await _active.GetAsync(tenant, cancellationToken).ConfigureAwait(false)).Model;

    /// <summary>Reads the tenant's active scoring release from the registry and takes it up if it is later than the one in use.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Why the active release was not taken up; empty when it was, when it already was in use, or when none is active.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    public ValueTask<IReadOnlyList<string>> RefreshAsync(string tenant, CancellationToken cancellationToken = default) =>
        _active.RefreshAsync(tenant, cancellationToken);

    /// <summary>
    /// Scores a lead with its tenant's active model and, when the tenant has a challenger (<see cref="AttachChallenger"/>), with the
    /// challenger beside it: the card returned is always the champion's, so the challenger decides nothing; the comparison is
    /// counted for <see cref="GetChallengerComparison"/>.
    /// </summary>
    /// <param name="tenant">The lead's tenant.</param>
    /// <param name="lead">The lead.</param>
    /// <param name="activities">Its activities.</param>
    /// <param name="asOf">The scoring instant.</param>
    /// <returns>The champion's score card.</returns>
    /// <exception cref="InvalidOperationException">The tenant has no active scoring release, or it does not load here. A tenant not loaded yet in this process (after a restart) is read from the registry on its first lead, the calling thread waiting once.</exception>
    public ScoreCard Score(string tenant, Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset asOf)
    {
        var entry = _active.Get(tenant);
        var card = entry.Model.Score(lead, activities, asOf);
        if (_challengers.TryGetValue(tenant, out var challenger))
        {
            try
            {
                challenger.Add(entry, lead, activities, asOf);
            }
#pragma warning disable CA1031 // The challenger decides nothing: whatever it throws must not fail the champion's scoring.
            catch (Exception e)
#pragma warning restore CA1031
            {
                // A candidate that fails on live leads is detached and reported; the champion's card stands.
                if (_challengers.TryRemove(new KeyValuePair<string, Challenger>(tenant, challenger)))
                {
                    Reject(challenger.Key, [$"the challenger failed on lead {lead.Id} and was detached: {e.Message}"]);
                }
            }
        }

        return card;
    }

    /// <summary>An <see cref="ILeadScorer"/> for the engines (routing, nurture): each lead scored by its tenant's model through <see cref="Score"/>.</summary>
    /// <param name="tenantOf">Tells a lead's tenant (for example from its account or a custom attribute).</param>
    /// <returns>The scorer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tenantOf"/> is null.</exception>
    public ILeadScorer ScorerFor(Func<Lead, string> tenantOf)
    {
        ArgumentNullException.ThrowIfNull(tenantOf);
        return new TenantScorer(this, tenantOf);
    }

    /// <summary>
    /// An <see cref="IScoreCrossingCalculator"/> for the score-decay watch: each lead's next threshold crossing is predicted with its
    /// tenant's active model.
    /// </summary>
    /// <param name="tenantOf">Tells a lead's tenant.</param>
    /// <returns>The calculator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tenantOf"/> is null.</exception>
    public IScoreCrossingCalculator CrossingsFor(Func<Lead, string> tenantOf)
    {
        ArgumentNullException.ThrowIfNull(tenantOf);
        return new TenantScorer(this, tenantOf);
    }

    /// <summary>
    /// Attaches a candidate release as its tenant's challenger: from now on <see cref="Score"/> scores every lead of the tenant with
    /// it too, and counts where it differs from the champion (newly MQL, no longer MQL, hot, grade, score, with examples), as
    /// <see cref="ImpactPreview"/> does offline. The candidate needs no approval: it decides nothing. The count starts again when the
    /// champion changes. Replaces an earlier challenger of the tenant.
    /// </summary>
    /// <param name="candidate">The candidate scoring release.</param>
    /// <param name="maxExamples">The most examples kept per kind of change.</param>
    /// <param name="maxLeads">
    /// The most leads whose two scores are kept for <see cref="GetChallengerBacktest"/> (about 100 bytes each); leads scored after
    /// that are still counted in <see cref="GetChallengerComparison"/> but not backtested.
    /// </param>
    /// <returns>Why the candidate was not attached (it does not load, or loads to another hash); empty when it was.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="candidate"/> is null.</exception>
    /// <exception cref="ArgumentException">The candidate is not a scoring release.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExamples"/> or <paramref name="maxLeads"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">A <see cref="ChallengerLedger"/> is configured: attach with <see cref="AttachChallengerAsync"/>, which records it there.</exception>
    public IReadOnlyList<string> AttachChallenger(ModelRelease candidate, int maxExamples = 5, int maxLeads = 100_000)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (ChallengerLedger is not null)
        {
            throw new InvalidOperationException("A challenger ledger is configured: attach the challenger with AttachChallengerAsync, so that every host and the ledger know it.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxExamples);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLeads);
        if (candidate.Key.Kind != ModelKind.Scoring)
        {
            throw new ArgumentException($"{candidate.Key} is not a scoring release.", nameof(candidate));
        }

        if (!_active.TryLoad(candidate, out var model, out var problems))
        {
            return problems;
        }

        _challengers[candidate.Key.Tenant] = new Challenger(candidate.Key, model, maxExamples, maxLeads);
        return [];
    }

    /// <summary>Detaches the tenant's challenger in this host; its comparison is dropped. With a ledger, use <see cref="DetachChallengerAsync"/>.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <returns><see langword="true"/> when the tenant had one.</returns>
    public bool DetachChallenger(string tenant) => _challengers.TryRemove(tenant, out _);

    /// <summary>
    /// What the tenant's challenger would have changed on the leads scored since it was attached (or since the champion last
    /// changed): the champion as <see cref="ImpactPreview.From"/>, the challenger as <see cref="ImpactPreview.To"/>, and the latest
    /// scoring instant as <see cref="ImpactPreview.AsOf"/>.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <returns>The comparison, or <see langword="null"/> when the tenant has no challenger or no lead was scored beside it yet.</returns>
    public ImpactPreview? GetChallengerComparison(string tenant) =>
        _challengers.TryGetValue(tenant, out var challenger) ? challenger.Report() : null;

    /// <summary>
    /// Records what became of a lead the tenant's challenger scored beside the champion (won, lost, disqualified), so that
    /// <see cref="GetChallengerBacktest"/> measures both models against it. From then on the lead's two scores are kept as they were
    /// when its outcome arrived. Call it when the CRM closes the lead's opportunity or sales disqualifies it.
    /// </summary>
    /// <param name="tenant">The lead's tenant.</param>
    /// <param name="lead">The lead.</param>
    /// <param name="outcome">What became of it.</param>
    /// <param name="closedAt">When it was decided (for <see cref="BacktestOptions.OutcomeHorizonDays"/>); <see langword="null"/> when unknown.</param>
    /// <returns>
    /// <see langword="true"/> when the lead was scored beside the current challenger and champion and the outcome was recorded, or,
    /// with a <see cref="ChallengerLedger"/>, whenever the tenant has a challenger here (the outcome is buffered for the ledger, where
    /// another host may have scored the lead); <see langword="false"/> when the tenant has no challenger or the lead was not scored
    /// beside it (or not kept: see the <c>maxLeads</c> of <see cref="AttachChallenger"/>).
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outcome"/> is not defined.</exception>
    public bool RecordOutcome(string tenant, LeadId lead, BacktestOutcome outcome, DateTimeOffset? closedAt)
    {
        if (!Enum.IsDefined(outcome))
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "The outcome is not defined.");
        }

        return _challengers.TryGetValue(tenant, out var challenger) && challenger.RecordOutcome(lead, outcome, closedAt);
    }

    /// <summary>
    /// The backtest of the champion and the challenger on the same live leads (each lead's two scores as last scored before its
    /// outcome arrived, <see cref="RecordOutcome"/>): ROC AUC, conversion by score band and grade, precision and recall at each model's
    /// MQL threshold, as <see cref="Backtester.Compare"/> reports offline. Leads without an outcome count as open (in the distribution
    /// and MQL volumes, never in AUC or precision). The champion is <see cref="BacktestComparison.Baseline"/>.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="options">Bands and goals; <see langword="null"/> for the defaults.</param>
    /// <returns>The comparison, or <see langword="null"/> when the tenant has no challenger or no lead was scored beside it yet.</returns>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed).</exception>
    public BacktestComparison? GetChallengerBacktest(string tenant, BacktestOptions? options = null) =>
        _challengers.TryGetValue(tenant, out var challenger) ? challenger.Backtest(options) : null;

    /// <summary>Stops following the registry's activations.</summary>
    public void Dispose() => _active.Dispose();

    private void Reject(ReleaseKey key, IReadOnlyList<string> problems) => Raise(new ModelRejectedEventArgs(key, problems));

    private void Raise(ModelRejectedEventArgs args)
    {
        if (Rejected is not { } handlers)
        {
            return;
        }

        foreach (EventHandler<ModelRejectedEventArgs> handler in handlers.GetInvocationList())
        {
            try
            {
                handler(this, args);
            }
#pragma warning disable CA1031 // A host's handler failing must not fail the activation or the scoring that reached us.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    /// <summary>
    /// A challenger, its running comparison with the champion it was scored beside, and each lead's two scores for the backtest; with a
    /// ledger (<paramref name="attachment"/> not null), also the pairs and outcomes not yet written to it.
    /// </summary>
    private sealed class Challenger(ReleaseKey key, ScoringModel model, int maxExamples, int maxLeads, ChallengerAttachment? attachment = null)
    {
        public ReleaseKey Key => key;

        public ScoringModel Model => model;

        public ChallengerAttachment? Attachment => attachment;

        private readonly Lock _gate = new();
        private readonly Dictionary<LeadId, LiveLead> _leads = [];
        private Dictionary<LeadId, ChallengerObservation> _pending = [];
        private List<ChallengerOutcome> _pendingOutcomes = [];
        private readonly HashSet<LeadId> _pendingClosed = []; // leads whose buffered outcome (the latest) closes them
        private ImpactTally _tally = new(maxExamples);
        private ActiveModel<ScoringModel>? _champion;
        private DateTimeOffset _latest;

        public void Add(ActiveModel<ScoringModel> champion, Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset asOf)
        {
            var before = champion.Model.Evaluate(lead, activities, asOf);
            var after = model.Evaluate(lead, activities, asOf);
            lock (_gate)
            {
                if (!ReferenceEquals(_champion, champion))
                {
                    if (_champion is null || champion.Activation.Sequence > _champion.Activation.Sequence)
                    {
                        _tally = new ImpactTally(maxExamples);
                        _leads.Clear();
                        _pending.Clear(); // scored beside the champion replaced; the ledger starts again with this one's first batch
                        _champion = champion;
                        _latest = default;
                    }
                    else
                    {
                        return; // scored by a champion already replaced: not part of this comparison
                    }
                }

                _tally.Add(lead.Id, before, after);
                _latest = asOf > _latest ? asOf : _latest;
                if (attachment is not null && !_pendingClosed.Contains(lead.Id))
                {
                    // A lead whose outcome is still buffered keeps the pair it had before the outcome (as the ledger does).
                    _pending[lead.Id] = new ChallengerObservation(lead.Id, ToChallengerScore(before), ToChallengerScore(after), asOf);
                }

                ref var live = ref CollectionsMarshal.GetValueRefOrNullRef(_leads, lead.Id);
                if (!Unsafe.IsNullRef(ref live))
                {
                    if (live.Outcome == BacktestOutcome.Open)
                    {
                        live = new LiveLead(before, after, asOf, BacktestOutcome.Open, null);
                    }
                }
                else if (_leads.Count < maxLeads)
                {
                    _leads.Add(lead.Id, new LiveLead(before, after, asOf, BacktestOutcome.Open, null));
                }
            }
        }

        private void MarkClosed(LeadId lead, BacktestOutcome outcome)
        {
            if (outcome == BacktestOutcome.Open)
            {
                _pendingClosed.Remove(lead);
            }
            else
            {
                _pendingClosed.Add(lead);
            }
        }

        public bool RecordOutcome(LeadId lead, BacktestOutcome outcome, DateTimeOffset? closedAt)
        {
            lock (_gate)
            {
                if (attachment is not null)
                {
                    _pendingOutcomes.Add(new ChallengerOutcome(lead, outcome, closedAt));
                    MarkClosed(lead, outcome);
                }

                ref var live = ref CollectionsMarshal.GetValueRefOrNullRef(_leads, lead);
                if (Unsafe.IsNullRef(ref live))
                {
                    return attachment is not null;
                }

                live = live with { Outcome = outcome, ClosedAt = closedAt };
                return true;
            }
        }

        /// <summary>Takes what is buffered for the ledger, with the attachment and the champion it was scored beside.</summary>
        public bool TryTakeBatch([NotNullWhen(true)] out ChallengerAttachment? batch, out List<ChallengerObservation> observations, out List<ChallengerOutcome> outcomes)
        {
            lock (_gate)
            {
                batch = null;
                observations = [];
                outcomes = [];
                if (attachment is null || (_pending.Count == 0 && _pendingOutcomes.Count == 0))
                {
                    return false;
                }

                batch = _champion is null ? attachment : attachment with { Champion = _champion.Key, ChampionSequence = _champion.Activation.Sequence };
                observations = [.. _pending.Values];
                outcomes = _pendingOutcomes;
                _pendingClosed.Clear();
                _pending = [];
                _pendingOutcomes = [];
                return true;
            }
        }

        /// <summary>
        /// Buffers a batch the ledger did not take again, behind what was scored since (a later pair of a lead wins). Pairs scored beside
        /// a champion replaced since the batch was taken are dropped (the next batch would label them with the new champion).
        /// </summary>
        public void PutBack(long championSequence, List<ChallengerObservation> observations, List<ChallengerOutcome> outcomes)
        {
            lock (_gate)
            {
                bool sameChampion = _champion is null || _champion.Activation.Sequence == championSequence;
                foreach (var o in observations)
                {
                    if (sameChampion)
                    {
                        _pending.TryAdd(o.Lead, o);
                    }
                }

                outcomes.AddRange(_pendingOutcomes);
                _pendingOutcomes = outcomes;
                _pendingClosed.Clear();
                foreach (var o in outcomes)
                {
                    MarkClosed(o.Lead, o.Outcome);
                }
            }
        }

        public ImpactPreview? Report()
        {
            lock (_gate)
            {
                return _champion is null || _tally.Leads == 0 ? null : ImpactPreview.FromTally(_tally, _champion.Model, model, _latest);
            }
        }

        public BacktestComparison? Backtest(BacktestOptions? options)
        {
            ScoringModel champion;
            int n;
            LeadScore[] championScores, challengerScores;
            DateTimeOffset[] scoredAt;
            BacktestOutcome[] outcomes;
            DateTimeOffset?[] closedAt;
            lock (_gate)
            {
                if (_champion is null || _leads.Count == 0)
                {
                    return null;
                }

                champion = _champion.Model;
                n = _leads.Count;
                championScores = new LeadScore[n];
                challengerScores = new LeadScore[n];
                scoredAt = new DateTimeOffset[n];
                outcomes = new BacktestOutcome[n];
                closedAt = new DateTimeOffset?[n];
                int i = 0;
                foreach (var live in _leads.Values)
                {
                    championScores[i] = live.Champion;
                    challengerScores[i] = live.Candidate;
                    scoredAt[i] = live.ScoredAt;
                    outcomes[i] = live.Outcome;
                    closedAt[i] = live.ClosedAt;
                    i++;
                }
            }

            return new BacktestComparison(
                Backtester.Measure(champion, scoredAt, outcomes, closedAt, championScores, options),
                Backtester.Measure(model, scoredAt, outcomes, closedAt, challengerScores, options));
        }
    }

    /// <summary>A lead's two scores as last scored before its outcome arrived, and the outcome.</summary>
    private readonly record struct LiveLead(LeadScore Champion, LeadScore Candidate, DateTimeOffset ScoredAt, BacktestOutcome Outcome, DateTimeOffset? ClosedAt);

    private ScoringModel Require(string tenant) => _active.Get(tenant).Model;

    private sealed class TenantScorer(ActiveScoringModels models, Func<Lead, string> tenantOf) : ILeadScorer, IScoreCrossingCalculator
    {
        public ScoreCard Score(Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset asOf) =>
            models.Score(tenantOf(lead ?? throw new ArgumentNullException(nameof(lead))), lead, activities, asOf);

        public PredictedCrossing? NextCrossing(Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset from, DateTimeOffset? until = null) =>
            ((IScoreCrossingCalculator)models.Require(tenantOf(lead ?? throw new ArgumentNullException(nameof(lead))))).NextCrossing(lead, activities, from, until);
    }
}
