using Alignment.Leads;
using Alignment.Nurture;
using Alignment.Policies.Nurture;

namespace Alignment.Policies.Tests.Nurture;

public sealed class InMemoryNurtureStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static NurtureEnrolmentRecord Record(string lead, int sequence = 1, DateTimeOffset? due = null) => new()
    {
        LeadId = new LeadId(lead),
        Sequence = sequence,
        TrackId = "t",
        Reason = NurtureEntryReason.NeverEngaged,
        EnrolledAt = T0,
        PolicyVersion = "1",
        NextDueAt = due ?? T0,
    };

    [Fact]
    public async Task TryInsertAsync_LeadAlreadyOnTrack_IsRefused()
    {
        var store = new InMemoryNurtureStore();

        Assert.True(await store.TryInsertAsync(Record("a")));
        Assert.False(await store.TryInsertAsync(Record("a", 2)));
        Assert.Equal(1, (await store.FindLatestAsync(new LeadId("a")))!.Version);
    }

    [Fact]
    public async Task PeekDueAsync_ReturnsOnlyDueItems_EarliestFirst_WithoutClaiming()
    {
        var store = new InMemoryNurtureStore();
        await store.TryInsertAsync(Record("late", due: T0.AddDays(2)));
        await store.TryInsertAsync(Record("b", due: T0.AddHours(2)));
        await store.TryInsertAsync(Record("a", due: T0.AddHours(1)));

        var due = await store.PeekDueAsync(T0.AddDays(1), 10);
        var again = await store.PeekDueAsync(T0.AddDays(1), 10);

        Assert.Equal(["a", "b"], due.Select(d => d.LeadId.Value));
        Assert.Equal(due, again);
    }

    [Fact]
    public async Task ClaimDueAsync_TwoCallersAtOnce_NeverGetTheSameEnrolment()
    {
        var store = new InMemoryNurtureStore();
        for (var i = 0; i < 200; i++)
        {
            await store.TryInsertAsync(Record($"l{i}", due: T0.AddMinutes(i)));
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () => await store.ClaimDueAsync(T0.AddDays(1), 40, $"i{i}", T0.AddDays(2)))));

        var all = claims.SelectMany(c => c).Select(r => r.LeadId).ToList();
        Assert.Equal(200, all.Count);
        Assert.Equal(200, all.Distinct().Count());
        Assert.Empty(await store.ClaimDueAsync(T0.AddDays(1), 40, "late", T0.AddDays(2)));
    }

    [Fact]
    public async Task ClaimDueAsync_LeaseExpired_EnrolmentIsDueAgain()
    {
        var store = new InMemoryNurtureStore();
        await store.TryInsertAsync(Record("a"));
        var first = Assert.Single(await store.ClaimDueAsync(T0, 10, "dead", T0.AddMinutes(5)));

        Assert.Empty(await store.ClaimDueAsync(T0.AddMinutes(4), 10, "other", T0.AddMinutes(10)));
        var second = Assert.Single(await store.ClaimDueAsync(T0.AddMinutes(5), 10, "other", T0.AddMinutes(10)));

        Assert.Equal(2, first.Version);
        Assert.Equal(3, second.Version);
        Assert.Equal("other", second.LeaseOwner);
        Assert.False(await store.TryUpdateAsync(first with { LeaseOwner = null }, first.Version));
    }

    [Fact]
    public async Task TryUpdateAsync_WithSuccessor_EndsAndInsertsAtomically()
    {
        var store = new InMemoryNurtureStore();
        await store.TryInsertAsync(Record("a"));
        var current = (await store.FindLatestAsync(new LeadId("a")))!;

        Assert.Throws<ArgumentException>(() => store.TryUpdateAsync(current, current.Version, Record("a", 2)).AsTask().GetAwaiter().GetResult());
        var ended = current with { Status = NurtureEnrolmentStatus.Ended, NextDueAt = null };
        Assert.True(await store.TryUpdateAsync(ended, current.Version, Record("a", 2, T0.AddDays(1))));

        var latest = (await store.FindLatestAsync(new LeadId("a")))!;
        Assert.Equal(2, latest.Sequence);
        Assert.Equal("a:2", latest.EnrolmentId);
        Assert.Equal(["a"], (await store.PeekDueAsync(T0.AddDays(1), 10)).Select(d => d.LeadId.Value));
    }

    [Fact]
    public async Task TryRecordSentAsync_SameStepTwice_RecordsOnce()
    {
        var store = new InMemoryNurtureStore();
        var sent = new NurtureSentStep("a:1", new LeadId("a"), "t", 0, "s", NurtureStepKind.Email, "c", T0, "why");

        Assert.True(await store.TryRecordSentAsync(sent));
        Assert.False(await store.TryRecordSentAsync(sent with { SentAt = T0.AddMinutes(1) }));
        Assert.True(await store.WasSentAsync("a:1", 0));
        Assert.False(await store.WasSentAsync("a:1", 1));
        Assert.Single(await store.ListSentAsync(new LeadId("a")));
    }

    [Fact]
    public async Task ContactStoppedEnrolment_IsNeverDue_ButStaysOnRecord()
    {
        var store = new InMemoryNurtureStore();
        await store.TryInsertAsync(Record("a"));
        var current = (await store.FindLatestAsync(new LeadId("a")))!;
        await store.TryUpdateAsync(current with { Status = NurtureEnrolmentStatus.ContactStopped, NextDueAt = null }, current.Version);

        Assert.Empty(await store.PeekDueAsync(T0.AddYears(1), 10));
        var listed = new List<NurtureEnrolmentRecord>();
        await foreach (var r in store.ListLatestAsync())
        {
            listed.Add(r);
        }

        Assert.True(Assert.Single(listed).IsOnTrack);
    }
}
