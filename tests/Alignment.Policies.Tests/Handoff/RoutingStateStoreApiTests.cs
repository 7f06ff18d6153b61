using Alignment.Handoff;
using Alignment.Policies.Handoff;
using static Alignment.Policies.Tests.Handoff.HandoffTestData;

namespace Alignment.Policies.Tests.Handoff;

/// <summary>
/// The name-keyed surface a store backend outside this assembly uses: fill the state with what it holds, let the decision run,
/// write back what changed. These are the only members of <see cref="RoutingState"/> a backend needs.
/// </summary>
public sealed class RoutingStateStoreApiTests
{
    private static readonly DateTimeOffset Now = Monday10Utc;

    private static CompiledRoutingPolicy TwoReps() =>
        Compile([Rep("a", maxOpen: 5), Rep("b", maxOpen: 5)], Rule("rr", RoutingStrategies.RoundRobin, "ae"));

    [Fact]
    public void FreshState_NothingChanged()
    {
        var state = new RoutingState(TwoReps());

        Assert.Equal(["a", "b"], state.Reps.Select(r => r.Value));
        Assert.Single(state.PoolKeys);
        Assert.Empty(state.GetChangedRepLoads());
        Assert.Empty(state.GetChangedPoolRotations());
    }

    [Fact]
    public void Filling_DoesNotMarkChanged_AndUnknownNamesAreRefused()
    {
        var state = new RoutingState(TwoReps());

        Assert.True(state.TrySetRepLoad(new RepId("a"), new RepLoad(3, 0, 0, 7)));
        Assert.False(state.TrySetRepLoad(new RepId("left-the-roster"), new RepLoad(1, 0, 0, 1)));
        Assert.True(state.TrySetPoolRotation(state.PoolKeys[0], new PoolRotation("a", ["a", "b"], [])));
        Assert.False(state.TrySetPoolRotation("no-such-pool", new PoolRotation(null, [], [])));

        Assert.Empty(state.GetChangedRepLoads());
        Assert.Empty(state.GetChangedPoolRotations());
        Assert.Throws<ArgumentNullException>(() => state.TrySetPoolRotation(null!, new PoolRotation(null, [], [])));
        Assert.Throws<ArgumentNullException>(() => state.TrySetPoolRotation(state.PoolKeys[0], null!));
    }

    [Fact]
    public void Decision_ChangesAreWhatTheStoreWritesBack_AndRoundTripIntoAFreshState()
    {
        var policy = TwoReps();
        var state = new RoutingState(policy);
        state.TrySetRepLoad(new RepId("a"), new RepLoad(3, 0, 0, 7));
        state.TrySetPoolRotation(state.PoolKeys[0], new PoolRotation("a", ["a", "b"], []));

        Assert.Equal("b", RouteOne(policy, state, Request("1"), Now)); // the stored rotation is continued

        var loads = Assert.Single(state.GetChangedRepLoads());
        Assert.Equal(new RepId("b"), loads.Key);
        Assert.Equal(1, loads.Value.Open);
        Assert.Equal(1, loads.Value.AssignedTotal);
        var pools = Assert.Single(state.GetChangedPoolRotations());
        Assert.Equal(state.PoolKeys[0], pools.Key);
        Assert.Equal("b", pools.Value.LastRepId);

        // What a store saved is what the next decision starts from.
        var next = new RoutingState(policy);
        next.TrySetRepLoad(new RepId("a"), new RepLoad(3, 0, 0, 7));
        next.TrySetRepLoad(loads.Key, loads.Value);
        next.TrySetPoolRotation(pools.Key, pools.Value);
        Assert.Equal("a", RouteOne(policy, next, Request("2"), Now));
    }

    [Fact]
    public void TryRelease_FreesCapacityOfARosterRep_AndRefusesOneWhoLeft()
    {
        var state = new RoutingState(TwoReps());
        state.TrySetRepLoad(new RepId("a"), new RepLoad(2, 0, 0, 2));

        Assert.True(state.TryRelease(new RepId("a")));
        Assert.False(state.TryRelease(new RepId("left-the-roster")));

        var changed = Assert.Single(state.GetChangedRepLoads());
        Assert.Equal(new RepId("a"), changed.Key);
        Assert.Equal(1, changed.Value.Open);
        Assert.Equal(2, changed.Value.AssignedTotal);
    }

    [Fact]
    public void TryRelease_AtZero_StaysAtZeroAndChangesNothing()
    {
        var state = new RoutingState(TwoReps());

        Assert.True(state.TryRelease(new RepId("b")));

        Assert.Empty(state.GetChangedRepLoads());
    }
}
