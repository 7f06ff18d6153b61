using Alignment.Webhooks;

namespace Alignment.AspNetCore.Webhooks;

/// <summary>
/// How webhooks are sent. A failed attempt (a status other than 2xx, a timeout, a refused connection) is retried after
/// <c>min(InitialRetryDelay × 2^(attempts − 1), MaxRetryDelay)</c>, where <c>attempts</c> counts the failed attempts so far (1 s, 2 s,
/// 4 s, … with the defaults); after <see cref="MaxAttempts"/> failed attempts the delivery is parked until it is replayed.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>The delay before the first retry.</summary>
    /// <value>1 second. Must be positive and no more than <see cref="MaxRetryDelay"/>.</value>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two attempts.</summary>
    /// <value>10 minutes. Must be positive.</value>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The attempts made before a delivery is parked.</summary>
    /// <value>8. Between 1 and 100.</value>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How long one attempt may take before it counts as failed.</summary>
    /// <value>10 seconds. Must be positive.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the worker waits after a cycle that found nothing due.</summary>
    /// <value>1 second. Must be positive.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The most requests in flight at once (never two for one subscription).</summary>
    /// <value>8. Between 1 and 256.</value>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>How far a signature's timestamp may be from the receiver's clock (documented for receivers; the samples use it).</summary>
    /// <value>5 minutes. Must be positive.</value>
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether subscriptions may use plain <c>http</c> URLs. Without it a URL must be <c>https</c>: at registration
    /// (<c>POST /webhooks</c> answers 400 naming <c>$.url</c>) and at every attempt (a delivery to an <c>http</c> URL registered while it
    /// was allowed fails).
    /// </summary>
    /// <value><see langword="false"/>.</value>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// Whether webhooks may reach loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16 with the cloud metadata
    /// address 169.254.169.254, fe80::/10), shared (100.64/10), unspecified, multicast and reserved addresses, and IPv4 addresses embedded
    /// in IPv6 forms of those. Without it such a URL is refused at registration, and every connection is checked after DNS resolution
    /// (so a name that later resolves to such an address is refused too): for hosts on a developer machine, tests and on-premises
    /// receivers only.
    /// </summary>
    /// <value><see langword="false"/>.</value>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long registration waits for DNS to check a URL's host (a name that does not resolve in time is accepted, and checked again at every connection).</summary>
    /// <value>2 seconds. Must be positive and no more than 1 minute.</value>
    public TimeSpan RegistrationDnsTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a delivered delivery is kept (for <c>GET /webhooks/deliveries</c> and replay) before the retention pass removes it. Pending and parked ones are never removed.</summary>
    /// <value>7 days. At least 1 minute.</value>
    public TimeSpan DeliveredRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the retention pass runs; each pass removes at most 10 × <see cref="RetentionBatchSize"/> deliveries.</summary>
    /// <value>1 hour. Between 1 second and 1 day.</value>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many deliveries one purge statement removes.</summary>
    /// <value>1,000. Between 1 and 100,000.</value>
    public int RetentionBatchSize { get; set; } = 1000;

    /// <summary>The delay before the next attempt after <paramref name="failedAttempts"/> failed attempts: <c>min(InitialRetryDelay × 2^(failedAttempts − 1), MaxRetryDelay)</c>.</summary>
    /// <param name="failedAttempts">The failed attempts so far, at least 1.</param>
    /// <returns>The delay.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="failedAttempts"/> is less than 1.</exception>
    public TimeSpan RetryDelay(int failedAttempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        double ticks = InitialRetryDelay.Ticks * Math.Pow(2, Math.Min(failedAttempts - 1, 62));
        return ticks >= MaxRetryDelay.Ticks ? MaxRetryDelay : TimeSpan.FromTicks((long)ticks);
    }
}
