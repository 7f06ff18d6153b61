using System.Collections.Concurrent;
using System.Diagnostics;
using Alignment.Coordination;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;

namespace Alignment.Storage.PostgreSql.Tests.Faults;

/// <summary>
/// The hosts' clock in the fault tests: its time runs <c>factor</c> times faster than real time (a one-minute SLA runs out in a
/// second of a 60x clock), while timers and sleeps stay real (the base <see cref="TimeProvider"/>'s), as do the leases, which
/// PostgreSQL times with its own clock. A worker therefore sleeps, renews and cancels its cycles in real time, as in production.
/// <see cref="Freeze"/> stops it, so the final checks see a quiet state.
/// </summary>
internal sealed class RunningClock(DateTimeOffset start, double factor) : TimeProvider
{
    private readonly long _origin = Stopwatch.GetTimestamp();
    private long _frozenTicks;

    public override DateTimeOffset GetUtcNow()
    {
        long frozen = Interlocked.Read(ref _frozenTicks);
        return frozen != 0 ? new DateTimeOffset(frozen, TimeSpan.Zero) : Running();
    }

    /// <summary>Stops the clock, <paramref name="ahead"/> after the present (for example past the leases of stopped workers).</summary>
    public void Freeze(TimeSpan ahead = default) => Interlocked.CompareExchange(ref _frozenTicks, (Running() + ahead).UtcTicks, 0);

    private DateTimeOffset Running() => start + TimeSpan.FromTicks((long)(Stopwatch.GetElapsedTime(_origin).Ticks * factor));
}

/// <summary>
/// Every lease grant and release the hosts' lease stores returned, so a test can check who held a lease when. Times are the
/// database's (a grant's expiry; its start is the expiry less the duration asked) or, for a release, the local clock read before
/// the call; the server is on this machine, so both are the same clock.
/// </summary>
internal sealed class LeaseLog
{
    public ConcurrentQueue<Grant> Grants { get; } = new();

    public ConcurrentQueue<(string Holder, DateTimeOffset Before)> Releases { get; } = new();

    /// <summary>The holds, one per term in term order: who, from when, until when (the last expiry, or the release).</summary>
    public IReadOnlyList<Hold> Holds()
    {
        var holds = new List<Hold>();
        foreach (var term in Grants.GroupBy(g => g.Term).OrderBy(t => t.Key))
        {
            var holders = term.Select(g => g.Holder).Distinct(StringComparer.Ordinal).ToList();
            Assert.True(holders.Count == 1, $"term {term.Key} was granted to {string.Join(" and ", holders)}");
            var start = term.Min(g => g.AcquiredAt);
            var end = term.Max(g => g.ExpiresAt);
            foreach (var (holder, before) in Releases)
            {
                if (holder == holders[0] && before >= start && before < end)
                {
                    end = before;
                }
            }

            holds.Add(new Hold(holders[0], term.Key, start, end));
        }

        return holds;
    }

    /// <summary>Fails when two terms' holds overlap: two instances held the lease at once.</summary>
    public void AssertNoOverlap()
    {
        var holds = Holds();
        for (int i = 1; i < holds.Count; i++)
        {
            var (before, after) = (holds[i - 1], holds[i]);
            Assert.True(
                after.Start >= before.End,
                $"{after.Holder} took the lease (term {after.Term}) at {after.Start:HH:mm:ss.fff}, {(before.End - after.Start).TotalMilliseconds:0} ms before {before.Holder}'s term {before.Term} ended at {before.End:HH:mm:ss.fff}");
        }
    }

    internal readonly record struct Grant(string Holder, long Term, DateTimeOffset AcquiredAt, DateTimeOffset ExpiresAt);

    internal readonly record struct Hold(string Holder, long Term, DateTimeOffset Start, DateTimeOffset End);
}

/// <summary>A host's lease store that tells the <see cref="LeaseLog"/> what it granted and released.</summary>
internal sealed class RecordingLeaseStore(ILeaseStore inner, LeaseLog log) : ILeaseStore
{
    public async ValueTask<LeaseGrant?> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var grant = await inner.TryAcquireAsync(name, holder, duration, cancellationToken);
        if (grant is { } g)
        {
            log.Grants.Enqueue(new LeaseLog.Grant(g.Holder, g.Term, g.ExpiresAt - duration, g.ExpiresAt));
        }

        return grant;
    }

    public async ValueTask<bool> ReleaseAsync(string name, string holder, CancellationToken cancellationToken = default)
    {
        var before = DateTimeOffset.UtcNow;
        bool released = await inner.ReleaseAsync(name, holder, cancellationToken);
        if (released)
        {
            log.Releases.Enqueue((holder, before));
        }

        return released;
    }
}

