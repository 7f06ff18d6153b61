using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
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
    private readonly IModelRegistry _registry;
    private readonly ScoringModelOptions? _options;
    private readonly ConcurrentDictionary<string, Entry> _byTenant = new(StringComparer.Ordinal);

    /// <summary>Follows the active scoring releases of <paramref name="registry"/>.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="options">The attribute schema and plugin rules the models compile against; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> is null.</exception>
    public ActiveScoringModels(IModelRegistry registry, ScoringModelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
        _options = options;
        _registry.Activated += OnActivated;
    }

    /// <summary>Raised when an active release is not taken up (it does not load, or its hash differs from the approved one).</summary>
    public event EventHandler<ModelRejectedEventArgs>? Rejected;

    /// <summary>The model active for a tenant now, as this host has taken it up: a lock-free lookup, no allocation.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="model">The model, or <see langword="null"/> when the tenant has none (yet: see <see cref="GetAsync"/>).</param>
    /// <returns><see langword="true"/> when the tenant has a model.</returns>
    public bool TryGet(string tenant, [NotNullWhen(true)] out ScoringModel? model)
    {
        if (_byTenant.TryGetValue(tenant, out var entry))
        {
            model = entry.Model;
            return true;
        }

        model = null;
        return false;
    }

    /// <summary>The model active for a tenant, read from the registry on first use.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">The tenant has no active scoring release, or its active release was rejected (the message says why).</exception>
    public async ValueTask<ScoringModel> GetAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        if (TryGet(tenant, out var model))
        {
            return model;
        }

        var problems = await RefreshAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (TryGet(tenant, out model))
        {
            return model;
        }

        throw new InvalidOperationException(problems.Count == 0
            ? $"No scoring model is active for tenant '{tenant}': publish a release, have marketing and sales approve it, and activate it."
            : $"The active scoring release of tenant '{tenant}' was not taken up: {string.Join("; ", problems)}");
    }

    /// <summary>Reads the tenant's active scoring release from the registry and takes it up if it is later than the one in use.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Why the active release was not taken up; empty when it was, when it already was in use, or when none is active.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    public async ValueTask<IReadOnlyList<string>> RefreshAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        var active = await _registry.GetActiveAsync(tenant, ModelKind.Scoring, cancellationToken).ConfigureAwait(false);
        return active is null ? [] : TakeUp(active);
    }

    /// <summary>Stops following the registry's activations.</summary>
    public void Dispose() => _registry.Activated -= OnActivated;

    private void OnActivated(object? sender, ModelActivation activation)
    {
        if (activation.Key.Kind == ModelKind.Scoring)
        {
            TakeUp(activation);
        }
    }

    private IReadOnlyList<string> TakeUp(ModelActivation activation)
    {
        string tenant = activation.Key.Tenant;
        if (_byTenant.TryGetValue(tenant, out var current) && current.Sequence >= activation.Sequence)
        {
            return [];
        }

        IReadOnlyList<string> problems;
        if (!ScoringModel.TryLoad(activation.Release.Content, _options, out var model, out var errors))
        {
            problems = [.. errors.Select(e => e.ToString())];
        }
        else if (model.ContentHash != activation.ContentHash)
        {
            problems = [$"the content loads to hash {model.ContentHash[..12]}, but the release was approved as {activation.ContentHash[..12]}"];
        }
        else
        {
            var entry = new Entry(model, activation.Sequence);
            while (true)
            {
                if (_byTenant.TryGetValue(tenant, out current))
                {
                    if (current.Sequence >= entry.Sequence || _byTenant.TryUpdate(tenant, entry, current))
                    {
                        return [];
                    }
                }
                else if (_byTenant.TryAdd(tenant, entry))
                {
                    return [];
                }
            }
        }

        Rejected?.Invoke(this, new ModelRejectedEventArgs(activation.Key, problems));
        return problems;
    }

    private sealed record Entry(ScoringModel Model, long Sequence);
}
