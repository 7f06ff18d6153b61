using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Alignment.Packaging.Tests;

/// <summary>
/// The engines under NativeAOT: tests/Alignment.Aot.Sample (loads docs/examples/scoring-model.json and scores one lead) is published
/// with PublishAot (trimmed, native code, no JIT), which must report no warning at all (every trim and AOT warning of the
/// libraries would show here), and the native binary must print exactly the scores the same app prints under the JIT, where the
/// model is compiled to IL instead of interpreted.
/// </summary>
public sealed class NativeAotTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(20);

    private readonly string _work = Path.Combine(Path.GetTempPath(), "alignment-aot-" + Guid.NewGuid().ToString("N")[..12]);

    [NativeAotFact]
    public async Task AotSample_PublishedWithNativeAot_HasNoWarningsAndScoresLikeTheJitBuild()
    {
        await NativeToolchain.EnsureInstalledAsync();
        string root = RepositoryRoot();
        string project = Path.Combine(root, "tests", "Alignment.Aot.Sample", "Alignment.Aot.Sample.csproj");
        string model = Path.Combine(root, "docs", "examples", "scoring-model.json");
        string rid = RuntimeInformation.RuntimeIdentifier;

        // Warnings stay warnings here (not errors), so that the assertion below lists every one of them.
        var publish = await DotNetProcess.RunAsync(root, Timeout,
            "publish", project, "-c", "Release", "-r", rid, "-p:PublishAot=true", "-p:TreatWarningsAsErrors=false",
            "--artifacts-path", Path.Combine(_work, "aot"), "-nodeReuse:false", "-tl:off");
        publish.EnsureSuccess();
        var warnings = Warnings(publish.Output);
        Assert.True(warnings.Count == 0, $"The NativeAOT publish reported {warnings.Count} warning(s):{Environment.NewLine}{string.Join(Environment.NewLine, warnings)}");
        string native = Path.Combine(_work, "aot", "publish", "Alignment.Aot.Sample", $"release_{rid}", OperatingSystem.IsWindows() ? "Alignment.Aot.Sample.exe" : "Alignment.Aot.Sample");
        Assert.True(File.Exists(native), $"The publish did not produce {native}:{Environment.NewLine}{publish.Output}");

        (await DotNetProcess.RunAsync(root, Timeout, "build", project, "-c", "Release", "--artifacts-path", Path.Combine(_work, "jit"), "-nodeReuse:false")).EnsureSuccess();
        string jitAssembly = Path.Combine(_work, "jit", "bin", "Alignment.Aot.Sample", "release", "Alignment.Aot.Sample.dll");

        var aotRun = (await DotNetProcess.RunFileAsync(native, root, Timeout, model)).EnsureSuccess();
        var jitRun = (await DotNetProcess.RunAsync(root, Timeout, jitAssembly, model)).EnsureSuccess();

        var aot = Lines(aotRun.Output);
        var jit = Lines(jitRun.Output);
        Assert.Equal("evaluation: interpreted", aot[^1]);
        Assert.Equal("evaluation: compiled to IL", jit[^1]);
        Assert.Matches(@"^score: \d+\.\d\d \(fit ", aot.Single(l => l.StartsWith("score: ", StringComparison.Ordinal)));
        Assert.Equal(jit[..^1], aot[..^1]);
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(_work))
            {
                Directory.Delete(_work, recursive: true);
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

    /// <summary>Every line of build output that reports a warning (MSBuild's "warning XX1234:" and ILC's "warning IL…"), without duplicates.</summary>
    internal static List<string> Warnings(string output) =>
        [.. output.Split('\n').Select(l => l.Trim()).Where(l => Regex.IsMatch(l, @"\bwarning\b", RegexOptions.IgnoreCase) && !Regex.IsMatch(l, @"^0 Warning\(s\)$")).Distinct()];

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

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
