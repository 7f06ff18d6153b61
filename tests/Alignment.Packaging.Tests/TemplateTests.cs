namespace Alignment.Packaging.Tests;

/// <summary>
/// Proves the template package works as shipped: installed from the packed nupkg into a private template hive, both templates
/// generate projects that restore from the local feed (plus the machine's usual sources), build with warnings as errors, and the
/// generated rule's tests (which run the Alignment.Testing kit) pass; the generated host scores a lead.
/// </summary>
[Collection(PackedFeedCollectionDefinition.Name)]
public sealed class TemplateTests(PackedFeedFixture feed)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Templates_InstalledFromThePackage_GenerateProjectsThatBuildAndPassTheirTests()
    {
        string root = Path.Combine(feed.WorkDirectory, "templates");
        string hive = Path.Combine(root, "hive");
        string work = Path.Combine(root, "work");
        Directory.CreateDirectory(work);

        // Nothing above the generated projects may leak in: no repository props, and the local feed beside the usual sources.
        await File.WriteAllTextAsync(Path.Combine(work, "Directory.Build.props"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(work, "Directory.Packages.props"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(work, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="alignment-local" value="{feed.FeedDirectory}" />
              </packageSources>
            </configuration>
            """);

        // A private hive: the machine's template cache is not touched.
        var install = (await DotNetProcess.RunAsync(root, ShortTimeout,
            "new", "install", feed.PackagePath("Alignment.Templates"), "--debug:custom-hive", hive)).EnsureSuccess();
        Assert.Contains("alignment-rule", install.Output);
        Assert.Contains("alignment-host", install.Output);

        (await DotNetProcess.RunAsync(work, ShortTimeout, "new", "alignment-rule", "-n", "Acme.IntentRule", "--debug:custom-hive", hive)).EnsureSuccess();
        (await DotNetProcess.RunAsync(work, ShortTimeout, "new", "alignment-host", "-n", "Acme.Host", "--debug:custom-hive", hive)).EnsureSuccess();

        // The generated projects reference the Alignment packages at the version just packed, by default.
        string ruleProject = Path.Combine(work, "Acme.IntentRule", "src", "Acme.IntentRule", "Acme.IntentRule.csproj");
        string testProject = Path.Combine(work, "Acme.IntentRule", "tests", "Acme.IntentRule.Tests", "Acme.IntentRule.Tests.csproj");
        string hostProject = Path.Combine(work, "Acme.Host", "Acme.Host.csproj");
        Assert.Contains($"Include=\"Alignment.Scoring\" Version=\"{feed.Version}\"", await File.ReadAllTextAsync(ruleProject), StringComparison.Ordinal);
        Assert.Contains($"Include=\"Alignment.Testing\" Version=\"{feed.Version}\"", await File.ReadAllTextAsync(testProject), StringComparison.Ordinal);
        Assert.Contains($"Include=\"Alignment.Scoring\" Version=\"{feed.Version}\"", await File.ReadAllTextAsync(hostProject), StringComparison.Ordinal);
        Assert.Contains("namespace Acme.IntentRule;", await File.ReadAllTextAsync(Path.Combine(work, "Acme.IntentRule", "src", "Acme.IntentRule", "IntentSurgeRule.cs")), StringComparison.Ordinal);

        var ruleBuild = (await DotNetProcess.RunAsync(work, Timeout, "build", testProject, "-c", "Release", "-nodeReuse:false")).EnsureSuccess();
        Assert.Contains("0 Warning(s)", ruleBuild.Output);
        string assets = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(testProject)!, "obj", "project.assets.json"));
        Assert.Contains($"alignment.testing/{feed.Version}", assets, StringComparison.OrdinalIgnoreCase);

        var test = (await DotNetProcess.RunAsync(work, Timeout, "test", testProject, "--no-build", "-c", "Release", "-nodeReuse:false")).EnsureSuccess();
        Assert.Contains("Passed!", test.Output);
        Assert.Contains("Failed:     0, Passed:     3", test.Output);

        var hostBuild = (await DotNetProcess.RunAsync(work, Timeout, "build", hostProject, "-c", "Release", "-nodeReuse:false")).EnsureSuccess();
        Assert.Contains("0 Warning(s)", hostBuild.Output);
        var run = (await DotNetProcess.RunAsync(work, ShortTimeout, Path.Combine(work, "Acme.Host", "bin", "Release", "net10.0", "Acme.Host.dll"))).EnsureSuccess();
        Assert.StartsWith("70.00 points (fit 30.00, engagement 40.00)", run.Output.Trim(), StringComparison.Ordinal);
    }
}
