using Alignment.Handoff;

namespace Alignment.Abstractions.Tests.Handoff;

public sealed class RepIdTests
{
    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t\n")]
    public void Constructor_EmptyOrWhiteSpace_Throws(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => new RepId(value));

        Assert.Equal("value", e.ParamName);
    }

    [Fact]
    public void Constructor_Null_Throws()
    {
        var e = Assert.Throws<ArgumentNullException>(() => new RepId(null!));

        Assert.Equal("value", e.ParamName);
    }

    [Fact]
    public void ToString_IsTheIdText()
    {
        Assert.Equal("crm-00Q5e00000A1b2C", new RepId("crm-00Q5e00000A1b2C").ToString());
        Assert.Equal("crm-00Q5e00000A1b2C", $"{new RepId("crm-00Q5e00000A1b2C")}");
    }

    [Fact]
    public void Equality_IsOrdinalByValue()
    {
        Assert.Equal(new RepId("A-1"), new RepId("A-1"));
        Assert.NotEqual(new RepId("A-1"), new RepId("a-1"));
        Assert.Equal(new RepId("A-1").GetHashCode(), new RepId("A-1").GetHashCode());
    }

    [Fact]
    public void Default_HasNullValueAndPrintsEmpty()
    {
        RepId none = default;

        Assert.Null(none.Value);
        Assert.Equal(string.Empty, none.ToString());
    }
}
