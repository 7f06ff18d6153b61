namespace Alignment.Cli.Tests;

/// <summary>
/// The plugin assemblies built by tests/Alignment.Cli.TestPlugin and copied to plugins/ in the test output (see the project file),
/// and scoring models that refer to their rules.
/// </summary>
internal static class TestPlugins
{
    /// <summary>Alignment.Cli.TestPlugin: <c>intent-data</c> (created with the schema; needs the number attribute <c>intentSurge</c>) and <c>loyalty-bonus</c> (7.5 points, parameterless).</summary>
    public static string Rules { get; } = Find("Alignment.Cli.TestPlugin");

    /// <summary>Alignment.Cli.TestPlugin.Broken: one rule, <c>ConfiguredRule</c>, whose only constructor takes a <see cref="double"/>.</summary>
    public static string Broken { get; } = Find("Alignment.Cli.TestPlugin.Broken");

    /// <summary>Alignment.Cli.TestPlugin.WithDependency: <c>source-points</c>, computed by Acme.PointsHelper, a library only this plugin ships.</summary>
    public static string WithDependency { get; } = Find("Alignment.Cli.TestPlugin.WithDependency");

    /// <summary><see cref="TestFiles.ScoringModel"/> plus the plugin rule <c>bonus</c> (<c>loyalty-bonus</c>): every lead gets 7.5 more.</summary>
    public static readonly string[] ModelWithBonus =
    [
        """{ "id": "t", "version": "1.1.0", "changeNote": "loyalty bonus",""",
        """  "thresholds": { "mql": { "score": 20, "minGrade": "F" }, "hot": { "score": 50, "minGrade": "F" } },""",
        """  "fit": [ { "id": "software", "points": 15, "grade": "+1", "when": { "field": "company.industry", "in": ["Software"] } } ],""",
        """  "engagement": [ { "id": "demo", "activity": "demoRequested", "points": 40 } ],""",
        """  "plugins": [ { "id": "bonus", "rule": "loyalty-bonus" } ] }""",
    ];

    /// <summary>The repository's documented example model (docs/examples/scoring-model.json), which refers to <c>intent-data</c> capped at 20.</summary>
    public static string ExampleModel { get; } = Path.Combine(RepositoryRoot(), "docs", "examples", "scoring-model.json");

    private static string Find(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "plugins", name, name + ".dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"The test plugin {path} was not built and copied (see Alignment.Cli.Tests.csproj).");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Alignment.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Alignment.sln above {AppContext.BaseDirectory}.");
    }
}
