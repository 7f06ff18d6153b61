using Microsoft.Extensions.Logging;

namespace Alignment.Storage.PostgreSql;

/// <summary>The PostgreSQL stores' log messages: source-generated, stable event ids 4001-4099, ids and codes only.</summary>
internal static partial class StoreLog
{
    [LoggerMessage(4001, LogLevel.Warning, "{Store}: transient failure ({Failure}); retry {Attempt} of {MaxRetries} in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string store, string failure, int attempt, int maxRetries, long delayMs);
}