/// <summary>
/// A host's routing store that notes when each call it answered started and ended (local clock), so a test can check that the
/// host's SLA worker touched the state only while it held the lease. Calls that failed are not noted: they changed nothing.
/// </summary>
internal sealed class WatchedRoutingStore(IRoutingStateStore inner, string host, ConcurrentQueue<(string Host, string Call, DateTimeOffset Start, DateTimeOffset End)> calls) : IRoutingStateStore
{
    public bool RecordsDecisions => inner.RecordsDecisions;

    public ValueTask<HandoffAssignment?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default) =>
        TimedAsync(nameof(FindAsync), () => inner.FindAsync(leadId, cancellationToken));

    public ValueTask<HandoffAssignment> DecideAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default) =>
        TimedAsync(nameof(DecideAsync), () => inner.DecideAsync(policy, leadId, expectedEpoch, decide, cancellationToken));

    public ValueTask<HandoffAssignment?> UpdateAsync(LeadId leadId, int expectedEpoch, Func<HandoffAssignment, HandoffAssignment> update, Func<HandoffAssignment, HandoffAssignment, AlignmentDecision?>? decision = null, CancellationToken cancellationToken = default) =>
        TimedAsync(nameof(UpdateAsync), () => inner.UpdateAsync(leadId, expectedEpoch, update, decision, cancellationToken));

    public ValueTask<IReadOnlyList<HandoffAssignment>> ListAwaitingFirstTouchAsync(CancellationToken cancellationToken = default) =>
        TimedAsync(nameof(ListAwaitingFirstTouchAsync), () => inner.ListAwaitingFirstTouchAsync(cancellationToken));

    public ValueTask<IReadOnlyList<HandoffAssignment>> ListOpenAsync(RepId rep, CancellationToken cancellationToken = default) =>
        TimedAsync(nameof(ListOpenAsync), () => inner.ListOpenAsync(rep, cancellationToken));

    public ValueTask<RepLoad> GetRepLoadAsync(RepId rep, CancellationToken cancellationToken = default) =>
        TimedAsync(nameof(GetRepLoadAsync), () => inner.GetRepLoadAsync(rep, cancellationToken));

    private async ValueTask<T> TimedAsync<T>(string call, Func<ValueTask<T>> run)
    {
        var start = DateTimeOffset.UtcNow;
        var result = await run();
        calls.Enqueue((host, call, start, DateTimeOffset.UtcNow));
        return result;
    }
}

/// <summary>A decision sink for hosts whose decisions go through the outbox (or are not under test): keeps a count only.</summary>
internal sealed class CountingSink : IDecisionSink
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public ValueTask PublishAsync(AlignmentDecision decision, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        return ValueTask.CompletedTask;
    }
}

internal static class Until
{
    /// <summary>
    /// Polls <paramref name="done"/> every 20 ms; fails the test when it does not hold within <paramref name="timeout"/>, with
    /// what <paramref name="state"/> says. Returns how long it took.
    /// </summary>
    public static async Task<TimeSpan> HoldsAsync(Func<Task<bool>> done, TimeSpan timeout, string what, Func<string>? state = null)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (await done())
            {
                return watch.Elapsed;
            }

            await Task.Delay(20);
        }

        throw new Xunit.Sdk.XunitException($"{what}: not so after {timeout.TotalSeconds:0.#} s{(state is null ? string.Empty : ": " + state())}");
    }

    public static Task<TimeSpan> HoldsAsync(Func<bool> done, TimeSpan timeout, string what) => HoldsAsync(() => Task.FromResult(done()), timeout, what);
}

/// <summary>Keeps the hosts' warnings and errors (category, event id, exception type and message), for a failure's report.</summary>
internal sealed class ProblemLog : Microsoft.Extensions.Logging.ILoggerProvider
{
    public ConcurrentQueue<string> Entries { get; } = new();

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public string Summary(int top = 8) => string.Join(
        " | ",
        Entries.GroupBy(e => e, StringComparer.Ordinal).OrderByDescending(g => g.Count()).Take(top).Select(g => $"{g.Count()}x {g.Key}"));

    public void Dispose()
    {
    }

    private sealed class Logger(ProblemLog owner, string category) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => logLevel >= Microsoft.Extensions.Logging.LogLevel.Warning;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                string error = exception is null ? string.Empty : $" [{exception.GetType().Name}: {exception.Message}]";
                owner.Entries.Enqueue($"{category} {eventId.Id}{error}");
            }
        }
    }
}
