using Alignment.Policies.Nurture;

namespace Alignment.Policies.Tests.Nurture;

public sealed class QuietPeriodTests
{
    private static readonly QuietPeriod Holidays = new("holidays", 12, 20, 1, 5);

    [Theory]
    [InlineData(2026, 12, 19, false)]
    [InlineData(2026, 12, 20, true)]
    [InlineData(2026, 12, 31, true)]
    [InlineData(2027, 1, 5, true)]
    [InlineData(2027, 1, 6, false)]
    public void Contains_WrapsOverNewYear(int year, int month, int day, bool quiet) =>
        Assert.Equal(quiet, Holidays.Contains(new DateTimeOffset(year, month, day, 12, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void EndAfter_InDecember_IsTheSixthOfJanuaryNextYear() =>
        Assert.Equal(new DateTimeOffset(2027, 1, 6, 0, 0, 0, TimeSpan.Zero), Holidays.EndAfter(new DateTimeOffset(2026, 12, 24, 8, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void EndAfter_InJanuary_IsTheSixthOfThatJanuary() =>
        Assert.Equal(new DateTimeOffset(2027, 1, 6, 0, 0, 0, TimeSpan.Zero), Holidays.EndAfter(new DateTimeOffset(2027, 1, 2, 8, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void NurtureTrack_IsQuiet_OnAWeekend_ResumesOnMonday()
    {
        var track = new NurtureTrack
        {
            Id = "t",
            Steps = [new NurtureStep("s", NurtureStepKind.RepCallTask, null, TimeSpan.Zero)],
            Cadence = TimeSpan.FromDays(7),
            OnExhausted = "t",
            QuietDays = [DayOfWeek.Saturday, DayOfWeek.Sunday],
        };

        Assert.True(track.IsQuiet(new DateTimeOffset(2026, 4, 4, 15, 0, 0, TimeSpan.Zero), out var until, out var name));
        Assert.Equal((new DateTimeOffset(2026, 4, 6, 0, 0, 0, TimeSpan.Zero), "quiet day Saturday"), (until, name));
        Assert.False(track.IsQuiet(new DateTimeOffset(2026, 4, 6, 0, 0, 0, TimeSpan.Zero), out _, out _));
    }
}
