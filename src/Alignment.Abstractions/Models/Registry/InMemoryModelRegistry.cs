namespace Alignment.Models.Registry;

/// <summary>
/// The embedded, in-process <see cref="IModelRegistry"/>: thread-safe, lost on restart (a file-based host publishes its approved
/// releases into it at start-up). Every change is made under one lock, so an activation and the history entry it writes are atomic.
/// </summary>
public sealed class InMemoryModelRegistry : IModelRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ReleaseKey, ModelRelease> _releases = [];
    private readonly Dictionary<(string Tenant, ModelKind Kind), List<ModelActivation>> _history = [];
    private readonly TimeProvider _time;

    /// <summary>Creates an empty registry.</summary>
    /// <param name="timeProvider">The clock that dates activations; <see langword="null"/> for the system clock.</param>
    public InMemoryModelRegistry(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public event EventHandler<ModelActivation>? Activated;

    /// <inheritdoc />
    public ValueTask<ModelRelease> PublishAsync(ModelRelease release, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(release);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var existing = _releases.GetValueOrDefault(release.Key);
            var stored = ModelRegistryRules.Publish(existing, release, History(release.Key.Tenant, release.Key.Kind));
            _releases[release.Key] = stored;
            return ValueTask.FromResult(stored);
        }
    }

    /// <inheritdoc />
    public ValueTask<ModelRelease> ApproveAsync(ReleaseKey key, ModelApproval approval, CancellationToken cancellationToken = default)
    {
        ModelApprovals.Validate(approval, nameof(approval));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var approved = ModelRegistryRules.Approve(Require(key), approval);
            _releases[key] = approved;
            return ValueTask.FromResult(approved);
        }
    }

    /// <inheritdoc />
    public ValueTask<ModelActivation> ActivateAsync(ReleaseKey key, string activatedBy, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(activatedBy);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        cancellationToken.ThrowIfCancellationRequested();
        ModelActivation activation;
        lock (_gate)
        {
            var release = Require(key);
            if (ModelRegistryRules.AlreadyActive(History(key.Tenant, key.Kind), release) is { } active)
            {
                return ValueTask.FromResult(active);
            }

            activation = Record(release, activatedBy, reason, isRollback: false);
        }

        Raise(activation);
        return ValueTask.FromResult(activation);
    }

    /// <inheritdoc />
    public ValueTask<ModelActivation> RollbackAsync(string tenant, ModelKind kind, string rolledBackBy, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ArgumentException.ThrowIfNullOrWhiteSpace(rolledBackBy);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        cancellationToken.ThrowIfCancellationRequested();
        ModelActivation activation;
        lock (_gate)
        {
            var history = History(tenant, kind);
            if (ModelRegistryRules.RetriedRollback(history, rolledBackBy, reason) is { } done)
            {
                return ValueTask.FromResult(done);
            }

            activation = Record(Require(ModelRegistryRules.RollbackTarget(history, tenant, kind)), rolledBackBy, reason, isRollback: true);
        }

        Raise(activation);
        return ValueTask.FromResult(activation);
    }

    /// <inheritdoc />
    public ValueTask<ModelActivation?> GetActiveAsync(string tenant, ModelKind kind, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_history.TryGetValue((tenant, kind), out var h) && h.Count > 0 ? h[^1] : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<ModelRelease?> FindAsync(ReleaseKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_releases.GetValueOrDefault(key));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ModelActivation>> GetHistoryAsync(string tenant, ModelKind kind, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<ModelActivation>>([.. History(tenant, kind)]);
        }
    }

    private void Raise(ModelActivation activation) => ModelRegistryRules.Raise(Activated, this, activation);

    private ModelActivation Record(ModelRelease release, string by, string reason, bool isRollback)
    {
        var history = History(release.Key.Tenant, release.Key.Kind);
        var activation = ModelRegistryRules.Activation(release, by, reason, isRollback, history.Count + 1, _time.GetUtcNow());
        history.Add(activation);
        return activation;
    }

    private ModelRelease Require(ReleaseKey key) =>
        _releases.TryGetValue(key, out var release) ? release : throw ModelRegistryRules.NotPublished(key);

    private List<ModelActivation> History(string tenant, ModelKind kind)
    {
        if (!_history.TryGetValue((tenant, kind), out var history))
        {
            _history[(tenant, kind)] = history = [];
        }

        return history;
    }
}
