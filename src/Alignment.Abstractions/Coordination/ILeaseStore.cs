namespace Alignment.Coordination;

/// <summary>
/// Named leases that let exactly one instance of a host do a job at a time (the SLA check, the decay watch): an instance that
/// holds a lease renews it before it expires; when the holder dies, another instance acquires it once it has expired.
/// </summary>
/// <remarks>
/// Implementations are thread-safe and shared by every instance of the host (a PostgreSQL table, a cluster's grain); the
/// in-memory one serves a single process. A lease is a hint for efficiency and order, not a lock that makes work safe: a
/// holder paused past its expiry may still finish a step it began, so the work a lease guards must itself be safe to repeat
/// (the engines' writes are conditional on a version or an epoch).
/// </remarks>
public interface ILeaseStore
{
    /// <summary>
    /// Acquires the lease for <paramref name="holder"/>, or renews it when <paramref name="holder"/> already holds it, until
    /// <paramref name="duration"/> from now; nothing happens while another holder's lease has not expired.
    /// </summary>
    /// <param name="name">The job the lease is for, for example <c>alignment.sla</c>.</param>
    /// <param name="holder">The instance asking (unique per process).</param>
    /// <param name="duration">How long the lease lasts without renewal; the take-over time when the holder dies.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease now held, or <see langword="null"/> when another holder has it.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="holder"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is not positive.</exception>
    ValueTask<LeaseGrant?> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives the lease up when <paramref name="holder"/> holds it (so another instance may take over at once); otherwise nothing.</summary>
    /// <param name="name">The job the lease is for.</param>
    /// <param name="holder">The instance giving it up.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when the holder held the lease and it is released.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="holder"/> is null, empty or white space.</exception>
    ValueTask<bool> ReleaseAsync(string name, string holder, CancellationToken cancellationToken = default);
}

/// <summary>A lease held: who holds it, until when, and its term.</summary>
/// <param name="Name">The job the lease is for.</param>
/// <param name="Holder">The instance holding it.</param>
/// <param name="ExpiresAt">When it expires unless renewed (by the store's clock).</param>
/// <param name="Term">
/// Counts the changes of holder since the lease was first taken (1 for the first holder): a renewal keeps it, a take-over
/// increases it, so work stamped with a term can be told apart from a former holder's.
/// </param>
public readonly record struct LeaseGrant(string Name, string Holder, DateTimeOffset ExpiresAt, long Term);
