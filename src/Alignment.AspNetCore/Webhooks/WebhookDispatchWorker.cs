using Alignment.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Alignment.AspNetCore.Webhooks;

/// <summary>Runs <see cref="WebhookDispatcher.RunDueAsync"/> again at once after a cycle that attempted something, otherwise after <see cref="WebhookOptions.PollInterval"/>.</summary>
internal sealed class WebhookDispatchWorker(WebhookDispatcher dispatcher, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookDispatchWorker>? logger = null) : BackgroundService
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan delay = options.Value.PollInterval;
            try
            {
                if (await dispatcher.RunDueAsync(stoppingToken).ConfigureAwait(false) > 0)
                {
                    delay = TimeSpan.Zero;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                WebhookLog.CycleFailed(_logger, e, delay);
            }

            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
