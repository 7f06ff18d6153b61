using System.Xml.Linq;

namespace Alignment.Packaging.Tests;

/// <summary>
/// Packs every project under src/ once into a temporary local feed, with a unique prerelease version so that a package
/// left in the NuGet cache by an earlier run can never stand in for the one just packed. Build outputs go to a temporary
/// artifacts folder, so packing does not touch the bin/obj folders a concurrent build or test run is using.
/// </summary>
public sealed class PackedFeedFixture : IAsyncLifetime
{
    /// <summary>How long one pack of one project may take on a busy machine.</summary>
    internal static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The repository root (the folder holding Alignment.sln).</summary>
    public string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The temporary folder everything in this run lives in.</summary>
    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), "alignment-packaging-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>The local feed the packages are written to.</summary>
    public string FeedDirectory => Path.Combine(WorkDirectory, "feed");

    /// <summary>The version the packages were packed with, for example <c>0.1.0-pkgtest.1a2b3c4d</c>.</summary>
    public string Version { get; private set; } = "";

    /// <summary>The package ids packed (one per src project).</summary>
    public IReadOnlyList<string> PackedIds { get; private set; } = [];

    /// <summary>The path of a packed package.</summary>
    public string PackagePath(string id) => Path.Combine(FeedDirectory, $"{id}.{Version}.nupkg");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(FeedDirectory);
        Version = $"{ReadBaseVersion()}-pkgtest.{Guid.NewGuid().ToString("N")[..8]}";
        var ids = new List<string>();
        foreach (var project in Directory.GetFiles(Path.Combine(RepositoryRoot, "src"), "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var result = await DotNetProcess.RunAsync(
                RepositoryRoot,
                PackTimeout,
                "pack", project, "-c", "Release",
                "--artifacts-path", Path.Combine(WorkDirectory, "artifacts"),
                "-o", FeedDirectory,
                $"-p:Version={Version}",
                "-nodeReuse:false");
            result.EnsureSuccess();
            ids.Add(Path.GetFileNameWithoutExtension(project));
        }

        PackedIds = ids;
    }

    public Task DisposeAsync()
    {
        TryDelete(WorkDirectory);

        // The consumer restore put this run's unique version into the global packages folder: take it out again.
        string globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in PackedIds)
        {
            string idDirectory = Path.Combine(globalPackages, id.ToLowerInvariant());
            TryDelete(Path.Combine(idDirectory, Version.ToLowerInvariant()));
            if (Directory.Exists(idDirectory) && !Directory.EnumerateFileSystemEntries(idDirectory).Any())
            {
                TryDelete(idDirectory);
            }
        }

        return Task.CompletedTask;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary folder does not make the test wrong.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string ReadBaseVersion()
    {
        var props = XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props"));
        string? version = props.Descendants("Version").Select(e => e.Value.Trim()).FirstOrDefault(v => v.Length > 0);
        Assert.False(version is null, "Directory.Build.props has no <Version>.");
        return version;
    }

    private static string FindRepositoryRoot()
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
