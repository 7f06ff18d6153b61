namespace Alignment.Packaging.Tests;

/// <summary>Shares one packed feed between the packaging test classes (packing is slow).</summary>
[CollectionDefinition(Name)]
public sealed class PackedFeedCollectionDefinition : ICollectionFixture<PackedFeedFixture>
{
    public const string Name = "Packed feed";
}
