using System.Globalization;
using Alignment.Leads;
using Alignment.Nurture;

namespace Alignment.Testing;

/// <summary>The kit's checks of nurture step plugins.</summary>
public static partial class RuleKit
{
    private static readonly string[] Topics = ["pricing", "case-study", null!];

    /// <summary>
    /// Checks a nurture step plugin over generated steps (one per generated lead and per lead of <see cref="RuleKitOptions.Leads"/>),
    /// as the engine delivers them, at least once:
    /// <list type="bullet">
    /// <item>every step is carried out without a throw (<see cref="RulePromise.CarriesOutTheStep"/>; a throw makes the engine try the step again);</item>
    /// <item>a step delivered twice at the same moment, and again after it completed, is carried out once and the repeats are dropped without a throw (<see cref="RulePromise.OncePerStep"/>);</item>
    /// <item>8 threads carrying out different steps at once do not fail (<see cref="RulePromise.ThreadSafe"/>);</item>
    /// <item>an already cancelled token ends the call, with a normal return or an <see cref="OperationCanceledException"/>, within <see cref="RuleKitOptions.StepTimeout"/> (<see cref="RulePromise.HonoursCancellation"/>; a token cancelled while the call awaits is not probed); every call, blocking or not, must end within that time.</item>
    /// </list>
    /// When <see cref="RuleKitOptions.StepEffects"/> is set (how many times a step's effect exists where the plugin puts it, for
    /// example meetings booked with its key), each step must have taken effect exactly once after all of that. Of the other options,
    /// <see cref="RuleKitOptions.Schema"/>, <see cref="RuleKitOptions.Leads"/>, <see cref="RuleKitOptions.GeneratedLeads"/>,
    /// <see cref="RuleKitOptions.Seed"/> and <see cref="RuleKitOptions.AsOf"/> apply.
    /// </summary>
    /// <param name="action">The plugin.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <returns>How many steps were checked.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ArgumentException">The plugin has no name, or an option is out of range (<see cref="RuleKitOptions.StepTimeout"/> must be positive and at most <see cref="int.MaxValue"/> milliseconds).</exception>
    /// <exception cref="InvalidOperationException"><see cref="RuleKitOptions.StepEffects"/> threw.</exception>
    /// <exception cref="RulePromiseException">The plugin broke a promise; names the promise and the lead of the step.</exception>
    public static int CheckNurtureStepAction(INurtureStepAction action, RuleKitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        options ??= new RuleKitOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.StepTimeout, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.StepTimeout, TimeSpan.FromMilliseconds(int.MaxValue), nameof(options));
        if (string.IsNullOrWhiteSpace(action.Name))
        {
            throw new ArgumentException("The nurture step plugin has no name: a policy step refers to it by name.", nameof(action));
        }

        string subject = $"nurture step plugin '{action.Name}'";
        var leads = Leads(options);
        var random = new Random(options.Seed);
        var steps = new NurtureActionRequest[leads.Length];
        for (int i = 0; i < leads.Length; i++)
        {
            string track = random.Next(2) == 0 ? "welcome" : "recycled";
            string step = "step-" + random.Next(1, 5).ToString(CultureInfo.InvariantCulture);
            string? topic = Topics[random.Next(Topics.Length)];
            steps[i] = new NurtureActionRequest(
                $"{leads[i].Id}:{track}:{step}:{i.ToString(CultureInfo.InvariantCulture)}",
                leads[i],
                track,
                step,
                topic,
                topic is null ? null : topic + "-" + random.Next(3).ToString(CultureInfo.InvariantCulture),
                random.Next(4) == 0 ? "webinar-2026" : null,
                options.AsOf.AddMinutes(i),
                $"kit step {step} of track '{track}'");
        }

        // Half the steps one after another, each delivered twice; the other half on 8 threads at once.
        int half = steps.Length / 2;
        for (int i = 0; i < half; i++)
        {
            Run(action, steps[i], subject, RulePromise.CarriesOutTheStep, options.StepTimeout, CancellationToken.None);
            Run(action, steps[i], subject, RulePromise.OncePerStep, options.StepTimeout, CancellationToken.None);
        }

