namespace Alignment.Cli.Tests;

/// <summary>A temporary folder for a test's input and output files; deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "alignment-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes a file (lines joined with \n) and returns its full path.</summary>
    public string Write(string name, params string[] lines)
    {
        string file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, string.Join("\n", lines) + "\n");
        return file;
    }

    public string File_(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>The names of every file in the folder (to check nothing partial or temporary was left behind).</summary>
    public string[] Files() => [.. Directory.GetFiles(Path).Select(f => System.IO.Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
