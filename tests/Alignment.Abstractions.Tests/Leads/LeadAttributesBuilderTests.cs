using Alignment.Leads;

namespace Alignment.Abstractions.Tests.Leads;

public sealed class LeadAttributesBuilderTests
{
    private static readonly AttributeSchema Schema = new(
    [
        new AttributeDefinition("emailOpens30d", AttributeKind.Number),
        new AttributeDefinition("tier", AttributeKind.Text),
        new AttributeDefinition("isCustomer", AttributeKind.Boolean),
    ]);

    [Fact]
    public void Set_EachKind_StoresTheValueAtItsOrdinal()
    {
        var values = Schema.CreateBuilder().Set("emailOpens30d", 4).Set("TIER", "gold").Set("isCustomer", true).Build();

        Assert.Equal(4d, values.GetNumber(0));
        Assert.Equal("gold", values.GetText(1));
        Assert.True(values.GetBoolean(2));
        Assert.Equal(1d, values.GetNumber(2));
    }

    [Fact]
    public void Set_SameNameTwice_LastValueWins()
    {
        var values = Schema.CreateBuilder().Set("tier", "gold").Set("tier", "silver").Build();

        Assert.Equal("silver", values.GetText(1));
    }

    [Fact]
    public void Set_TextToNull_MarksItMissing()
    {
        var values = Schema.CreateBuilder().Set("tier", "gold").Set("tier", null).Build();

        Assert.Null(values.GetText(1));
        Assert.False(values.HasValue(1));
    }

    [Fact]
    public void Set_UnknownName_ThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => Schema.CreateBuilder().Set("revenueBand", 3));

        Assert.Equal("name", e.ParamName);
        Assert.StartsWith("The schema has no attribute 'revenueBand'.", e.Message);
    }

    [Theory]
    [InlineData("emailOpens30d", "Number", "Text")]
    [InlineData("isCustomer", "Boolean", "Text")]
    public void Set_TextIntoOtherKind_ThrowsNamingBothKinds(string name, string actual, string asked)
    {
        var e = Assert.Throws<ArgumentException>(() => Schema.CreateBuilder().Set(name, "x"));

        Assert.StartsWith($"Attribute '{name}' is of kind {actual}, not {asked}.", e.Message);
    }

    [Fact]
    public void Set_NumberIntoText_ThrowsNamingBothKinds()
    {
        var e = Assert.Throws<ArgumentException>(() => Schema.CreateBuilder().Set("tier", 2.5));

        Assert.StartsWith("Attribute 'tier' is of kind Text, not Number.", e.Message);
    }

    [Fact]
    public void Set_FlagIntoNumber_ThrowsNamingBothKinds()
    {
        var e = Assert.Throws<ArgumentException>(() => Schema.CreateBuilder().Set("emailOpens30d", true));

        Assert.StartsWith("Attribute 'emailOpens30d' is of kind Number, not Boolean.", e.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Set_NonFiniteNumber_Throws(double value)
    {
        var e = Assert.Throws<ArgumentException>(() => Schema.CreateBuilder().Set("emailOpens30d", value));

        Assert.Equal("value", e.ParamName);
        Assert.StartsWith("Attribute 'emailOpens30d' must be a finite number.", e.Message);
    }

    [Fact]
    public void Set_NullName_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Schema.CreateBuilder().Set(null!, 1));
    }

    [Fact]
    public void Build_ThenKeepUsing_EarlierValuesDoNotChange()
    {
        var builder = Schema.CreateBuilder().Set("emailOpens30d", 1);
        var first = builder.Build();

        var second = builder.Set("emailOpens30d", 9).Set("tier", "gold").Build();

        Assert.Equal(1d, first.GetNumber(0));
        Assert.Null(first.GetText(1));
        Assert.Equal(9d, second.GetNumber(0));
        Assert.Equal("gold", second.GetText(1));
    }
}
