namespace Alignment.Coordination;

/// <summary>
/// An <see cref="ILeaseStore"/> in one process's memory, on a <see cref="TimeProvider"/>: the default, for a host that runs
/// one instance (and for tests, where several workers share one store). Thread-safe.
/// </summary>
public sealed class InMemoryLeaseStore : ILeaseStore
{
    private readonly Dictionary<string, LeaseGrant> _leases = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates the store.</summary>
    /// <param name="timeProvider">The clock leases expire by; <see langword="null"/> for the system clock.</param>
    public InMemoryLeaseStore(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public ValueTask<LeaseGrant?> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        lock (_leases)
        {
            long term = 1;
            if (_leases.TryGetValue(name, out var current))
            {
                bool mine = string.Equals(current.Holder, holder, StringComparison.Ordinal);
                if (!mine && current.ExpiresAt > now)
                {
                    return ValueTask.FromResult<LeaseGrant?>(null);
                }

                term = mine ? current.Term : current.Term + 1;
            }

            var grant = new LeaseGrant(name, holder, now + duration, term);
            _leases[name] = grant;
            return ValueTask.FromResult<LeaseGrant?>(grant);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ReleaseAsync(string name, string holder, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_leases)
        {
            if (_leases.TryGetValue(name, out var current) && string.Equals(current.Holder, holder, StringComparison.Ordinal) && current.ExpiresAt > _time.GetUtcNow())
            {
                // Expired now, the term kept: the next holder's term is one more.
                _leases[name] = current with { ExpiresAt = DateTimeOffset.MinValue };
                return ValueTask.FromResult(true);
            }

            return ValueTask.FromResult(false);
        }
    }
}
