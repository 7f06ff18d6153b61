using Alignment.Leads;

namespace Alignment.Abstractions.Tests.Leads;

public sealed class AttributeSchemaTests
{
    private static readonly AttributeSchema Schema = new(
    [
        new AttributeDefinition("emailOpens30d", AttributeKind.Number),
        new AttributeDefinition("tier", AttributeKind.Text),
        new AttributeDefinition("isCustomer", AttributeKind.Boolean),
    ]);

    [Fact]
    public void Constructor_KeepsDefinitionsInOrdinalOrder()
    {
        Assert.Equal(3, Schema.Count);
        Assert.Equal(["emailOpens30d", "tier", "isCustomer"], Schema.Definitions.Select(d => d.Name));
        Assert.Equal([AttributeKind.Number, AttributeKind.Text, AttributeKind.Boolean], Schema.Definitions.Select(d => d.Kind));
    }

    [Theory]
    [InlineData("emailOpens30d", 0)]
    [InlineData("EMAILOPENS30D", 0)]
    [InlineData("tier", 1)]
    [InlineData("IsCustomer", 2)]
    public void TryGetOrdinal_KnownName_FindsItCaseInsensitively(string name, int expected)
    {
        Assert.True(Schema.TryGetOrdinal(name, out int ordinal));
        Assert.Equal(expected, ordinal);
    }

    [Fact]
    public void TryGetOrdinal_UnknownName_ReturnsFalse()
    {
        Assert.False(Schema.TryGetOrdinal("revenueBand", out _));
    }

    [Fact]
    public void TryGetOrdinal_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Schema.TryGetOrdinal(null!, out _));
    }

    [Fact]
    public void Constructor_DuplicateNameIgnoringCase_ThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => new AttributeSchema(
        [
            new AttributeDefinition("tier", AttributeKind.Text),
            new AttributeDefinition("Tier", AttributeKind.Number),
        ]));

        Assert.Equal("definitions", e.ParamName);
        Assert.StartsWith("The attribute name 'Tier' appears twice.", e.Message);
    }

    [Fact]
    public void Constructor_DefaultDefinition_ThrowsNamingItsPosition()
    {
        var e = Assert.Throws<ArgumentException>(() => new AttributeSchema([new AttributeDefinition("a", AttributeKind.Text), default]));

        Assert.StartsWith("Definition 1 has no name", e.Message);
    }

    [Fact]
    public void Constructor_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new AttributeSchema(null!));
    }

    [Fact]
    public void Empty_HasNoAttributes()
    {
        Assert.Equal(0, AttributeSchema.Empty.Count);
        Assert.False(AttributeSchema.Empty.TryGetOrdinal("anything", out _));
    }

    [Fact]
    public void CreateBuilder_BuildsValuesOverThisSchema()
    {
        Assert.Same(Schema, Schema.CreateBuilder().Build().Schema);
    }
}
