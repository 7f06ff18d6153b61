namespace Alignment.Docs.Tests;

/// <summary>The layout promise of issue 15: every source file of the SDK does one job, and none grows past 600 lines.</summary>
public sealed class SourceLayoutTests
{
    private const int MaxLines = 600;

    [Fact]
    public void No_source_file_under_src_is_longer_than_600_lines()
    {
        var files = Directory.EnumerateFiles(RepositoryFiles.PathOf("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);

        var tooLong = files
            .Select(f => (File: Path.GetRelativePath(RepositoryFiles.Root, f), Lines: File.ReadLines(f).Count()))
            .Where(x => x.Lines > MaxLines)
            .Select(x => $"{x.File}: {x.Lines} lines")
            .ToList();
        Assert.True(tooLong.Count == 0, $"Split these along their seams (at most {MaxLines} lines each): {string.Join("; ", tooLong)}");
    }
}
