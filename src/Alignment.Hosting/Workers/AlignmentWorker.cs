using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alignment.Hosting.Workers;

/// <summary>
/// A worker's loop: run a cycle, record it for the health check, sleep for what the cycle asked (or until woken); after a
/// failed cycle, log it and back off exponentially with jitter. Stops when the host stops; a cycle in flight is cancelled.
/// </summary>
internal abstract class AlignmentWorker : BackgroundService
{
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected AlignmentWorker(IOptions<AlignmentWorkerOptions> options, WorkerHealth health, TimeProvider time, ILoggerFactory? loggerFactory)
    {
        Options = options.Value;
        Health = health;
        Time = time;
        Logger = (loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger("Alignment.Hosting." + GetType().Name);
    }

    /// <summary>The worker's name in logs and the health report.</summary>
    public abstract string Name { get; }

    protected AlignmentWorkerOptions Options { get; }

    protected WorkerHealth Health { get; }

    protected TimeProvider Time { get; }

    protected ILogger Logger { get; }

    /// <summary>leader or standby for single-leader workers; null otherwise.</summary>
    public string? Role { get; protected set; }

    /// <summary>Whether the options select this worker.</summary>
    protected abstract bool Enabled { get; }

    /// <summary>How old the last successful cycle may be while the worker is healthy.</summary>
    protected abstract TimeSpan StaleAfter { get; }

    /// <summary>Runs one cycle and says how long to sleep before the next (zero: at once).</summary>
    protected abstract ValueTask<TimeSpan> RunCycleAsync(CancellationToken cancellationToken);

    /// <summary>Ends the current sleep early (for example when new work was announced in this process).</summary>
    public void Wake() => Volatile.Read(ref _wake).TrySetResult();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        await Task.Yield(); // never hold up the host's start
        Health.Started(Name, Time.GetUtcNow(), StaleAfter);
        HostingLog.WorkerStarted(Logger, Name, Options.InstanceId);
        int failures = 0;
        var backoff = Options.ErrorBackoff;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TimeSpan delay;
                try
                {
                    delay = await RunCycleAsync(stoppingToken).ConfigureAwait(false);
                    if (failures > 0)
                    {
                        HostingLog.WorkerRecovered(Logger, Name, failures);
                    }

                    failures = 0;
                    backoff = Options.ErrorBackoff;
                    Health.Succeeded(Name, Time.GetUtcNow(), Role);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    failures = Health.Failed(Name, e);
                    delay = Jitter(backoff);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, Options.MaxErrorBackoff.Ticks));
                    HostingLog.WorkerFailed(Logger, e, Name, failures, delay);
                }

                await SleepAsync(delay, stoppingToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Health.Stopped(Name);
        }
    }

    // Full jitter between half and the whole backoff, so instances that failed together do not retry together.
    private static TimeSpan Jitter(TimeSpan backoff) => TimeSpan.FromTicks(backoff.Ticks / 2 + (long)(Random.Shared.NextDouble() * (backoff.Ticks / 2)));

    private async Task SleepAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        if (delay <= TimeSpan.Zero || stoppingToken.IsCancellationRequested)
        {
            return;
        }

        var wake = Volatile.Read(ref _wake);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var sleep = Task.Delay(delay, Time, cts.Token);
        await Task.WhenAny(sleep, wake.Task).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        if (wake.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), wake);
        }
    }
}
