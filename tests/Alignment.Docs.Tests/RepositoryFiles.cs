namespace Alignment.Docs.Tests;

/// <summary>Finds files of the repository (docs/, README.md, benchmarks/) from the test assembly's directory. Also compiled into Alignment.Scoring.Tests.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder that holds Alignment.sln.</summary>
    public static string Root => RootPath.Value;

    /// <summary>A path below the repository root, written with forward slashes.</summary>
    public static string PathOf(string relative) => Path.Combine([Root, .. relative.Split('/')]);

    /// <summary>Reads a file below the repository root.</summary>
    public static string Read(string relative)
    {
        string path = PathOf(relative);
        Assert.True(File.Exists(path), $"{relative} is missing (looked for {path}).");
        return File.ReadAllText(path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Alignment.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} contains Alignment.sln.");
    }
}
