using Alignment.Leads;
using Alignment.Nurture;
using Alignment.Policies.Nurture;
using BenchmarkDotNet.Attributes;

namespace Alignment.Benchmarks.Policies;

/// <summary>
/// "What is due now" over 10,000 to 1,000,000 enrolled leads with the same 100 steps due: the in-memory nurture store keeps
/// due times in a sorted index, so the query costs O(log n + k) and should barely move as enrolments grow a hundredfold.
/// <see cref="ScanAll_Baseline"/> is the linear scan the index replaces (it grows with n). <see cref="HandWrittenIndex"/> is the
/// query written by hand over a sorted array of the same enrolments: it does not grow with n either, and it is the same-size
/// baseline of the time guard (a uniformly slower store keeps PeekDue(1M) / PeekDue(10k) flat, not the ratio to this).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
[IterationCount(15)]
public class NurtureDueBenchmark
{
    private const int Due = 100;
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private InMemoryNurtureStore _store = null!;
    private (long DueTicks, int Lead)[] _flat = null!;
    private long[] _sortedDue = null!;
    private NurtureEnrolmentRecord[] _sortedRecords = null!;

    /// <summary>Enrolled leads.</summary>
    [Params(10_000, 1_000_000)] // 100,000 dropped on 6 December to keep the CI under 45 minutes: the two ends show the growth (or its absence)
    public int Enrolments { get; set; }

    /// <summary>Enrols the leads: 100 due in the last hour, the rest due over the next year.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var rnd = new Random(42);
        _store = new InMemoryNurtureStore();
        _flat = new (long, int)[Enrolments];
        var records = new NurtureEnrolmentRecord[Enrolments];
        for (var i = 0; i < Enrolments; i++)
        {
            var due = i < Due ? Now.AddSeconds(-rnd.Next(1, 3600)) : Now.AddMinutes(rnd.Next(1, 525_600));
            var record = new NurtureEnrolmentRecord
            {
                LeadId = new LeadId($"L{i:0000000}"),
                Sequence = 1,
                TrackId = "default",
                Reason = NurtureEntryReason.NeverEngaged,
                EnrolledAt = Now.AddDays(-30),
                PolicyVersion = "1",
                NextDueAt = due,
            };
            if (!_store.TryInsertAsync(record).AsTask().GetAwaiter().GetResult())
            {
                throw new InvalidOperationException($"Could not enrol lead {i}.");
            }

            _flat[i] = (due.UtcTicks, i);
            records[i] = record;
        }

        var order = _flat.ToArray();
        Array.Sort(order);
        _sortedDue = [.. order.Select(o => o.DueTicks)];
        _sortedRecords = [.. order.Select(o => records[o.Lead])];
    }

    /// <summary>The read-only query: the 100 enrolments due now.</summary>
    /// <returns>How many are due.</returns>
    [Benchmark]
    public int PeekDue() => _store.PeekDueAsync(Now, 1000).AsTask().GetAwaiter().GetResult().Count;

    /// <summary>What the scheduler does: claim the 100 due enrolments under a lease, then put each back as due (so every iteration finds the same 100).</summary>
    /// <returns>How many were claimed.</returns>
    [Benchmark]
    public int ClaimDue_ThenReschedule()
    {
        var claimed = _store.ClaimDueAsync(Now, 1000, "bench", Now.AddMinutes(5)).AsTask().GetAwaiter().GetResult();
        foreach (var record in claimed)
        {
            _store.TryUpdateAsync(record with { LeaseOwner = null, LeaseUntil = null }, record.Version).AsTask().GetAwaiter().GetResult();
        }

        return claimed.Count;
    }

    /// <summary>The linear scan the due-time index replaces: look at every enrolment.</summary>
    /// <returns>How many are due.</returns>
    [Benchmark(Baseline = true)]
    public int ScanAll_Baseline()
    {
        var now = Now.UtcTicks;
        var count = 0;
        foreach (var (due, _) in _flat)
        {
            if (due <= now)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The same query by hand: walk a sorted array of due times from the start and copy the due items into a list.</summary>
    /// <returns>How many are due.</returns>
    [Benchmark]
    public int HandWrittenIndex()
    {
        long now = Now.UtcTicks;
        var due = _sortedDue;
        var result = new List<NurtureDueItem>(64);
        for (int i = 0; i < due.Length && due[i] <= now && result.Count < 1000; i++)
        {
            var r = _sortedRecords[i];
            result.Add(new NurtureDueItem(r.LeadId, r.EnrolmentId, r.TrackId, r.NextStep, r.NextDueAt!.Value));
        }

        return result.Count;
    }
}
