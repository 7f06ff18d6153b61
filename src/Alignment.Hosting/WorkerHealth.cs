using System.Collections.Concurrent;

namespace Alignment.Hosting;

/// <summary>The last successful cycle of each running worker, read by the health check. Thread-safe.</summary>
internal sealed class WorkerHealth
{
    private readonly ConcurrentDictionary<string, Entry> _workers = new(StringComparer.Ordinal);

    public void Started(string worker, DateTimeOffset now, TimeSpan staleAfter) =>
        _workers[worker] = new Entry(now, null, 0, staleAfter, Started: true);

    public void Succeeded(string worker, DateTimeOffset now, string? role = null) =>
        _workers.AddOrUpdate(worker, static (_, a) => new Entry(a.now, null, 0, TimeSpan.MaxValue, true, a.role), static (_, e, a) => e with { LastSuccess = a.now, LastError = null, Failures = 0, Role = a.role ?? e.Role }, (now, role));

    public int Failed(string worker, Exception error)
    {
        var e = _workers.AddOrUpdate(worker, static (_, x) => new Entry(null, x.GetType().Name, 1, TimeSpan.MaxValue, true), static (_, e, x) => e with { LastError = x.GetType().Name, Failures = e.Failures + 1 }, error);
        return e.Failures;
    }

    public void Stopped(string worker) => _workers.TryRemove(worker, out _);

    public IReadOnlyDictionary<string, Entry> Snapshot() => new Dictionary<string, Entry>(_workers, StringComparer.Ordinal);

    /// <param name="LastSuccess">The end of the last successful cycle (the start when there was none yet).</param>
    /// <param name="LastError">The exception type of the last failed cycle since then.</param>
    /// <param name="Failures">Failed cycles in a row.</param>
    /// <param name="StaleAfter">How old <paramref name="LastSuccess"/> may be while healthy.</param>
    /// <param name="Started">Always true (a stopped worker has no entry).</param>
    /// <param name="Role">leader or standby, for single-leader workers.</param>
    internal sealed record Entry(DateTimeOffset? LastSuccess, string? LastError, int Failures, TimeSpan StaleAfter, bool Started, string? Role = null);
}
