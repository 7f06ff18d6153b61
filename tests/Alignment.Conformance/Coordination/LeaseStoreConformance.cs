using Alignment.Coordination;

namespace Alignment.Conformance.Coordination;

/// <summary>
/// The <see cref="ILeaseStore"/> contract, written once: one holder at a time, renewal, take-over after expiry with a new term,
/// release, a race of eight instances with one winner, argument checks. Expiry runs on real time (leases of a few hundred
/// milliseconds), because a shared store measures it by its own clock.
/// </summary>
public abstract class LeaseStoreConformance
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    /// <summary>Makes a new, empty store (its own schema, table or instance): no two tests share one.</summary>
    protected abstract Task<ILeaseStore> CreateStoreAsync();

    [Fact]
    public async Task The_first_holder_gets_term_1_and_renewing_keeps_the_term_and_extends_it()
    {
        var store = await CreateStoreAsync();
        var first = await store.TryAcquireAsync("sla", "a", Long);
        Assert.NotNull(first);
        Assert.Equal(("sla", "a", 1L), (first.Value.Name, first.Value.Holder, first.Value.Term));
        Assert.InRange(first.Value.ExpiresAt - DateTimeOffset.UtcNow, Long - TimeSpan.FromMinutes(1), Long + TimeSpan.FromMinutes(1));

        await Task.Delay(20);
        var renewed = await store.TryAcquireAsync("sla", "a", Long);
        Assert.NotNull(renewed);
        Assert.Equal(1L, renewed.Value.Term);
        Assert.True(renewed.Value.ExpiresAt > first.Value.ExpiresAt, $"{renewed.Value.ExpiresAt:O} after {first.Value.ExpiresAt:O}");
    }

    [Fact]
    public async Task Another_holder_is_refused_while_the_lease_lasts_and_leases_are_independent_by_name()
    {
        var store = await CreateStoreAsync();
        Assert.NotNull(await store.TryAcquireAsync("sla", "a", Long));

        Assert.Null(await store.TryAcquireAsync("sla", "b", Long));
        var other = await store.TryAcquireAsync("decay", "b", Long);
        Assert.Equal(1L, other?.Term);
    }

    [Fact]
    public async Task After_expiry_another_holder_takes_over_with_the_next_term_and_the_former_holder_is_refused()
    {
        var store = await CreateStoreAsync();
        Assert.NotNull(await store.TryAcquireAsync("sla", "a", Short));
        Assert.Null(await store.TryAcquireAsync("sla", "b", Long));

        await Task.Delay(Short + TimeSpan.FromMilliseconds(300));
        var taken = await store.TryAcquireAsync("sla", "b", Long);

        Assert.Equal(2L, taken?.Term);
        Assert.Null(await store.TryAcquireAsync("sla", "a", Long));
        Assert.False(await store.ReleaseAsync("sla", "a"));
    }

    [Fact]
    public async Task A_release_lets_another_holder_in_at_once_and_only_the_holder_can_release()
    {
        var store = await CreateStoreAsync();
        Assert.NotNull(await store.TryAcquireAsync("sla", "a", Long));

        Assert.False(await store.ReleaseAsync("sla", "b"));
        Assert.Null(await store.TryAcquireAsync("sla", "b", Long));
        Assert.True(await store.ReleaseAsync("sla", "a"));
        Assert.False(await store.ReleaseAsync("sla", "a"));

        var taken = await store.TryAcquireAsync("sla", "b", Long);
        Assert.Equal(2L, taken?.Term);
        Assert.False(await store.ReleaseAsync("missing", "b"));
    }

    [Fact]
    public async Task Eight_instances_racing_for_a_free_lease_give_it_to_exactly_one()
    {
        var store = await CreateStoreAsync();
        for (int round = 0; round < 5; round++)
        {
            string name = "race" + round;
            using var start = new ManualResetEventSlim();
            var tasks = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            {
                start.Wait();
                return await store.TryAcquireAsync(name, "instance" + i, Long);
            })).ToArray();
            start.Set();
            var grants = await Task.WhenAll(tasks);

            var winners = grants.Where(g => g is not null).ToList();
            Assert.Single(winners);
            Assert.Equal(1L, winners[0]!.Value.Term);
        }
    }

    [Fact]
    public async Task Invalid_arguments_are_refused()
    {
        var store = await CreateStoreAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.TryAcquireAsync(" ", "a", Long));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.TryAcquireAsync("sla", "", Long));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.TryAcquireAsync("sla", "a", TimeSpan.Zero));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.ReleaseAsync("sla", " "));
    }
}
