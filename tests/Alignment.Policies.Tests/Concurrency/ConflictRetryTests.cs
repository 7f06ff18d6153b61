using System.Diagnostics;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Policies.Lifecycle;
using Alignment.Decisions;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Policies.Tests.Concurrency;

public sealed class ConflictRetryTests
{
    [Fact]
    public async Task The_first_retry_runs_at_once_later_ones_pause_and_the_budget_ends_the_loop()
    {
        long started = Stopwatch.GetTimestamp();
        var first = ConflictRetry.BeforeAttemptAsync(0, started, default);
        Assert.True(first.IsCompletedSuccessfully && await first);
        var second = ConflictRetry.BeforeAttemptAsync(1, started, default);
        Assert.True(second.IsCompletedSuccessfully && await second);
        Assert.True(await ConflictRetry.BeforeAttemptAsync(5, started, default));
        Assert.False(await ConflictRetry.BeforeAttemptAsync(ConflictRetry.MaxAttempts, started, default));

        long longAgo = started - (long)(Stopwatch.Frequency * (ConflictRetry.TimeBudget.TotalSeconds + 1));
        Assert.False(await ConflictRetry.BeforeAttemptAsync(3, longAgo, default));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await ConflictRetry.BeforeAttemptAsync(30, started, new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task A_store_that_always_loses_the_race_ends_in_an_error_naming_the_lead_and_the_attempts()
    {
        var store = new AlwaysStale();
        var recorder = new LifecycleRecorder(store, new InMemoryDecisionSink(), new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)));

        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await recorder.TransitionAsync(new LeadId("lead-7"), LifecycleStage.MarketingQualified, LifecycleActor.System, "score 70"));

        Assert.Contains("lead-7", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{ConflictRetry.MaxAttempts} attempts in", e.Message, StringComparison.Ordinal);
        Assert.Equal(ConflictRetry.MaxAttempts, store.Conflicts);
    }

    /// <summary>A lifecycle store whose every save finds another writer's version: no save ever applies.</summary>
    private sealed class AlwaysStale : ILifecycleStore
    {
        private readonly InMemoryLifecycleStore _inner = new();

        public int Conflicts { get; private set; }

        public ValueTask<LeadLifecycle?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default) => _inner.FindAsync(leadId, cancellationToken);

        public ValueTask<bool> TrySaveAsync(LeadLifecycle lifecycle, int expectedVersion, CancellationToken cancellationToken = default)
        {
            Conflicts++;
            return ValueTask.FromResult(false);
        }

        public IAsyncEnumerable<LeadLifecycle> ListAsync(CancellationToken cancellationToken = default) => _inner.ListAsync(cancellationToken);
    }
}
