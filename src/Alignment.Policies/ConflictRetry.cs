using System.Diagnostics;
using System.Globalization;

namespace Alignment.Policies;

/// <summary>
/// The optimistic-concurrency loop every engine runs when a store answers "another writer got there first" (a stale version or
/// epoch): the first retry at once, then after exponentially growing pauses with full jitter (1 ms doubling to at most 100 ms),
/// for at most <see cref="MaxAttempts"/> attempts or <see cref="TimeBudget"/>, whichever ends first. The pauses are real time,
/// not the engine's clock: they spread writers that collide, whatever business time the host runs on.
/// </summary>
/// <example>
/// <code>
/// long started = Stopwatch.GetTimestamp();
/// int attempt = 0;
/// for (; await ConflictRetry.BeforeAttemptAsync(attempt, started, ct); attempt++) { /* read, change, try to save */ }
/// throw new InvalidOperationException($"… after {ConflictRetry.Describe(attempt, started)} (concurrent writers).");
/// </code>
/// </example>
internal static class ConflictRetry
{
    /// <summary>The most attempts.</summary>
    internal const int MaxAttempts = 32;

    /// <summary>The longest pause between two attempts.</summary>
    private static readonly TimeSpan MaxPause = TimeSpan.FromMilliseconds(100);

    /// <summary>The most time spent retrying one change.</summary>
    internal static readonly TimeSpan TimeBudget = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether attempt number <paramref name="attempt"/> (from 0) may run, after the pause it needs: the first two run at once, no
    /// allocation; later ones wait. <see langword="false"/> once the attempts or the time budget are spent.
    /// </summary>
    /// <param name="attempt">The attempt about to run, from 0.</param>
    /// <param name="started">When the first attempt started (<see cref="Stopwatch.GetTimestamp"/>).</param>
    /// <param name="cancellationToken">Cancels the pause.</param>
    /// <returns><see langword="true"/> to run the attempt.</returns>
    public static ValueTask<bool> BeforeAttemptAsync(int attempt, long started, CancellationToken cancellationToken)
    {
        if (attempt < 2)
        {
            return ValueTask.FromResult(true);
        }

        if (attempt >= MaxAttempts || Stopwatch.GetElapsedTime(started) >= TimeBudget)
        {
            return ValueTask.FromResult(false);
        }

        return PauseAsync(attempt, cancellationToken);
    }

    /// <summary>How many attempts in how long, for the message when they are spent: <c>32 attempts in 1.4 s</c>.</summary>
    /// <param name="attempts">The attempts made.</param>
    /// <param name="started">When the first started.</param>
    /// <returns>The text.</returns>
    public static string Describe(int attempts, long started) =>
        string.Create(CultureInfo.InvariantCulture, $"{attempts} attempts in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");

    private static async ValueTask<bool> PauseAsync(int attempt, CancellationToken cancellationToken)
    {
        double ceiling = Math.Min(MaxPause.TotalMilliseconds, Math.Pow(2, attempt - 2));
        await Task.Delay(TimeSpan.FromMilliseconds(ceiling * Random.Shared.NextDouble()), cancellationToken).ConfigureAwait(false);
        return true;
    }
}
