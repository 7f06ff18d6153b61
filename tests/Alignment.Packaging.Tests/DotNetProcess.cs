using System.Diagnostics;
using System.Text;

namespace Alignment.Packaging.Tests;

/// <summary>Runs a child process (usually <c>dotnet</c>) with a timeout and captures its output.</summary>
internal static class DotNetProcess
{
    /// <summary>The outcome of a process run.</summary>
    internal sealed record Result(string CommandLine, int ExitCode, string Output)
    {
        /// <summary>Fails the test with the full command line and output unless the process exited with 0.</summary>
        public Result EnsureSuccess()
        {
            Assert.True(ExitCode == 0, $"'{CommandLine}' exited with {ExitCode}:{Environment.NewLine}{Output}");
            return this;
        }
    }

    /// <summary>Runs <c>dotnet</c> with the given arguments.</summary>
    public static Task<Result> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args) =>
        RunFileAsync("dotnet", workingDirectory, timeout, args);

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
