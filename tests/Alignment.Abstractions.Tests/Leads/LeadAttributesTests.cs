using Alignment.Leads;

namespace Alignment.Abstractions.Tests.Leads;

public sealed class LeadAttributesTests
{
    private static readonly AttributeSchema Schema = new(
    [
        new AttributeDefinition("emailOpens30d", AttributeKind.Number),
        new AttributeDefinition("tier", AttributeKind.Text),
        new AttributeDefinition("isCustomer", AttributeKind.Boolean),
    ]);

    [Fact]
    public void Missing_NumberIsNaN_TextIsNull_FlagIsNotSet()
    {
        var values = Schema.CreateBuilder().Build();

        Assert.True(double.IsNaN(values.GetNumber(0)));
        Assert.Null(values.GetText(1));
        Assert.False(values.GetBoolean(2));
        Assert.True(double.IsNaN(values.GetNumber(2)));
        Assert.False(values.HasValue(0));
        Assert.False(values.HasValue(1));
        Assert.False(values.HasValue(2));
    }

    [Fact]
    public void HasValue_SetValues_IsTrueIncludingZeroAndFalse()
    {
        var values = Schema.CreateBuilder().Set("emailOpens30d", 0).Set("tier", "").Set("isCustomer", false).Build();

        Assert.True(values.HasValue(0));
        Assert.True(values.HasValue(1));
        Assert.True(values.HasValue(2));
        Assert.False(values.GetBoolean(2));
        Assert.Equal(0d, values.GetNumber(2));
    }

    [Fact]
    public void GetNumber_OrdinalOutsideSchema_Throws()
    {
        var values = Schema.CreateBuilder().Build();

        Assert.Throws<IndexOutOfRangeException>(() => values.GetNumber(3));
        Assert.Throws<IndexOutOfRangeException>(() => values.GetText(-1));
    }

    [Fact]
    public void Empty_UsesTheEmptySchema()
    {
        Assert.Same(AttributeSchema.Empty, LeadAttributes.Empty.Schema);
    }
}
