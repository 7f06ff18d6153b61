using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Alignment.Activities;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Models.Registry;

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
public sealed class ActiveScoringModels : IDisposable
{
    private readonly ActiveModels<ScoringModel> _active;
    private readonly ConcurrentDictionary<string, Challenger> _challengers = new(StringComparer.Ordinal);

    /// <summary>Follows the active scoring releases of <paramref name="registry"/>.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="options">The attribute schema and plugin rules the models compile against; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> is null.</exception>
    public ActiveScoringModels(IModelRegistry registry, ScoringModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _active = new ActiveModels<ScoringModel>(registry, new ScoringReleaseLoader(options));
        _active.Rejected += (_, e) => Raise(e);
    }

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
    /// <exception cref="InvalidOperationException">The tenant has no model taken up (see <see cref="GetAsync"/>).</exception>
    public ScoreCard Score(string tenant, Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset asOf)
    {
        if (!_active.TryGetActive(tenant, out var entry))
        {
            throw new InvalidOperationException($"No scoring model is taken up for tenant '{tenant}': call GetAsync or RefreshAsync first, or activate a release.");
        }

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
    /// Attaches a candidate release as its tenant's challenger: from now on <see cref="Score"/> scores every lead of the tenant with
    /// it too, and counts where it differs from the champion (newly MQL, no longer MQL, hot, grade, score, with examples), as
    /// <see cref="ImpactPreview"/> does offline. The candidate needs no approval: it decides nothing. The count starts again when the
    /// champion changes. Replaces an earlier challenger of the tenant.
    /// </summary>
    /// <param name="candidate">The candidate scoring release.</param>
    /// <param name="maxExamples">The most examples kept per kind of change.</param>
    /// <returns>Why the candidate was not attached (it does not load, or loads to another hash); empty when it was.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="candidate"/> is null.</exception>
    /// <exception cref="ArgumentException">The candidate is not a scoring release.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExamples"/> is negative.</exception>
    public IReadOnlyList<string> AttachChallenger(ModelRelease candidate, int maxExamples = 5)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentOutOfRangeException.ThrowIfNegative(maxExamples);
        if (candidate.Key.Kind != ModelKind.Scoring)
        {
            throw new ArgumentException($"{candidate.Key} is not a scoring release.", nameof(candidate));
        }

        if (!_active.TryLoad(candidate, out var model, out var problems))
        {
            return problems;
        }

        _challengers[candidate.Key.Tenant] = new Challenger(candidate.Key, model, maxExamples);
        return [];
    }

    /// <summary>Detaches the tenant's challenger; its comparison is dropped.</summary>
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

    /// <summary>A challenger and its running comparison with the champion it was scored beside.</summary>
    private sealed class Challenger(ReleaseKey key, ScoringModel model, int maxExamples)
    {
        public ReleaseKey Key => key;

        private readonly Lock _gate = new();
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
            }
        }

        public ImpactPreview? Report()
        {
            lock (_gate)
            {
                return _champion is null || _tally.Leads == 0 ? null : ImpactPreview.FromTally(_tally, _champion.Model, model, _latest);
            }
        }
    }

    private sealed class TenantScorer(ActiveScoringModels models, Func<Lead, string> tenantOf) : ILeadScorer
    {
        public ScoreCard Score(Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset asOf) =>
            models.Score(tenantOf(lead ?? throw new ArgumentNullException(nameof(lead))), lead, activities, asOf);
    }
}
