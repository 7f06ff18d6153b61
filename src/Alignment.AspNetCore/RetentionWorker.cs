using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Alignment.AspNetCore;

/// <summary>
/// Removes what is older than a retention period, every <c>interval</c>, in a bounded pass: at most <see cref="MaxBatchesPerPass"/>
/// calls of <c>purge</c> of <c>batchSize</c> rows each, so one pass never holds the store for long; what is left goes in the next pass.
/// Used for delivered webhook deliveries (<see cref="Webhooks.WebhookOptions.DeliveredRetention"/>) and for each tenant's ingest
/// receipts (<see cref="AlignmentHttpOptions.ReceiptRetention"/>).
/// </summary>
internal sealed class RetentionWorker(
    string what, Func<DateTimeOffset, int, CancellationToken, ValueTask<int>> purge, TimeSpan retention, TimeSpan interval, int batchSize, TimeProvider time, ILogger? logger = null)
    : BackgroundService
{
    /// <summary>The most purge calls in one pass.</summary>
    public const int MaxBatchesPerPass = 10;

    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>One pass: purges what is older than now − retention, batch by batch, until a batch is not full or <see cref="MaxBatchesPerPass"/> is reached.</summary>
    /// <returns>How many were removed.</returns>
    public async Task<int> RunPassAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - retention;
        int total = 0;
        for (int batch = 0; batch < MaxBatchesPerPass; batch++)
        {
            int removed = await purge(cutoff, batchSize, cancellationToken).ConfigureAwait(false);
            total += removed;
            if (removed < batchSize)
            {
                break;
            }
        }

        if (total > 0)
        {
            RetentionLog.Purged(_logger, total, what, cutoff);
        }

        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunPassAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                RetentionLog.Failed(_logger, e, what, interval);
            }

            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

internal static partial class RetentionLog
{
    [LoggerMessage(EventId = 4550, Level = LogLevel.Information, Message = "Retention: removed {Count} {What} older than {Cutoff:O}")]
    public static partial void Purged(ILogger logger, int count, string what, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 4551, Level = LogLevel.Warning, Message = "Retention of {What} failed; trying again in {Interval}")]
    public static partial void Failed(ILogger logger, Exception exception, string what, TimeSpan interval);
}

/// <summary>The host's retention pass over delivered webhook deliveries (a type of its own, so <c>TryAddEnumerable</c> registers it once).</summary>
internal sealed class WebhookRetentionWorker(RetentionWorker inner) : IHostedService, IDisposable
{
    public RetentionWorker Inner => inner;

    public Task StartAsync(CancellationToken cancellationToken) => inner.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);

    public void Dispose() => inner.Dispose();
}
