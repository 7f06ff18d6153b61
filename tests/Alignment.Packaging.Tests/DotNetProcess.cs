using System.Diagnostics;
using System.Text;

namespace Alignment.Packaging.Tests;

/// <summary>Runs a child process (usually <c>dotnet</c>) with a timeout and captures its output.</summary>
internal static class DotNetProcess
{
    /// <summary>The outcome of a process run.</summary>
    internal sealed record Result(string CommandLine, int ExitCode, string Output)
    {
        /// <summary>
        /// The output of the attempts before this one, when <see cref="RunAsync"/> ran the command again after a restore that
        /// failed without an error; empty otherwise. Apart from <see cref="Output"/>, which callers parse.
        /// </summary>
        public string EarlierAttempts { get; init; } = "";

        /// <summary>Fails the test with the full command line and output (every attempt's) unless the process exited with 0.</summary>
        public Result EnsureSuccess()
        {
            Assert.True(ExitCode == 0, $"'{CommandLine}' exited with {ExitCode}:{Environment.NewLine}{EarlierAttempts}{Output}");
            return this;
        }
    }

    /// <summary>How many times a <c>dotnet</c> command whose NuGet restore failed without naming an error is run in all.</summary>
    internal const int RestoreAttempts = 3;

    /// <summary>The <c>dotnet</c> commands that restore through MSBuild, the only ones <see cref="RunAsync"/> runs again.</summary>
    private static readonly HashSet<string> RestoringVerbs = new(StringComparer.Ordinal) { "restore", "build", "pack", "publish", "test" };

    /// <summary>
    /// Runs <c>dotnet</c> with the given arguments. A restoring command (restore, build, pack, publish, test) whose restore
    /// failed without logging any error (MSBuild's MSB4181 for NuGet's <c>RestoreTask</c>, seen once in CI while other test
    /// projects built beside the packaging tests) is run again with the same arguments, at most <see cref="RestoreAttempts"/>
    /// times in all; the result is the last attempt's, with the earlier ones' output in <see cref="Result.EarlierAttempts"/>.
    /// Any other failure, and any other command (such as <c>dotnet app.dll</c>), is returned at once.
    /// </summary>
    public static Task<Result> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args) =>
        RetrySilentRestoreFailuresAsync(() => RunFileAsync("dotnet", workingDirectory, timeout, args), args, attempt => TimeSpan.FromSeconds(2 * attempt));

    /// <summary>The retry of <see cref="RunAsync"/>, apart from the process so that it can be tested.</summary>
    internal static async Task<Result> RetrySilentRestoreFailuresAsync(Func<Task<Result>> run, string[] args, Func<int, TimeSpan> pause)
    {
        bool restoring = args.Length > 0 && RestoringVerbs.Contains(args[0]);
        var earlier = new StringBuilder();
        for (int attempt = 1; ; attempt++)
        {
            var result = await run();
            if (result.ExitCode == 0 || !restoring || attempt == RestoreAttempts || !IsSilentRestoreFailure(result.Output))
            {
                return earlier.Length == 0 ? result : result with { EarlierAttempts = earlier.ToString() };
            }

            earlier.AppendLine($"--- attempt {attempt} of {RestoreAttempts}: the restore failed without an error; running again ---")
                .Append(result.Output)
                .AppendLine($"--- attempt {attempt + 1} of {RestoreAttempts} ---");
            await Task.Delay(pause(attempt));
        }
    }

    /// <summary>Whether the output is that of a NuGet restore that failed without logging an error of its own.</summary>
    internal static bool IsSilentRestoreFailure(string output) =>
        output.Contains("error MSB4181", StringComparison.Ordinal) && output.Contains("\"RestoreTask\"", StringComparison.Ordinal);

    /// <summary>Runs an executable with the given arguments; standard output and error are captured together.</summary>
    public static async Task<Result> RunFileAsync(string fileName, string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";

        string commandLine = $"{fileName} {string.Join(' ', args)}";
        var output = new StringBuilder();
        var outputClosed = new TaskCompletionSource();
        var errorClosed = new TaskCompletionSource();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data, outputClosed);
        process.ErrorDataReceived += (_, e) => Append(e.Data, errorClosed);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // The int overload returns when the process exits, without waiting for grandchildren (such as a compiler server)
        // that may hold the output pipes open; those get a short grace period below.
        bool exited = await Task.Run(() => process.WaitForExit((int)timeout.TotalMilliseconds));
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{commandLine}' did not finish within {timeout}:{Environment.NewLine}{Snapshot()}");
        }

        await Task.WhenAny(Task.WhenAll(outputClosed.Task, errorClosed.Task), Task.Delay(TimeSpan.FromSeconds(5)));
        return new Result(commandLine, process.ExitCode, Snapshot());

        void Append(string? line, TaskCompletionSource closed)
        {
            if (line is null)
            {
                closed.TrySetResult();
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }
        }

        string Snapshot()
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }
}
