using Alignment.Leads;
using Alignment.Lifecycle;

namespace Alignment.Abstractions.Tests.Lifecycle;

public sealed class LeadLifecycleTests
{
    private static readonly LeadId Id = new("L-1001");
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Reaches <paramref name="stage"/> from Inquiry by allowed moves, one hour apart.</summary>
    private static LeadLifecycle At(LifecycleStage stage)
    {
        LifecycleStage[] path = stage switch
        {
            LifecycleStage.Inquiry => [],
            LifecycleStage.MarketingQualified => [LifecycleStage.MarketingQualified],
            LifecycleStage.SalesAccepted => [LifecycleStage.MarketingQualified, LifecycleStage.SalesAccepted],
            LifecycleStage.SalesQualified => [LifecycleStage.MarketingQualified, LifecycleStage.SalesAccepted, LifecycleStage.SalesQualified],
            LifecycleStage.Opportunity => [LifecycleStage.MarketingQualified, LifecycleStage.SalesAccepted, LifecycleStage.SalesQualified, LifecycleStage.Opportunity],
            LifecycleStage.Won => [LifecycleStage.MarketingQualified, LifecycleStage.SalesAccepted, LifecycleStage.SalesQualified, LifecycleStage.Opportunity, LifecycleStage.Won],
            LifecycleStage.Lost => [LifecycleStage.MarketingQualified, LifecycleStage.SalesAccepted, LifecycleStage.SalesQualified, LifecycleStage.Opportunity, LifecycleStage.Lost],
            LifecycleStage.Recycled => [LifecycleStage.Recycled],
            LifecycleStage.Disqualified => [LifecycleStage.Disqualified],
            _ => throw new ArgumentOutOfRangeException(nameof(stage)),
        };
        var lifecycle = LeadLifecycle.Start(Id);
        for (int i = 0; i < path.Length; i++)
        {
            lifecycle = lifecycle.Transition(path[i], T0.AddHours(i), LifecycleActor.System, $"step {i}");
        }

        Assert.Equal(stage, lifecycle.Stage);
        return lifecycle;
    }

    public static TheoryData<LifecycleStage, LifecycleStage> Allowed() => LifecycleStateMachineTests.Allowed();

    public static TheoryData<LifecycleStage, LifecycleStage> ForbiddenSample() => new()
    {
        { LifecycleStage.Inquiry, LifecycleStage.Inquiry },
        { LifecycleStage.Inquiry, LifecycleStage.SalesAccepted },
        { LifecycleStage.Inquiry, LifecycleStage.SalesQualified },
        { LifecycleStage.Inquiry, LifecycleStage.Opportunity },
        { LifecycleStage.Inquiry, LifecycleStage.Won },
        { LifecycleStage.Inquiry, LifecycleStage.Lost },
        { LifecycleStage.MarketingQualified, LifecycleStage.Inquiry },
        { LifecycleStage.MarketingQualified, LifecycleStage.SalesQualified },
        { LifecycleStage.MarketingQualified, LifecycleStage.Opportunity },
        { LifecycleStage.MarketingQualified, LifecycleStage.MarketingQualified },
        { LifecycleStage.SalesAccepted, LifecycleStage.MarketingQualified },
        { LifecycleStage.SalesAccepted, LifecycleStage.Won },
        { LifecycleStage.SalesQualified, LifecycleStage.Lost },
        { LifecycleStage.Opportunity, LifecycleStage.Recycled },
        { LifecycleStage.Opportunity, LifecycleStage.Disqualified },
        { LifecycleStage.Opportunity, LifecycleStage.SalesQualified },
        { LifecycleStage.Won, LifecycleStage.Lost },
        { LifecycleStage.Won, LifecycleStage.Recycled },
        { LifecycleStage.Won, LifecycleStage.Opportunity },
        { LifecycleStage.Lost, LifecycleStage.Won },
        { LifecycleStage.Lost, LifecycleStage.Opportunity },
        { LifecycleStage.Lost, LifecycleStage.MarketingQualified },
        { LifecycleStage.Recycled, LifecycleStage.SalesAccepted },
        { LifecycleStage.Recycled, LifecycleStage.Inquiry },
        { LifecycleStage.Recycled, LifecycleStage.Recycled },
        { LifecycleStage.Disqualified, LifecycleStage.Inquiry },
        { LifecycleStage.Disqualified, LifecycleStage.MarketingQualified },
        { LifecycleStage.Disqualified, LifecycleStage.Recycled },
    };

