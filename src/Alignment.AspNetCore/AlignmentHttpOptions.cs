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
}
