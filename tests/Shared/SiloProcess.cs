using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Alignment.Testing;

/// <summary>
/// One silo of a real cluster in its own process (tests/Alignment.Orleans.SiloHost, built beside the assembly that links this
/// file, or found in its own bin folder under the repository), on free loopback ports, with its membership and grain state in Redis. <see cref="Kill"/> ends it with SIGKILL; disposing kills it if it still
/// runs. Its output is kept for the failure message of a silo that does not start.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SiloProcess(Process process, int siloPort, int gatewayPort)
    {
        _process = process;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    /// <summary>The silo-to-silo port on 127.0.0.1.</summary>
    public int SiloPort { get; }

    /// <summary>The client gateway port on 127.0.0.1.</summary>
    public int GatewayPort { get; }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Starts a silo and returns once it prints that it joined the cluster (at most 60 s).</summary>
    public static async Task<SiloProcess> StartAsync(string redis, string cluster, string service)
    {
        string host = FindHost();

        int siloPort = FreePort();
        int gatewayPort = FreePort();
        // Standard input is a pipe this process holds: the silo stops when it closes (this process gone).
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])[host, "--redis", redis, "--cluster", cluster, "--service", service,
                     "--silo-port", siloPort.ToString(CultureInfo.InvariantCulture), "--gateway-port", gatewayPort.ToString(CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var silo = new SiloProcess(process, siloPort, gatewayPort);
        process.OutputDataReceived += (_, e) => silo.Receive(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Receive(e.Data);
        process.Exited += (_, _) => silo._ready.TrySetException(new InvalidOperationException($"The silo exited with code {process.ExitCode} before it was ready. Its output:\n{silo.Log}"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await silo._ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            await silo.DisposeAsync();
            throw new InvalidOperationException($"The silo on port {siloPort} was not ready within 60 s. Its output:\n{silo.Log}");
        }

        return silo;
    }

    /// <summary>What the silo printed.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Ends the silo with SIGKILL, as a crash of its machine would, and waits for the process to be gone.</summary>
    public async Task Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Kill();
        _process.Dispose();
    }

    private void Receive(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.Length < 64 * 1024)
            {
                _log.AppendLine(line);
            }
        }

        if (line.StartsWith("ready ", StringComparison.Ordinal))
        {
            _ready.TrySetResult(line);
        }
    }

    private static string FindHost()
    {
        const string Name = "Alignment.Orleans.SiloHost.dll";
        string beside = Path.Combine(AppContext.BaseDirectory, Name);
        if (File.Exists(beside))
        {
            return beside;
        }

        // A benchmark's generated process runs from a folder of its own under the benchmark project's output.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (string configuration in (string[])["Release", "Debug"])
            {
                string candidate = Path.Combine(dir.FullName, "tests", "Alignment.Orleans.SiloHost", "bin", configuration, "net10.0", Name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException($"{Name} is missing beside {AppContext.BaseDirectory} and under the repository: build tests/Alignment.Orleans.SiloHost (the projects that start silos reference it).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
