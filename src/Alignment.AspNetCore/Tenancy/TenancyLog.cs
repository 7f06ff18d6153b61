using Microsoft.Extensions.Logging;

namespace Alignment.AspNetCore.Tenancy;

/// <summary>What the tenants log, with stable event ids (4401-4449).</summary>
internal static partial class TenancyLog
{
    [LoggerMessage(4401, LogLevel.Error, "Tenant {Tenant} could not start; its requests get 503 until a start succeeds")]
    public static partial void StartFailed(ILogger logger, Exception exception, string tenant);
}
