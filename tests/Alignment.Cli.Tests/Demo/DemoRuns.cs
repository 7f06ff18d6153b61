namespace Alignment.Cli.Tests.Demo;

/// <summary>The tests that share one pair of demo runs.</summary>
[CollectionDefinition(Name)]
public sealed class DemoRuns : ICollectionFixture<DemoRunFixture>
{
    public const string Name = "demo runs";
}
