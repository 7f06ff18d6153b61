namespace Alignment.AspNetCore;

/// <summary>
/// Options of Alignment's HTTP endpoints (<c>AddAlignmentHttp</c>, <c>MapAlignment</c>). Validated at start-up: a host with
/// an invalid value does not start, and the error names every bad option.
/// </summary>
public sealed class AlignmentHttpOptions
{
    /// <summary>The largest request body accepted, in bytes; a larger one is refused with 413.</summary>
    /// <value>1 MiB. At least 1 KiB, at most 64 MiB.</value>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The requests one tenant may make per <see cref="RateLimitWindow"/> (a token bucket refilled by this many every window);
    /// beyond it a request is refused with 429 and a <c>Retry-After</c> header.
    /// </summary>
    /// <value>2,000. At least 1.</value>
    public int RateLimitPermits { get; set; } = 2_000;

    /// <summary>The window of <see cref="RateLimitPermits"/>.</summary>
    /// <value>1 second. Between 1 millisecond and 1 hour.</value>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The authentication schemes whose users may call the endpoints: the API-key scheme (<see cref="AlignmentHttpDefaults.ApiKeyScheme"/>)
    /// and, for JWT, the host's bearer scheme (add <c>"Bearer"</c> after <c>AddJwtBearer</c>). Whatever the scheme, the user
    /// must carry the <c>alignment_tenant</c> claim.
    /// </summary>
    /// <value>The API-key scheme alone.</value>
    public IList<string> AuthenticationSchemes { get; } = [AlignmentHttpDefaults.ApiKeyScheme];

    /// <summary>How long a rep has to follow up an attendee of a campaign (the campaign tracker's SLA).</summary>
    /// <value>2 days. Positive.</value>
    public TimeSpan AttendeeFollowUpSla { get; set; } = TimeSpan.FromDays(2);

    /// <summary>
    /// How long an ingest holds its <c>Idempotency-Key</c> while it decides: the key is claimed in the tenant's lead document store
    /// first, so that two instances that receive the same key at once do not both decide; a claim left by an instance that crashed
    /// lapses after this time, and the key can then be decided again.
    /// </summary>
    /// <value>2 minutes. Between 1 second and 1 hour; longer than an ingest takes.</value>
    public TimeSpan IdempotencyKeyHold { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long an ingest whose key another request is deciding waits for that answer (to replay it) before it answers 409 with <c>Retry-After</c>.</summary>
    /// <value>5 seconds. Between 0 and 1 minute.</value>
    public TimeSpan IdempotencyWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a tenant's ingest receipts are kept: a request repeating an idempotency key within this time gets the stored answer;
    /// after it, the receipt is removed by the retention pass and the key would be decided again. Claims still pending are never removed.
    /// </summary>
    /// <value>30 days. At least 1 hour and more than <see cref="IdempotencyKeyHold"/>.</value>
    public TimeSpan ReceiptRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often each started tenant's receipt retention pass runs; each pass removes at most 10 × <see cref="RetentionBatchSize"/> receipts.</summary>
    /// <value>1 hour. Between 1 second and 1 day.</value>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many receipts one purge statement removes.</summary>
    /// <value>1,000. Between 1 and 100,000.</value>
    public int RetentionBatchSize { get; set; } = 1000;
}