    [Fact]
    public void Start_NewLead_IsAtInquiryWithEmptyHistory()
    {
        var lifecycle = LeadLifecycle.Start(Id);

        Assert.Equal(Id, lifecycle.LeadId);
        Assert.Equal(LifecycleStage.Inquiry, lifecycle.Stage);
        Assert.Empty(lifecycle.History);
        Assert.Equal(0, lifecycle.Version);
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Transition_AllowedMove_EntersTheStageAndRecordsIt(LifecycleStage from, LifecycleStage to)
    {
        var before = At(from);
        var at = T0.AddDays(1);

        var after = before.Transition(to, at, LifecycleActor.Sales, "reason text", "model@1.2.0");

        Assert.Equal(to, after.Stage);
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal(new LifecycleTransition(from, to, at, LifecycleActor.Sales, "reason text") { ModelVersion = "model@1.2.0" }, after.History[^1]);
        Assert.Equal(before.History.ToArray(), after.History[..^1].ToArray());
        Assert.Equal(from, before.Stage);
    }

    [Theory]
    [MemberData(nameof(ForbiddenSample))]
    public void Transition_ForbiddenMove_ThrowsNamingBothStagesAndTheLead(LifecycleStage from, LifecycleStage to)
    {
        var before = At(from);

        var e = Assert.Throws<InvalidLifecycleTransitionException>(() => before.Transition(to, T0.AddDays(1), LifecycleActor.Marketing, "try"));

        Assert.Equal(from, e.From);
        Assert.Equal(to, e.To);
        Assert.Equal(Id, e.LeadId);
        Assert.StartsWith($"Lead L-1001: the lifecycle does not allow a move from {from} to {to}.", e.Message);
        Assert.Equal(from, before.Stage);
    }

    [Fact]
    public void Transition_FromFinalStage_MessageSaysItIsFinal()
    {
        var e = Assert.Throws<InvalidLifecycleTransitionException>(() => At(LifecycleStage.Won).Transition(LifecycleStage.Recycled, T0.AddDays(1), LifecycleActor.System, "x"));

        Assert.Equal("Lead L-1001: the lifecycle does not allow a move from Won to Recycled. Allowed from Won: none (final stage).", e.Message);
    }

    [Fact]
    public void Transition_Forbidden_MessageListsTheAllowedTargets()
    {
        var e = Assert.Throws<InvalidLifecycleTransitionException>(() => LeadLifecycle.Start(Id).Transition(LifecycleStage.Won, T0, LifecycleActor.Sales, "x"));

        Assert.Equal("Lead L-1001: the lifecycle does not allow a move from Inquiry to Won. Allowed from Inquiry: MarketingQualified, Recycled, Disqualified.", e.Message);
    }

    [Fact]
    public void Transition_UndefinedTargetStage_IsRefused()
    {
        var e = Assert.Throws<InvalidLifecycleTransitionException>(() => LeadLifecycle.Start(Id).Transition((LifecycleStage)42, T0, LifecycleActor.Sales, "x"));

        Assert.Equal((LifecycleStage)42, e.To);
    }

    [Fact]
    public void Transition_FullWaterfallWithRecycle_KeepsHistoryOldestFirst()
    {
        var steps = new (LifecycleStage To, LifecycleActor Actor, string Reason)[]
        {
            (LifecycleStage.MarketingQualified, LifecycleActor.System, "score 72 >= 60"),
            (LifecycleStage.SalesAccepted, LifecycleActor.Sales, "accepted"),
            (LifecycleStage.SalesQualified, LifecycleActor.Sales, "budget confirmed"),
            (LifecycleStage.Opportunity, LifecycleActor.Sales, "opportunity opened"),
            (LifecycleStage.Lost, LifecycleActor.Sales, "lost to competitor"),
            (LifecycleStage.Recycled, LifecycleActor.Marketing, "recycled after loss"),
            (LifecycleStage.MarketingQualified, LifecycleActor.System, "re-engaged"),
        };
        var lifecycle = LeadLifecycle.Start(Id);
        for (int i = 0; i < steps.Length; i++)
        {
            lifecycle = lifecycle.Transition(steps[i].To, T0.AddDays(i), steps[i].Actor, steps[i].Reason);
        }

        Assert.Equal(LifecycleStage.MarketingQualified, lifecycle.Stage);
        Assert.Equal(steps.Length, lifecycle.Version);
        Assert.Equal(steps.Select(s => s.To), lifecycle.History.Select(h => h.To));
        Assert.Equal(steps.Select(s => s.Reason), lifecycle.History.Select(h => h.Reason));
        Assert.Equal(steps.Select(s => s.Actor), lifecycle.History.Select(h => h.Actor));
        Assert.Equal(Enumerable.Range(0, steps.Length).Select(i => T0.AddDays(i)), lifecycle.History.Select(h => h.At));
        Assert.Equal(LifecycleStage.Inquiry, lifecycle.History[0].From);
        for (int i = 1; i < lifecycle.History.Length; i++)
        {
            Assert.Equal(lifecycle.History[i - 1].To, lifecycle.History[i].From);
        }
    }

    [Fact]
    public void Transition_EarlierThanLastTransition_ThrowsNamingLeadAndBothTimes()
    {
        var mql = LeadLifecycle.Start(Id).Transition(LifecycleStage.MarketingQualified, T0, LifecycleActor.System, "score");

        var e = Assert.Throws<ArgumentException>(() => mql.Transition(LifecycleStage.SalesAccepted, T0.AddTicks(-1), LifecycleActor.Sales, "accepted"));

        Assert.Equal("at", e.ParamName);
        Assert.Contains("Lead L-1001", e.Message);
        Assert.Contains(T0.ToString("O"), e.Message);
        Assert.Contains(T0.AddTicks(-1).ToString("O"), e.Message);
    }

    [Fact]
    public void Transition_AtTheSameInstantAsLast_IsAllowed()
    {
        var mql = LeadLifecycle.Start(Id).Transition(LifecycleStage.MarketingQualified, T0, LifecycleActor.System, "score");

        var sal = mql.Transition(LifecycleStage.SalesAccepted, T0, LifecycleActor.Sales, "accepted at once");

        Assert.Equal(LifecycleStage.SalesAccepted, sal.Stage);
    }

    [Fact]
    public void Transition_FirstMove_AcceptsAnyTime()
    {
        var lifecycle = LeadLifecycle.Start(Id).Transition(LifecycleStage.Recycled, DateTimeOffset.MinValue, LifecycleActor.Marketing, "old import");

        Assert.Equal(DateTimeOffset.MinValue, lifecycle.History[0].At);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Transition_NoReason_Throws(string? reason)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => LeadLifecycle.Start(Id).Transition(LifecycleStage.MarketingQualified, T0, LifecycleActor.System, reason!));

        Assert.Equal("reason", e.ParamName);
    }

    [Fact]
    public void Transition_WithoutModelVersion_RecordsNull()
    {
        var lifecycle = LeadLifecycle.Start(Id).Transition(LifecycleStage.MarketingQualified, T0, LifecycleActor.Marketing, "manual");

        Assert.Null(lifecycle.History[0].ModelVersion);
    }

    [Fact]
    public void ToString_NamesLeadIdStageAndVersionOnly()
    {
        var lifecycle = LeadLifecycle.Start(Id).Transition(LifecycleStage.MarketingQualified, T0, LifecycleActor.System, "score");

        Assert.Equal("Lead L-1001 at MarketingQualified after 1 transitions", lifecycle.ToString());
    }
}
