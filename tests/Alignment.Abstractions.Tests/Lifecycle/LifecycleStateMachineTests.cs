using Alignment.Lifecycle;

namespace Alignment.Abstractions.Tests.Lifecycle;

public sealed class LifecycleStateMachineTests
{
    /// <summary>The demand waterfall as the issue and the design define it, written out independently of the implementation.</summary>
    internal static readonly (LifecycleStage From, LifecycleStage To)[] AllowedMoves =
    [
        (LifecycleStage.Inquiry, LifecycleStage.MarketingQualified),
        (LifecycleStage.Inquiry, LifecycleStage.Recycled),
        (LifecycleStage.Inquiry, LifecycleStage.Disqualified),
        (LifecycleStage.MarketingQualified, LifecycleStage.SalesAccepted),
        (LifecycleStage.MarketingQualified, LifecycleStage.Recycled),
        (LifecycleStage.MarketingQualified, LifecycleStage.Disqualified),
        (LifecycleStage.SalesAccepted, LifecycleStage.SalesQualified),
        (LifecycleStage.SalesAccepted, LifecycleStage.Recycled),
        (LifecycleStage.SalesAccepted, LifecycleStage.Disqualified),
        (LifecycleStage.SalesQualified, LifecycleStage.Opportunity),
        (LifecycleStage.SalesQualified, LifecycleStage.Recycled),
        (LifecycleStage.SalesQualified, LifecycleStage.Disqualified),
        (LifecycleStage.Opportunity, LifecycleStage.Won),
        (LifecycleStage.Opportunity, LifecycleStage.Lost),
        (LifecycleStage.Lost, LifecycleStage.Recycled),
        (LifecycleStage.Recycled, LifecycleStage.MarketingQualified),
        (LifecycleStage.Recycled, LifecycleStage.Disqualified),
    ];

    public static TheoryData<LifecycleStage, LifecycleStage> Allowed()
    {
        var data = new TheoryData<LifecycleStage, LifecycleStage>();
        foreach (var (from, to) in AllowedMoves)
        {
            data.Add(from, to);
        }

        return data;
    }

    public static TheoryData<LifecycleStage, LifecycleStage> Forbidden()
    {
        var data = new TheoryData<LifecycleStage, LifecycleStage>();
        foreach (var from in Enum.GetValues<LifecycleStage>())
        {
            foreach (var to in Enum.GetValues<LifecycleStage>())
            {
                if (!AllowedMoves.Contains((from, to)))
                {
                    data.Add(from, to);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void IsAllowed_AllowedMove_ReturnsTrue(LifecycleStage from, LifecycleStage to)
    {
        Assert.True(LifecycleStateMachine.IsAllowed(from, to));
        Assert.Contains(to, LifecycleStateMachine.AllowedFrom(from));
    }

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void IsAllowed_EveryOtherPair_ReturnsFalse(LifecycleStage from, LifecycleStage to)
    {
        Assert.False(LifecycleStateMachine.IsAllowed(from, to));
        Assert.DoesNotContain(to, LifecycleStateMachine.AllowedFrom(from));
    }

    [Fact]
    public void Forbidden_CoversEveryPairNotAllowed()
    {
        int stages = Enum.GetValues<LifecycleStage>().Length;

        Assert.Equal(stages * stages, Allowed().Count + Forbidden().Count);
    }

    [Fact]
    public void AllowedFrom_EveryStage_MatchesTheWaterfallExactly()
    {
        foreach (var from in Enum.GetValues<LifecycleStage>())
        {
            var expected = AllowedMoves.Where(m => m.From == from).Select(m => m.To).Order();

            Assert.Equal(expected, LifecycleStateMachine.AllowedFrom(from).Order());
        }
    }

    [Theory]
    [InlineData(LifecycleStage.Won, true)]
    [InlineData(LifecycleStage.Disqualified, true)]
    [InlineData(LifecycleStage.Lost, false)]
    [InlineData(LifecycleStage.Recycled, false)]
    [InlineData(LifecycleStage.Inquiry, false)]
    [InlineData(LifecycleStage.Opportunity, false)]
    public void IsFinal_Stage_IsTrueOnlyForWonAndDisqualified(LifecycleStage stage, bool expected)
    {
        Assert.Equal(expected, LifecycleStateMachine.IsFinal(stage));
    }

    [Fact]
    public void AllowedFrom_UndefinedStage_ThrowsNamingTheParameter()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LifecycleStateMachine.AllowedFrom((LifecycleStage)42));

        Assert.Equal("from", e.ParamName);
    }

    [Fact]
    public void IsAllowed_UndefinedStage_ReturnsFalse()
    {
        Assert.False(LifecycleStateMachine.IsAllowed((LifecycleStage)42, LifecycleStage.Inquiry));
        Assert.False(LifecycleStateMachine.IsAllowed(LifecycleStage.Inquiry, (LifecycleStage)42));
        Assert.False(LifecycleStateMachine.IsAllowed((LifecycleStage)(-1), LifecycleStage.Inquiry));
    }
}
