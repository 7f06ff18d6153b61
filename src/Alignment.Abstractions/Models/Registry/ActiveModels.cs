using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Alignment.Models.Registry;

/// <summary>
/// The model of one kind each tenant has active in a <see cref="IModelRegistry"/>, compiled once per activation and swapped in
/// atomically: a host resolves the model per lead (or per batch) with <see cref="TryGet"/>, a lock-free lookup that allocates
/// nothing, and a new release or a rollback takes effect without a restart. Work in flight keeps the model it resolved, so every
/// decision comes from exactly one version.
/// </summary>
/// <typeparam name="TModel">The compiled model (a scoring model, segmentation model, routing policy or nurture policy).</typeparam>
/// <remarks>
/// <para>
/// Activations in this process (<see cref="IModelRegistry.Activated"/>) are compiled on the activating thread before the activation
/// call returns; a registry shared with other processes is followed with <see cref="RefreshAsync"/> (a host polls it). A tenant's
/// model is only ever replaced by a later activation (<see cref="ModelActivation.Sequence"/>), whatever order refreshes finish in.
/// </para>
/// <para>
/// A release whose content does not load, or loads to another content hash than the one approved, is not taken up: the tenant keeps
/// the model it had and <see cref="Rejected"/> says why. Thread-safe.
/// </para>
/// </remarks>
public sealed class ActiveModels<TModel> : IActiveModels, IDisposable
    where TModel : class
{
    private readonly IModelRegistry _registry;
    private readonly IModelReleaseLoader<TModel> _loader;
    private readonly ConcurrentDictionary<string, ActiveModel<TModel>> _byTenant = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Sequence, IReadOnlyList<string> Problems)> _rejected = new(StringComparer.Ordinal);

    /// <summary>Follows the active releases of the loader's kind in <paramref name="registry"/>.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="loader">Compiles a release of the kind.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public ActiveModels(IModelRegistry registry, IModelReleaseLoader<TModel> loader)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(loader);
        _registry = registry;
        _loader = loader;
        _registry.Activated += OnActivated;
    }

    /// <summary>The kind of model followed.</summary>
    public ModelKind Kind => _loader.Kind;

    /// <summary>The tenants whose model this host has taken up (a snapshot).</summary>
    public IReadOnlyCollection<string> Tenants => [.. _byTenant.Keys];

    /// <summary>Raised when an active release is not taken up (it does not load, or its hash differs from the approved one). An exception a handler throws is ignored.</summary>
    public event EventHandler<ModelRejectedEventArgs>? Rejected;

    /// <summary>
    /// Raised after a tenant's model was replaced (on the thread that took it up), with the model now in use. A host that builds
    /// something per model (a router over a routing policy) rebuilds it here. An exception a handler throws is ignored. Two
    /// take-ups on different threads may raise in either order: compare <see cref="ModelActivation.Sequence"/> with what the handler
    /// kept (or read <see cref="TryGetActive"/>) rather than trusting the latest call.
    /// </summary>
    public event EventHandler<ActiveModel<TModel>>? TakenUp;

    /// <summary>The model active for a tenant now, as this host has taken it up: a lock-free lookup, no allocation.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="model">The model, or <see langword="null"/> when the tenant has none (yet: see <see cref="GetAsync"/>).</param>
    /// <returns><see langword="true"/> when the tenant has a model.</returns>
    public bool TryGet(string tenant, [NotNullWhen(true)] out TModel? model)
    {
        if (_byTenant.TryGetValue(tenant, out var active))
        {
            model = active.Model;
            return true;
        }

        model = null;
        return false;
    }

    /// <summary>The model active for a tenant now with the activation it came from (release key, content hash, who and when): a lock-free lookup, no allocation.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="active">The model and its activation, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the tenant has a model.</returns>
    public bool TryGetActive(string tenant, [NotNullWhen(true)] out ActiveModel<TModel>? active) => _byTenant.TryGetValue(tenant, out active);

    /// <summary>The model active for a tenant, read from the registry on first use.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The model and its activation.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">The tenant has no active release of the kind, or its active release was rejected (the message says why).</exception>
    public async ValueTask<ActiveModel<TModel>> GetAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        if (_byTenant.TryGetValue(tenant, out var active))
        {
            return active;
        }

        var problems = await RefreshAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (_byTenant.TryGetValue(tenant, out active))
        {
            return active;
        }

        string kind = ModelKindText(Kind);
        throw new InvalidOperationException(problems.Count == 0
            ? $"No {kind} is active for tenant '{tenant}': publish a release, have marketing and sales approve it, and activate it."
            : $"The active {kind} release of tenant '{tenant}' was not taken up: {string.Join("; ", problems)}");
    }

    /// <summary>
    /// The model active for a tenant: a lock-free lookup like <see cref="TryGetActive"/>, and on the tenant's first use in this process
    /// (after a restart, a tenant not loaded at start-up) a read of the registry that the calling thread waits for, once per tenant.
    /// For the synchronous engines (scoring, segmentation); asynchronous code calls <see cref="GetAsync"/>.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <returns>The model and its activation.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">The tenant has no active release of the kind, or its active release was rejected (the message says why).</exception>
    public ActiveModel<TModel> Get(string tenant)
    {
        if (_byTenant.TryGetValue(tenant, out var active))
        {
            return active;
        }

        var pending = GetAsync(tenant);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Reads the tenant's active release from the registry and takes it up if it is later than the one in use.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Why the active release was not taken up; empty when it was, when it already was in use, or when none is active.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    public async ValueTask<IReadOnlyList<string>> RefreshAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        var active = await _registry.GetActiveAsync(tenant, Kind, cancellationToken).ConfigureAwait(false);
        return active is null ? [] : TakeUp(active);
    }

    /// <summary>Compiles a release with this instance's loader without making it active (for a challenger or a preview).</summary>
    /// <param name="release">The release.</param>
    /// <param name="model">The compiled model.</param>
    /// <param name="problems">Why it did not load; empty when it did.</param>
    /// <returns><see langword="true"/> when it loaded.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="release"/> is null.</exception>
    /// <exception cref="ArgumentException">The release is of another kind.</exception>
    public bool TryLoad(ModelRelease release, [NotNullWhen(true)] out TModel? model, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(release);
        if (release.Key.Kind != Kind)
        {
            throw new ArgumentException($"{release.Key} is not a {ModelKindText(Kind)} release.", nameof(release));
        }

        return _loader.TryLoad(release, out model, out problems);
    }

    /// <summary>Stops following the registry's activations.</summary>
    public void Dispose() => _registry.Activated -= OnActivated;

    private void Reject(ReleaseKey key, IReadOnlyList<string> problems) =>
        EventRaising.RaiseEach(Rejected, this, new ModelRejectedEventArgs(key, problems));

    private static string ModelKindText(ModelKind kind) => kind switch
    {
        ModelKind.Scoring => "scoring model",
        ModelKind.Segmentation => "segmentation model",
        ModelKind.Routing => "routing policy",
        ModelKind.Nurture => "nurture policy",
        _ => kind.ToString(),
    };

    private void OnActivated(object? sender, ModelActivation activation)
    {
        if (activation.Key.Kind == Kind)
        {
            TakeUp(activation);
        }
    }

    private IReadOnlyList<string> TakeUp(ModelActivation activation)
    {
        string tenant = activation.Key.Tenant;
        if (_byTenant.TryGetValue(tenant, out var current) && current.Activation.Sequence >= activation.Sequence)
        {
            return [];
        }

        // A rejected activation is not compiled (or reported) again on every refresh: it stays rejected until a later one.
        if (_rejected.TryGetValue(tenant, out var rejected) && rejected.Sequence == activation.Sequence)
        {
            return rejected.Problems;
        }

        TModel? model;
        IReadOnlyList<string> problems;
        try
        {
            _loader.TryLoad(activation.Release, out model, out problems);
        }
#pragma warning disable CA1031 // A loader that throws rejects the release like one that reports problems: the tenant keeps its model.
        catch (Exception e)
#pragma warning restore CA1031
        {
            model = null;
            problems = [$"the loader failed: {e.GetType().Name}: {e.Message}"];
        }

        if (model is null)
        {
            _rejected.AddOrUpdate(tenant, (activation.Sequence, problems), (_, before) => before.Sequence > activation.Sequence ? before : (activation.Sequence, problems));
            Reject(activation.Key, problems);
            return problems;
        }

        var entry = new ActiveModel<TModel>(model, activation);
        while (true)
        {
            if (_byTenant.TryGetValue(tenant, out current))
            {
                if (current.Activation.Sequence >= activation.Sequence)
                {
                    return [];
                }

                if (_byTenant.TryUpdate(tenant, entry, current))
                {
                    break;
                }
            }
            else if (_byTenant.TryAdd(tenant, entry))
            {
                break;
            }
        }

        EventRaising.RaiseEach(TakenUp, this, entry);
        return [];
    }
}
