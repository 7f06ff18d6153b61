using System.Diagnostics;

namespace Alignment.Cli.Tests.Demo;

/// <summary>Debian's Chromium, which the browser test drives; installed with apt-get when missing (CI runs as root).</summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static readonly string[] Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

    private static readonly Lazy<string> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Returns the executable, installing the package first when it is missing; throws (never skips) when that fails.</summary>
    public static string EnsureInstalled() => Installed.Value;

    private static string Install()
    {
        if (File.Exists(ExecutablePath))
        {
            return ExecutablePath;
        }

        var start = new ProcessStartInfo("bash", ["-c", "apt-get -o DPkg::Lock::Timeout=600 update && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y chromium"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash to install Chromium.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("Installing Chromium with apt-get took more than 10 minutes.");
        }

        if (process.ExitCode != 0 || !File.Exists(ExecutablePath))
        {
            string tail = (output.Result + error.Result)[^Math.Min(2000, output.Result.Length + error.Result.Length)..];
            throw new InvalidOperationException($"Chromium is not at {ExecutablePath} and 'apt-get install -y chromium' failed (exit {process.ExitCode}): {tail}");
        }

        return ExecutablePath;
    }
}
