using Npgsql;
using Polly;
using Polly.Retry;

namespace Alignment.Storage.PostgreSql;

/// <summary>
/// Runs a store call again after a transient failure (<see cref="PostgreSqlStoreOptions.MaxRetries"/>, exponential backoff with
/// jitter from <see cref="PostgreSqlStoreOptions.RetryDelay"/>), through one Polly pipeline per store. Each attempt opens its own
/// connection and transaction, so a retry never continues a broken one.
/// </summary>
internal sealed class StoreRetry
{
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Builds the pipeline from validated options (<see cref="StoreTimeouts"/> validates them first).</summary>
    /// <param name="options">The options; <see langword="null"/> means the defaults.</param>
    /// <param name="timeProvider">The clock the delays wait on; <see langword="null"/> for the system clock (tests pass a fake).</param>
    public StoreRetry(PostgreSqlStoreOptions? options, TimeProvider? timeProvider = null)
    {
        options ??= new PostgreSqlStoreOptions();
        if (options.MaxRetries == 0)
        {
            _pipeline = ResiliencePipeline.Empty;
            return;
        }

        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider ?? TimeProvider.System };
        _pipeline = builder.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = options.MaxRetries,
            Delay = options.RetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is { } e && IsTransient(e)),
        }).Build();
    }

    /// <summary>Whether a failure is worth another attempt: transient by Npgsql's judgement, except the host's own timeouts.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns><see langword="true"/> to retry.</returns>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState is "40001" or "40P01" || (pg.IsTransient && pg.SqlState is not ("55P03" or "57014")),
        NpgsqlException npgsql => npgsql.IsTransient,
        _ => false,
    };

    /// <summary>Runs one store call, again after each transient failure, until it succeeds or the retries are spent.</summary>
    /// <typeparam name="T">The call's result.</typeparam>
    /// <param name="call">The call; it receives the token to use.</param>
    /// <param name="cancellationToken">Cancels the call and the waits between attempts.</param>
    /// <returns>The call's result.</returns>
    public ValueTask<T> RunAsync<T>(Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(static (call, ct) => call(ct), call, cancellationToken);
}
