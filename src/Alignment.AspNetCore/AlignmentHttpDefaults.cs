namespace Alignment.AspNetCore;

/// <summary>Names Alignment's HTTP integration registers.</summary>
public static class AlignmentHttpDefaults
{
    /// <summary>The API-key authentication scheme: <c>AlignmentApiKey</c>.</summary>
    public const string ApiKeyScheme = "AlignmentApiKey";

    /// <summary>The header that carries an API key: <c>X-Api-Key</c> (or <c>Authorization: ApiKey &lt;key&gt;</c>).</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The authorization policy of the endpoints: <c>Alignment</c> (an authenticated user bound to a tenant).</summary>
    public const string AuthorizationPolicy = "Alignment";

    /// <summary>The rate-limiter policy of the endpoints: <c>Alignment</c> (one token bucket per tenant).</summary>
    public const string RateLimiterPolicy = "Alignment";

    /// <summary>The header of an idempotent ingest: <c>Idempotency-Key</c>.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";
}
