namespace Alignment.Cli.Tests.Demo;

/// <summary>Runs <c>alignment demo</c> twice, each into its own temporary folder, once for every test of the demo collection.</summary>
public sealed class DemoRunFixture : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"alignment-demo-{Guid.NewGuid():N}");

    /// <summary>The folder of the first run.</summary>
    public string First => Path.Combine(_root, "first");

    /// <summary>The folder of the second run.</summary>
    public string Second => Path.Combine(_root, "second");

    internal CliRun FirstRun { get; private set; } = null!;

    internal CliRun SecondRun { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        FirstRun = await CliRun.RunAsync("demo", "--out", First);
        SecondRun = await CliRun.RunAsync("demo", "--out", Second);
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return Task.CompletedTask;
    }
}
