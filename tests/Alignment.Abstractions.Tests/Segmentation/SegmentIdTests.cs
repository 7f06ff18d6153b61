using Alignment.Segmentation;

namespace Alignment.Abstractions.Tests.Segmentation;

public sealed class SegmentIdTests
{
    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t\n")]
    public void Constructor_EmptyOrWhiteSpace_Throws(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => new SegmentId(value));

        Assert.Equal("value", e.ParamName);
    }

    [Fact]
    public void Constructor_Null_Throws()
    {
        var e = Assert.Throws<ArgumentNullException>(() => new SegmentId(null!));

        Assert.Equal("value", e.ParamName);
    }

    [Fact]
    public void ToString_IsTheIdText()
    {
        Assert.Equal("crm-00Q5e00000A1b2C", new SegmentId("crm-00Q5e00000A1b2C").ToString());
        Assert.Equal("crm-00Q5e00000A1b2C", $"{new SegmentId("crm-00Q5e00000A1b2C")}");
    }

    [Fact]
    public void Equality_IsOrdinalByValue()
    {
        Assert.Equal(new SegmentId("A-1"), new SegmentId("A-1"));
        Assert.NotEqual(new SegmentId("A-1"), new SegmentId("a-1"));
        Assert.Equal(new SegmentId("A-1").GetHashCode(), new SegmentId("A-1").GetHashCode());
    }

    [Fact]
    public void Default_HasNullValueAndPrintsEmpty()
    {
        SegmentId none = default;

        Assert.Null(none.Value);
        Assert.Equal(string.Empty, none.ToString());
    }
}
