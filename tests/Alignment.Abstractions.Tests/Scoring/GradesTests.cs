using Alignment.Scoring;

namespace Alignment.Abstractions.Tests.Scoring;

public sealed class GradesTests
{
    public static TheoryData<Grade, string> Letters() => new()
    {
        { Grade.F, "F" }, { Grade.DMinus, "D-" }, { Grade.D, "D" }, { Grade.DPlus, "D+" },
        { Grade.CMinus, "C-" }, { Grade.C, "C" }, { Grade.CPlus, "C+" },
        { Grade.BMinus, "B-" }, { Grade.B, "B" }, { Grade.BPlus, "B+" },
        { Grade.AMinus, "A-" }, { Grade.A, "A" }, { Grade.APlus, "A+" },
    };

    [Theory]
    [MemberData(nameof(Letters))]
    public void ToLetter_EveryGrade_WritesItsLetter(Grade grade, string letter)
    {
        Assert.Equal(letter, grade.ToLetter());
    }

    [Theory]
    [MemberData(nameof(Letters))]
    public void TryParse_EveryLetter_ReadsItsGrade(Grade grade, string letter)
    {
        Assert.True(Grades.TryParse(letter, out var parsed));
        Assert.Equal(grade, parsed);
        Assert.True(Grades.TryParse($"  {letter.ToLowerInvariant()}\t", out parsed));
        Assert.Equal(grade, parsed);
    }

    [Fact]
    public void Letters_CoverEveryDefinedGrade()
    {
        Assert.Equal(Enum.GetValues<Grade>().Length, Letters().Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("E")]
    [InlineData("A++")]
    [InlineData("B +")]
    [InlineData("F-")]
    [InlineData("12")]
    [InlineData("APlus")]
    public void TryParse_NotAGrade_ReturnsFalse(string? text)
    {
        Assert.False(Grades.TryParse(text, out var grade));
        Assert.Equal(default, grade);
    }

    [Fact]
    public void ToLetter_UndefinedGrade_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ((Grade)13).ToLetter());

        Assert.Equal("grade", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => ((Grade)(-1)).ToLetter());
    }

    [Theory]
    [InlineData(Grade.D, 1, Grade.DPlus)]
    [InlineData(Grade.D, 3, Grade.C)]
    [InlineData(Grade.D, -2, Grade.F)]
    [InlineData(Grade.B, 0, Grade.B)]
    [InlineData(Grade.B, -4, Grade.CMinus)]
    [InlineData(Grade.AMinus, 2, Grade.APlus)]
    public void Move_WithinRange_MovesByThirds(Grade from, int thirds, Grade expected)
    {
        Assert.Equal(expected, from.Move(thirds));
    }

    [Theory]
    [InlineData(Grade.A, 5, Grade.APlus)]
    [InlineData(Grade.APlus, 1, Grade.APlus)]
    [InlineData(Grade.D, -3, Grade.F)]
    [InlineData(Grade.F, -1, Grade.F)]
    [InlineData(Grade.C, int.MaxValue, Grade.APlus)]
    [InlineData(Grade.C, int.MinValue, Grade.F)]
    [InlineData(Grade.APlus, int.MaxValue, Grade.APlus)]
    public void Move_PastTheEnds_ClampsToMinOrMax(Grade from, int thirds, Grade expected)
    {
        Assert.Equal(expected, from.Move(thirds));
    }

    [Fact]
    public void Constants_AreTheScaleEndsAndTheStart()
    {
        Assert.Equal(Grade.F, Grades.Min);
        Assert.Equal(Grade.APlus, Grades.Max);
        Assert.Equal(Grade.D, Grades.Start);
        Assert.True(Grade.B > Grade.BMinus);
    }
}
