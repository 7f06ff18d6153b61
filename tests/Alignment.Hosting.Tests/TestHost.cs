using System.Collections.Concurrent;
using Alignment.Hosting.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Hosting.Tests;

/// <summary>Generic hosts on a fake clock, and a bounded way to move the clock until something happened.</summary>
internal static class TestHost
{
    public static IHost Build(FakeTimeProvider time, Action<IServiceCollection> configure, CapturingLoggerProvider? logs = null)
    {
        var builder = new HostBuilder().ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(time);
            services.AddLogging(l =>
            {
                l.SetMinimumLevel(LogLevel.Debug);
                if (logs is not null)
                {
                    l.AddProvider(logs);
                }
            });
            configure(services);
        });
        return builder.Build();
    }

    public static T Worker<T>(this IHost host) where T : AlignmentWorker => host.Services.GetServices<IHostedService>().OfType<T>().Single();

    /// <summary>
    /// Advances the fake clock by <paramref name="step"/> at a time (letting the workers run between steps, in real time) until
    /// <paramref name="done"/> holds; fails after <paramref name="maxSteps"/> steps or 90 s of real time (30 s until 8 December: the
    /// decay worker's test of 480 steps ran out of it on a loaded 2-core machine, where each pause of 2 ms took several). Before each step the
    /// workers get up to <paramref name="spins"/> pauses of 2 ms of real time.
    /// </summary>
    public static async Task<TimeSpan> AdvanceUntilAsync(FakeTimeProvider time, TimeSpan step, Func<bool> done, int maxSteps, string what, int spins = 10)
    {
        var started = time.GetUtcNow();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        for (int i = 0; i <= maxSteps && DateTime.UtcNow < deadline; i++)
        {
            for (int spin = 0; spin < spins && !done(); spin++)
            {
                await Task.Delay(2);
            }

            if (done())
            {
                return time.GetUtcNow() - started;
            }

            time.Advance(step);
        }

        throw new Xunit.Sdk.XunitException($"{what}: not reached after {time.GetUtcNow() - started} of fake time");
    }

    /// <summary>Gives the workers real time to react; true as soon as <paramref name="done"/> holds (at most ~2 s).</summary>
    public static async Task<bool> SettleAsync(Func<bool> done)
    {
        for (int i = 0; i < 400; i++)
        {
            if (done())
            {
                return true;
            }

            await Task.Delay(5);
        }

        return done();
    }
}

/// <summary>Keeps every log entry (category, level, event id, message) in memory.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, EventId Id, string Message, Exception? Error)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((category, logLevel, eventId, formatter(state, exception), exception));
    }
}
