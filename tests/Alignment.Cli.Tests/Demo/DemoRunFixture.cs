namespace Alignment.Cli.Tests.Demo;

/// <summary>Runs <c>alignment demo</c> twice, each into its own temporary folder, once for every test of the demo collection.</summary>
public sealed class DemoRunFixture : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"alignment-demo-{Guid.NewGuid():N}");

    /// <summary>The folder of the first run.</summary>
    public string First => Path.Combine(_root, "first");

    /// <summary>The folder of the second run.</summary>
    public string Second => Path.Combine(_root, "second");

    /// <summary>The CRM-export files the first run wrote with <c>--export</c>.</summary>
    public string Export => Path.Combine(First, "export");

    /// <summary>The folder <c>alignment report</c> wrote its report of the exported files to.</summary>
    public string OwnReport => Path.Combine(_root, "own");

    internal CliRun FirstRun { get; private set; } = null!;

    internal CliRun ReportRun { get; private set; } = null!;

    internal CliRun SecondRun { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        FirstRun = await CliRun.RunAsync("demo", "--out", First, "--export", Export);
        ReportRun = await CliRun.RunAsync(
            "report", "--leads", Path.Combine(Export, "leads.csv"), "--history", Path.Combine(Export, "history.csv"), "--activities", Path.Combine(Export, "activities.csv"),
            "--spend", Path.Combine(Export, "spend.csv"), "--plan", Path.Combine(Export, "plan.json"), "--as-of", "2026-01-01", "--out", OwnReport);
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
