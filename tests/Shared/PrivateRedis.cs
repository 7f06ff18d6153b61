using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Alignment.Testing;

/// <summary>
/// A private Redis server for tests and benchmarks (linked as source into the projects that need one): installs Debian's
/// redis-server with apt-get when missing (as root), starts it on a free loopback port with its append-only file in a temporary
/// directory, and answers PING before it is returned. <see cref="KillAsync"/> ends the process with SIGKILL and
/// <see cref="StartAsync"/> starts it again on the same port and files (the store-restart fault test); <see cref="DisposeAsync"/>
/// stops it and deletes its files.
/// </summary>
internal sealed class PrivateRedis : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _binary;
    private readonly bool _fsyncEveryWrite;
    private Process? _process;

    private PrivateRedis(string dir, string binary, int port, bool fsyncEveryWrite)
    {
        _dir = dir;
        _binary = binary;
        Port = port;
        _fsyncEveryWrite = fsyncEveryWrite;
    }

    /// <summary>The server's loopback port.</summary>
    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string of the server.</summary>
    public string Configuration => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=2000,syncTimeout=5000";

    /// <summary>Creates and starts a server.</summary>
    /// <param name="fsyncEveryWrite">
    /// <see langword="true"/> for <c>appendfsync always</c>, as in production (an acknowledged write survives a crash of the
    /// machine); <see langword="false"/> for <c>appendfsync no</c> (written to the file at once, flushed by the OS: it survives a
    /// crash of the server process, as the benchmarks' PostgreSQL without fsync does).
    /// </param>
    public static async Task<PrivateRedis> CreateAsync(bool fsyncEveryWrite = true)
    {
        string binary = Find();
        string dir = Path.Combine(Path.GetTempPath(), "alignment-redis-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var redis = new PrivateRedis(dir, binary, FreePort(), fsyncEveryWrite);
        await redis.StartAsync();
        return redis;
    }

    /// <summary>Starts the server (again) on its port and files; returns once it answers PING.</summary>
    public async Task StartAsync()
    {
        var info = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])
            ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _dir,
             "--appendonly", "yes", "--appendfsync", _fsyncEveryWrite ? "always" : "no", "--save", "", "--protected-mode", "yes",
             "--daemonize", "no", "--logfile", Path.Combine(_dir, "redis.log")])
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await PingAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                string log = File.Exists(Path.Combine(_dir, "redis.log")) ? await File.ReadAllTextAsync(Path.Combine(_dir, "redis.log")) : "";
                throw new InvalidOperationException($"redis-server on port {Port} did not answer PING within 30 s. Its log:\n{log}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Ends the server with SIGKILL, as a crash would, and waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the directory is under the temporary folder.
        }
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[64];
            int read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static string Find()
    {
        foreach (string candidate in (string[])["/usr/bin/redis-server", "/usr/local/bin/redis-server"])
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("redis-server is not installed; install Debian's redis-server package (apt-get install redis-server).");
        }

        using var install = Process.Start(new ProcessStartInfo("bash")
        {
            ArgumentList = { "-c", "apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq redis-server" },
            UseShellExecute = false,
        })!;
        install.WaitForExit();
        return File.Exists("/usr/bin/redis-server")
            ? "/usr/bin/redis-server"
            : throw new InvalidOperationException($"apt-get install redis-server exited {install.ExitCode} and redis-server was not found.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
