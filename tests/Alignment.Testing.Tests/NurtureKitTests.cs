using System.Collections.Concurrent;
using Alignment.Cli.TestPlugin;
using Alignment.Nurture;

namespace Alignment.Testing.Tests;

/// <summary>The kit's checks of nurture step plugins: the sample passes, broken ones are caught naming the promise and the lead.</summary>
public sealed class NurtureKitTests
{
    [Fact]
    public void SampleAction_KeepsEveryPromise_AndEachStepTakesEffectOnce()
    {
        var action = new BookMeetingAction();
        var options = new RuleKitOptions { StepEffects = step => action.Meetings.GetValueOrDefault(step.IdempotencyKey) };

        Assert.Equal(200, RuleKit.CheckNurtureStepAction(action, options));
        Assert.Equal(200, action.Booked.Count);
        Assert.All(action.Booked, b => Assert.Equal(b.Key, b.Value.IdempotencyKey));
    }

    [Fact]
    public void ActionThatThrows_IsCaught_NamingTheLead()
    {
        var ex = Assert.Throws<RulePromiseException>(() => RuleKit.CheckNurtureStepAction(new Throwing()));

        Assert.Equal((RulePromise.CarriesOutTheStep, "kit-0"), (ex.Promise, ex.LeadId.Value));
        Assert.StartsWith("Promise 'CarriesOutTheStep' broken by nurture step plugin 'throwing' for lead 'kit-0': step 'kit-0:", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("threw InvalidOperationException: calendar is down", ex.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
    }

    [Fact]
    public void ActionThatRefusesARepeat_IsCaught()
    {
        var ex = Assert.Throws<RulePromiseException>(() => RuleKit.CheckNurtureStepAction(new RefusesRepeats()));

        Assert.Equal((RulePromise.OncePerStep, "kit-0"), (ex.Promise, ex.LeadId.Value));
        Assert.Contains("threw InvalidOperationException: already booked", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ActionThatBooksARepeatTwice_IsCaughtThroughItsEffects()
    {
        var action = new BooksEveryDelivery();
        var ex = Assert.Throws<RulePromiseException>(() => RuleKit.CheckNurtureStepAction(action, new RuleKitOptions { StepEffects = step => action.Count(step.IdempotencyKey) }));

        Assert.Equal(RulePromise.OncePerStep, ex.Promise);
        Assert.EndsWith("took effect 2 times after being delivered more than once; expected once", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ActionThatLosesSteps_IsCaughtThroughItsEffects()
    {
        var action = new BookMeetingAction();
        var ex = Assert.Throws<RulePromiseException>(() => RuleKit.CheckNurtureStepAction(action, new RuleKitOptions
        {
            StepEffects = step => step.Lead.Id.Value == "kit-7" ? 0 : 1,
        }));

        Assert.Equal((RulePromise.CarriesOutTheStep, "kit-7"), (ex.Promise, ex.LeadId.Value));
    }

    [Fact]
    public void ActionThatIsNotThreadSafe_IsCaught()
    {
        var ex = Assert.Throws<RulePromiseException>(() => RuleKit.CheckNurtureStepAction(new NotThreadSafe()));

        Assert.Equal(RulePromise.ThreadSafe, ex.Promise);
        Assert.Contains("threw InvalidOperationException: two calls at once", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ActionThatIgnoresCancellation_IsCaught()
    {
        var ex = Assert.Throws<RulePromiseException>(() => RuleKit.CheckNurtureStepAction(new IgnoresCancellation(), new RuleKitOptions { GeneratedLeads = 4, StepTimeout = TimeSpan.FromMilliseconds(200) }));

        Assert.Equal((RulePromise.HonoursCancellation, "kit-0"), (ex.Promise, ex.LeadId.Value));
        Assert.EndsWith("did not finish within 0.2 s of its token being cancelled", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ActionThatChecksThenBooks_IsCaughtWhenARetryRacesItsFirstDelivery()
    {
        // Looks the key up, books, then records the key: two deliveries of one step at the same moment both book.
        var action = new ChecksThenBooks();
        var ex = Assert.Throws<RulePromiseException>(() => RuleKit.CheckNurtureStepAction(action, new RuleKitOptions { StepEffects = step => action.Count(step.IdempotencyKey) }));

        Assert.Equal(RulePromise.OncePerStep, ex.Promise);
        Assert.EndsWith("took effect 2 times after being delivered more than once; expected once", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ActionThatBlocksItsCaller_IsBoundedByTheTimeout()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var ex = Assert.Throws<RulePromiseException>(() => RuleKit.CheckNurtureStepAction(new BlocksCaller(), new RuleKitOptions { GeneratedLeads = 4, StepTimeout = TimeSpan.FromMilliseconds(200) }));

        Assert.Equal((RulePromise.CarriesOutTheStep, "kit-0"), (ex.Promise, ex.LeadId.Value));
        Assert.Contains("did not finish within 0.2 s", ex.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the kit waited {watch.Elapsed} for a call bounded at 0.2 s");
    }

    [Fact]
    public void StepTimeoutBeyondWhatAWaitTakes_IsRefused()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => RuleKit.CheckNurtureStepAction(new BookMeetingAction(), new RuleKitOptions { StepTimeout = TimeSpan.MaxValue }));

        Assert.Equal("options", ex.ParamName);
    }

    [Fact]
    public void ActionWithoutAName_IsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => RuleKit.CheckNurtureStepAction(new Throwing(" ")));

        Assert.Equal("action", ex.ParamName);
    }

    private sealed class Throwing(string name = "throwing") : INurtureStepAction
    {
        public string Name => name;

        public ValueTask ExecuteAsync(NurtureActionRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("calendar is down");
    }

    private sealed class RefusesRepeats : INurtureStepAction
    {
        private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);

        public string Name => "refuses-repeats";

        public ValueTask ExecuteAsync(NurtureActionRequest request, CancellationToken cancellationToken = default) =>
            _seen.TryAdd(request.IdempotencyKey, 0) ? ValueTask.CompletedTask : throw new InvalidOperationException("already booked");
    }

    private sealed class BooksEveryDelivery : INurtureStepAction
    {
        private readonly ConcurrentDictionary<string, int> _booked = new(StringComparer.Ordinal);

        public string Name => "books-every-delivery";

        public int Count(string key) => _booked.GetValueOrDefault(key);

        public ValueTask ExecuteAsync(NurtureActionRequest request, CancellationToken cancellationToken = default)
        {
            // Drops a repeat it has seen twice, so only the first repeat makes a second booking.
            _booked.AddOrUpdate(request.IdempotencyKey, 1, (_, n) => Math.Min(n + 1, 2));
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ChecksThenBooks : INurtureStepAction
    {
        private readonly ConcurrentDictionary<string, int> _booked = new(StringComparer.Ordinal);

        public string Name => "checks-then-books";

        public int Count(string key) => _booked.GetValueOrDefault(key);

        public async ValueTask ExecuteAsync(NurtureActionRequest request, CancellationToken cancellationToken = default)
        {
            if (_booked.ContainsKey(request.IdempotencyKey))
            {
                return;
            }

            await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
            _booked.AddOrUpdate(request.IdempotencyKey, 1, (_, n) => n + 1);
        }
    }

    private sealed class BlocksCaller : INurtureStepAction
    {
        public string Name => "blocks-caller";

        public ValueTask ExecuteAsync(NurtureActionRequest request, CancellationToken cancellationToken = default)
        {
            Thread.Sleep(TimeSpan.FromSeconds(3));
            return ValueTask.CompletedTask;
        }
    }

    private sealed class NotThreadSafe : INurtureStepAction
    {
        private int _inside;

        public string Name => "not-thread-safe";

        public async ValueTask ExecuteAsync(NurtureActionRequest request, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _inside) > 1)
            {
                Interlocked.Decrement(ref _inside);
                throw new InvalidOperationException("two calls at once");
            }

            await Task.Delay(2, CancellationToken.None).ConfigureAwait(false);
            Interlocked.Decrement(ref _inside);
        }
    }

    private sealed class IgnoresCancellation : INurtureStepAction
    {
        public string Name => "ignores-cancellation";

        public async ValueTask ExecuteAsync(NurtureActionRequest request, CancellationToken cancellationToken = default)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
