using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Alignment.Storage.PostgreSql;

/// <summary>
/// Runs a store call again after a transient failure (<see cref="PostgreSqlStoreOptions.MaxRetries"/>, exponential backoff with
/// jitter from <see cref="PostgreSqlStoreOptions.RetryDelay"/>), through one Polly pipeline per store. Each attempt opens its own
/// connection and transaction, so a retry never continues a broken one. A write runs through <see cref="RunWriteAsync{T}"/>,
/// so that a retry after a commit whose reply was lost recognises the write the earlier attempt saved (<see cref="StoreWrite"/>).
/// </summary>
internal sealed class StoreRetry
{
    private readonly ResiliencePipeline _pipeline;

    /// <summary>Builds the pipeline from validated options (<see cref="StoreTimeouts"/> validates them first).</summary>
    /// <param name="options">The options; <see langword="null"/> means the defaults.</param>
    /// <param name="timeProvider">The clock the delays wait on; <see langword="null"/> for the system clock (tests pass a fake).</param>
    /// <param name="store">The store's type name, for the log category and messages.</param>
    public StoreRetry(PostgreSqlStoreOptions? options, TimeProvider? timeProvider = null, string store = "PostgreSqlStore")
    {
        options ??= new PostgreSqlStoreOptions();
        var logger = (ILogger?)options.LoggerFactory?.CreateLogger("Alignment.Storage.PostgreSql." + store) ?? NullLogger.Instance;
        int max = options.MaxRetries;
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
            OnRetry = args =>
            {
                StoreLog.Retrying(logger, store, Describe(args.Outcome.Exception), args.AttemptNumber + 1, max, (long)args.RetryDelay.TotalMilliseconds);
                OnRetry?.Invoke(args.Outcome.Exception);
                return default;
            },
        }).Build();
    }

    /// <summary>Test seam: told of every retry, with the failure that caused it.</summary>
    internal Action<Exception?>? OnRetry { get; set; }

    /// <summary>Test seam: runs after each write's commit succeeded (<see cref="StoreWrite.Committed"/>); throwing from it simulates a commit whose reply was lost.</summary>
    internal Action? AfterCommit { get; set; }

    /// <summary>A failure as the log may show it: the SQLSTATE, or the exception types; never the message, which can quote row values.</summary>
    internal static string Describe(Exception? exception) => exception switch
    {
        PostgresException pg => "SQLSTATE " + pg.SqlState,
        NpgsqlException { InnerException: { } inner } => $"{nameof(NpgsqlException)} ({inner.GetType().Name})",
        null => "no exception",
        _ => exception.GetType().Name,
    };

    /// <summary>
    /// Whether a failure is worth another attempt: transient by Npgsql's judgement, except the host's own time limits. Those are
    /// the server's lock and statement timeouts (<c>55P03</c>, <c>57014</c>) and the client's timeouts (Npgsql reports a command
    /// or connection that ran past the connection string's <c>Command Timeout</c> or <c>Timeout</c> as a transient
    /// <see cref="NpgsqlException"/> caused by a <see cref="TimeoutException"/>): repeating a call that ran out of time would make
    /// a stalled call last up to (<see cref="PostgreSqlStoreOptions.MaxRetries"/> + 1) times the limit the host chose.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <returns><see langword="true"/> to retry.</returns>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState is "40001" or "40P01" || (pg.IsTransient && pg.SqlState is not ("55P03" or "57014")),
        NpgsqlException npgsql => npgsql.IsTransient && !CausedByTimeout(npgsql),
        _ => false,
    };

    /// <summary>
    /// Whether a failure is one of the host's time limits: the server's lock or statement timeout (<c>55P03</c>, <c>57014</c>),
    /// or the connection string's <c>Command Timeout</c> or <c>Timeout</c> (an <see cref="NpgsqlException"/> caused by a
    /// <see cref="TimeoutException"/>).
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <returns><see langword="true"/> for a time limit.</returns>
    public static bool IsTimeout(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState is "55P03" or "57014",
        NpgsqlException npgsql => CausedByTimeout(npgsql),
        _ => false,
    };

    private static bool CausedByTimeout(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Runs one store call, again after each transient failure, until it succeeds or the retries are spent.</summary>
    /// <typeparam name="T">The call's result.</typeparam>
    /// <param name="call">The call; it receives the token to use.</param>
    /// <param name="cancellationToken">Cancels the call and the waits between attempts.</param>
    /// <returns>The call's result.</returns>
    public ValueTask<T> RunAsync<T>(Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(static (call, ct) => call(ct), call, cancellationToken);

    /// <summary>
    /// Runs one store write like <see cref="RunAsync{T}"/>, and tells each attempt, through the <see cref="StoreWrite"/> they
    /// share, whether an earlier one may have committed although its reply was lost, so that it can recognise its own write.
    /// </summary>
    /// <typeparam name="T">The write's result.</typeparam>
    /// <param name="call">The attempt; it receives the write's state and the token to use.</param>
    /// <param name="cancellationToken">Cancels the call and the waits between attempts.</param>
    /// <returns>The write's result.</returns>
    public ValueTask<T> RunWriteAsync<T>(Func<StoreWrite, CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(static (state, ct) => state.Write.RunAttemptAsync(state.Call, ct), (Write: new StoreWrite(this), Call: call), cancellationToken);
}
