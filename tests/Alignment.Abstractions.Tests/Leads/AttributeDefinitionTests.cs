using Alignment.Leads;

namespace Alignment.Abstractions.Tests.Leads;

public sealed class AttributeDefinitionTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Constructor_NoName_Throws(string? name)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new AttributeDefinition(name!, AttributeKind.Text));

        Assert.Equal("name", e.ParamName);
    }

    [Fact]
    public void Constructor_UndefinedKind_ThrowsNamingTheValue()
    {
        var e = Assert.Throws<ArgumentException>(() => new AttributeDefinition("x", (AttributeKind)9));

        Assert.Equal("kind", e.ParamName);
        Assert.StartsWith("Attribute kind 9 is not defined.", e.Message);
    }

    [Fact]
    public void Equality_IsByNameAndKind()
    {
        Assert.Equal(new AttributeDefinition("x", AttributeKind.Number), new AttributeDefinition("x", AttributeKind.Number));
        Assert.NotEqual(new AttributeDefinition("x", AttributeKind.Number), new AttributeDefinition("x", AttributeKind.Text));
    }
}
