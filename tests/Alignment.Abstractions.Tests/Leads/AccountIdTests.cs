using Alignment.Leads;

namespace Alignment.Abstractions.Tests.Leads;

public sealed class AccountIdTests
{
    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t\n")]
    public void Constructor_EmptyOrWhiteSpace_Throws(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => new AccountId(value));

        Assert.Equal("value", e.ParamName);
    }

    [Fact]
    public void Constructor_Null_Throws()
    {
        var e = Assert.Throws<ArgumentNullException>(() => new AccountId(null!));

        Assert.Equal("value", e.ParamName);
    }

    [Fact]
    public void ToString_IsTheIdText()
    {
        Assert.Equal("crm-00Q5e00000A1b2C", new AccountId("crm-00Q5e00000A1b2C").ToString());
        Assert.Equal("crm-00Q5e00000A1b2C", $"{new AccountId("crm-00Q5e00000A1b2C")}");
    }

    [Fact]
    public void Equality_IsOrdinalByValue()
    {
        Assert.Equal(new AccountId("A-1"), new AccountId("A-1"));
        Assert.NotEqual(new AccountId("A-1"), new AccountId("a-1"));
        Assert.Equal(new AccountId("A-1").GetHashCode(), new AccountId("A-1").GetHashCode());
    }

    [Fact]
    public void Default_HasNullValueAndPrintsEmpty()
    {
        AccountId none = default;

        Assert.Null(none.Value);
        Assert.Equal(string.Empty, none.ToString());
    }
}
