namespace Alignment.Packaging.Tests;

/// <summary>
/// Proves the packages work as shipped: a console app that references them by package id (not by project reference)
/// restores from the local feed plus the machine's usual sources, builds with warnings as errors, runs, and prints what
/// the README promises.
/// </summary>
[Collection(PackedFeedCollectionDefinition.Name)]
public sealed class ConsumerTests(PackedFeedFixture feed)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task ConsumerApp_ReferencingPackagesById_RestoresBuildsAndRuns()
    {
        string app = Path.Combine(feed.WorkDirectory, "consumer");
        Directory.CreateDirectory(app);
        string sources = Path.Combine(AppContext.BaseDirectory, "Consumer");
        File.Copy(Path.Combine(sources, "Program.cs"), Path.Combine(app, "Program.cs"));
        File.Copy(Path.Combine(sources, "Consumer.csproj.template"), Path.Combine(app, "Consumer.csproj"));

        // Stop MSBuild from importing any Directory.Build.props/Directory.Packages.props above the temporary folder, and
        // give the app the version just packed.
        await File.WriteAllTextAsync(Path.Combine(app, "Directory.Build.props"), $"""
            <Project>
              <PropertyGroup>
                <AlignmentVersion>{feed.Version}</AlignmentVersion>
              </PropertyGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Directory.Packages.props"), "<Project />");

        // The local feed is added to the machine's configured sources (nuget.org here), which still serve the
        // Microsoft.Extensions packages Alignment depends on.
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="alignment-local" value="{feed.FeedDirectory}" />
              </packageSources>
            </configuration>
            """);

        (await DotNetProcess.RunAsync(app, Timeout, "restore", "-nodeReuse:false")).EnsureSuccess();
        var build = (await DotNetProcess.RunAsync(app, Timeout, "build", "--no-restore", "-c", "Release", "-nodeReuse:false")).EnsureSuccess();
        Assert.Contains("0 Warning(s)", build.Output);
        string assets = await File.ReadAllTextAsync(Path.Combine(app, "obj", "project.assets.json"));
        Assert.Contains($"alignment.abstractions/{feed.Version}", assets, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"alignment.scoring/{feed.Version}", assets, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"alignment.aspnetcore/{feed.Version}", assets, StringComparison.OrdinalIgnoreCase);

        var run = (await DotNetProcess.RunAsync(app, Timeout, Path.Combine(app, "bin", "Release", "net10.0", "Consumer.dll"))).EnsureSuccess();

        string[] expected =
        [
            "sink: InMemoryDecisionSink",
            "store: InMemoryLifecycleStore",
            "Lead 00Q5e00000A1b2C is MarketingQualified",
            "saved: True",
            "refused: MarketingQualified -> Won",
            "score: 40.00 C MarketingQualified (software 20.00, demo 20.00)",
            "http: 200 MarketingQualified 60.00",
            "http without a key: 401",
            "done",
        ];
        Assert.Equal(expected, run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task ToolPackage_InstalledToAToolPath_PrintsItsVersion()
    {
        string tools = Path.Combine(feed.WorkDirectory, "tools");

        (await DotNetProcess.RunAsync(feed.WorkDirectory, Timeout,
            "tool", "install", "Alignment.Cli", "--tool-path", tools, "--version", feed.Version, "--add-source", feed.FeedDirectory)).EnsureSuccess();
        var run = (await DotNetProcess.RunFileAsync(Path.Combine(tools, OperatingSystem.IsWindows() ? "alignment.exe" : "alignment"), feed.WorkDirectory, Timeout, "--version")).EnsureSuccess();

        Assert.Equal(feed.Version, run.Output.Trim());
    }
}
