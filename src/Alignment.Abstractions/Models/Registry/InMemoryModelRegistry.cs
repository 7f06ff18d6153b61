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
            if (_releases.TryGetValue(release.Key, out var existing))
            {
                if (existing.ContentHash == release.ContentHash && existing.Content == release.Content)
                {
                    return ValueTask.FromResult(existing);
                }

                if (existing.ContentHash == release.ContentHash)
                {
                    throw new InvalidOperationException($"{release.Key}: other content under the same content hash {ModelApprovals.Short(release.ContentHash)}; the hash must be computed from the content (approvals name it).");
                }

                if (ActiveKey(release.Key.Tenant, release.Key.Kind) == release.Key)
                {
                    throw new InvalidOperationException($"{release.Key} is active; its content cannot change. Publish the edit as a new version and activate that.");
                }
            }

            var stored = new ModelRelease(release.Key, release.Content, release.ContentHash) { Approvals = existing?.Approvals ?? [] };
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
            var release = Require(key);
            if (approval.ContentHash != release.ContentHash)
            {
                throw new InvalidOperationException($"{key}: the approval by {approval.ApprovedBy} names content {ModelApprovals.Short(approval.ContentHash)}, but the release's content is {ModelApprovals.Short(release.ContentHash)} (it was edited); review and approve the current content.");
            }

            foreach (var a in release.Approvals)
            {
                if (a.ContentHash == release.ContentHash && string.Equals(a.ApprovedBy, approval.ApprovedBy, StringComparison.OrdinalIgnoreCase))
                {
                    if (a.Side == approval.Side)
                    {
                        return ValueTask.FromResult(release);
                    }

                    throw new InvalidOperationException($"{key}: {approval.ApprovedBy} already approved content {ModelApprovals.Short(release.ContentHash)} for {ModelApprovals.SideName(a.Side)}; the {ModelApprovals.SideName(approval.Side)} approval must come from someone else.");
                }
            }

            var approved = release with { Approvals = release.Approvals.Add(approval) };
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
            var history = History(key.Tenant, key.Kind);
            if (history.Count > 0 && history[^1].Key == key && history[^1].ContentHash == release.ContentHash)
            {
                return ValueTask.FromResult(history[^1]);
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
            if (history.Count > 0 && history[^1] is { IsRollback: true } done && done.ActivatedBy == rolledBackBy && done.Reason == reason)
            {
                return ValueTask.FromResult(done); // a retry: the same person, for the same reason, with nothing in between
            }

            var current = history.Count > 0 ? history[^1].Key : (ReleaseKey?)null;
            var previous = history.LastOrDefault(h => h.Key != current)
                ?? throw new InvalidOperationException($"{kind} model of tenant '{tenant}': nothing was active before {(current is { } c ? $"{c.Id}@{c.Version}" : "now")}; there is nothing to roll back to.");
            activation = Record(Require(previous.Key), rolledBackBy, reason, isRollback: true);
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

    /// <summary>Tells every subscriber, each on its own: the activation stands whatever a subscriber does, so none can hide it from the others.</summary>
    private void Raise(ModelActivation activation)
    {
        if (Activated is not { } handlers)
        {
            return;
        }

        foreach (EventHandler<ModelActivation> handler in handlers.GetInvocationList())
        {
            try
            {
                handler(this, activation);
            }
#pragma warning disable CA1031 // A subscriber's failure must not undo, or look like a failure of, an activation already made.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private ModelActivation Record(ModelRelease release, string by, string reason, bool isRollback)
    {
        var problems = release.ActivationProblems;
        if (!problems.IsEmpty)
        {
            throw new ModelNotPublishableException(release.Key.ToString(), problems);
        }

        var history = History(release.Key.Tenant, release.Key.Kind);
        var activation = new ModelActivation(release, by, _time.GetUtcNow(), reason, isRollback, history.Count + 1);
        history.Add(activation);
        return activation;
    }

    private ModelRelease Require(ReleaseKey key) =>
        _releases.TryGetValue(key, out var release) ? release : throw new KeyNotFoundException($"{key} was never published to this registry.");

    private ReleaseKey? ActiveKey(string tenant, ModelKind kind) =>
        _history.TryGetValue((tenant, kind), out var h) && h.Count > 0 ? h[^1].Key : null;

    private List<ModelActivation> History(string tenant, ModelKind kind)
    {
        if (!_history.TryGetValue((tenant, kind), out var history))
        {
            _history[(tenant, kind)] = history = [];
        }

        return history;
    }
}