        // The other half on 8 threads, each step delivered twice at the same moment (a retry racing its first delivery), then
        // once more after both completed. Every thread the kit waits on is its own, not the thread pool's: blocked pool threads
        // on a busy 2-core machine starve the plugin's calls, which then time out through no fault of the plugin.
        var failures = new System.Collections.Concurrent.ConcurrentQueue<RulePromiseException>();
        OnThreads(half, steps.Length, failures, i =>
        {
            using var start = new ManualResetEventSlim();
            RulePromiseException? repeatBroken = null;
            var repeat = new Thread(() =>
            {
                start.Wait();
                try
                {
                    Run(action, steps[i], subject, RulePromise.ThreadSafe, options.StepTimeout, CancellationToken.None);
                }
                catch (RulePromiseException ex)
                {
                    repeatBroken = ex;
                }
            }) { IsBackground = true, Name = "RuleKit repeat" };
            repeat.Start();
            start.Set();
            try
            {
                Run(action, steps[i], subject, RulePromise.ThreadSafe, options.StepTimeout, CancellationToken.None);
            }
            finally
            {
                repeat.Join();
            }

            if (repeatBroken is not null)
            {
                throw repeatBroken;
            }
        });
        ThrowFirst(failures);

        OnThreads(half, steps.Length, failures, i => Run(action, steps[i], subject, RulePromise.OncePerStep, options.StepTimeout, CancellationToken.None));
        ThrowFirst(failures);

        if (options.StepEffects is { } effects)
        {
            foreach (var step in steps)
            {
                int count;
                try
                {
                    count = effects(step);
                }
#pragma warning disable CA1031 // The test's own counting failed: reported with the step, not as a broken promise.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    throw new InvalidOperationException($"RuleKitOptions.StepEffects threw for step '{step.IdempotencyKey}': {ex.Message}", ex);
                }

                if (count != 1)
                {
                    throw new RulePromiseException(count == 0 ? RulePromise.CarriesOutTheStep : RulePromise.OncePerStep, subject, step.Lead.Id,
                        $"step '{step.IdempotencyKey}' took effect {count.ToString(CultureInfo.InvariantCulture)} times after being delivered more than once; expected once");
                }
            }
        }

        // A step whose token is already cancelled: a prompt return or OperationCanceledException, nothing else.
        if (steps.Length > 0)
        {
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            var probe = steps[0] with { IdempotencyKey = steps[0].IdempotencyKey + ":cancelled" };
            Run(action, probe, subject, RulePromise.HonoursCancellation, options.StepTimeout, cancelled.Token);
        }

        return steps.Length;
    }

    private static void Run(INurtureStepAction action, NurtureActionRequest step, string subject, RulePromise promise, TimeSpan timeout, CancellationToken token)
    {
        // On a thread of its own (not the pool's, which may be busy), so that a plugin that blocks before its first await is
        // bounded by the timeout too.
        var task = Task.Factory.StartNew(() => action.ExecuteAsync(step, token).AsTask(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

        bool finished;
        try
        {
            finished = task.Wait(timeout, CancellationToken.None);
        }
        catch (AggregateException ex) when (ex.InnerException is OperationCanceledException && token.IsCancellationRequested)
        {
            return;
        }
        catch (AggregateException ex)
        {
            var inner = ex.InnerException ?? ex;
            throw new RulePromiseException(promise, subject, step.Lead.Id, $"step '{step.IdempotencyKey}' threw {inner.GetType().Name}: {inner.Message}", inner);
        }

        if (!finished)
        {
            throw new RulePromiseException(token.IsCancellationRequested ? RulePromise.HonoursCancellation : promise, subject, step.Lead.Id,
                $"step '{step.IdempotencyKey}' did not finish within {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s{(token.IsCancellationRequested ? " of its token being cancelled" : string.Empty)}");
        }
    }

    /// <summary>Runs <paramref name="body"/> for every index in [from, to) on 8 threads of the kit's own; the first broken promise stops the rest.</summary>
    private static void OnThreads(int from, int to, System.Collections.Concurrent.ConcurrentQueue<RulePromiseException> failures, Action<int> body)
    {
        int next = from - 1;
        var threads = new Thread[Math.Min(8, Math.Max(0, to - from))];
        for (int t = 0; t < threads.Length; t++)
        {
            threads[t] = new Thread(() =>
            {
                int i;
                while (failures.IsEmpty && (i = Interlocked.Increment(ref next)) < to)
                {
                    try
                    {
                        body(i);
                    }
                    catch (RulePromiseException ex)
                    {
                        failures.Enqueue(ex);
                    }
                }
            }) { IsBackground = true, Name = "RuleKit worker" };
            threads[t].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }
    }

    private static void ThrowFirst(System.Collections.Concurrent.ConcurrentQueue<RulePromiseException> failures)
    {
        if (!failures.IsEmpty)
        {
            throw failures.OrderBy(f => f.LeadId.Value, StringComparer.Ordinal).First();
        }
    }
}
