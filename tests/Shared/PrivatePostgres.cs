using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Alignment.Testing;

/// <summary>
/// A private PostgreSQL cluster for tests and benchmarks (linked as source into the projects that need one): installs PostgreSQL
/// with apt-get when missing, runs initdb into a temporary directory (as the postgres OS user when running as root), starts the
/// server on a free loopback port, and creates a database. <see cref="StopImmediateAsync"/> and <see cref="StartAsync"/> stop and
/// restart the same cluster (the fault tests' server crash); <see cref="DisposeAsync"/> stops it and deletes its files.
/// </summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _clusterDir;
    private readonly string _pgCtl;
    private readonly bool _root;
    private readonly int _port;
    private readonly bool _durableCommits;

    private PrivatePostgres(string clusterDir, string pgCtl, bool root, int port, bool durableCommits)
    {
        _clusterDir = clusterDir;
        _pgCtl = pgCtl;
        _root = root;
        _port = port;
        _durableCommits = durableCommits;
    }

    /// <summary>The connection string of the cluster's database (loopback, trust authentication).</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=alignment_test";

    /// <summary>Creates, starts and prepares a new cluster.</summary>
    /// <param name="durableCommits">
    /// <see langword="true"/> for a server that acknowledges a commit only once its WAL is written (<c>synchronous_commit=on</c>),
    /// as in production: a crash test needs it, because with it off an immediate stop loses commits the clients were told
    /// succeeded. <see langword="false"/> (faster) for everything else.
    /// </param>
    public static async Task<PrivatePostgres> CreateAsync(bool durableCommits = false)
    {
        string? initdb = FindBinary("initdb");
        if (initdb is null)
        {
            Run("bash", ["-c", "apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql"], asPostgres: false, throwOnError: true);
            initdb = FindBinary("initdb") ?? throw new InvalidOperationException("PostgreSQL was installed but initdb was not found.");
        }

        bool root = Environment.UserName == "root";
        string dir = Path.Combine(Path.GetTempPath(), "alignment-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        if (root)
        {
            Run("chown", ["postgres:postgres", dir], asPostgres: false, throwOnError: true);
        }

        Run(initdb, ["-D", Path.Combine(dir, "data"), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"], asPostgres: root, throwOnError: true);
        var cluster = new PrivatePostgres(dir, Path.Combine(Path.GetDirectoryName(initdb)!, "pg_ctl"), root, FreePort(), durableCommits);
        await cluster.StartAsync();
        await using var conn = new NpgsqlConnection($"Host=127.0.0.1;Port={cluster._port};Username=postgres;Database=postgres;Pooling=false");
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("CREATE DATABASE alignment_test", conn);
        await cmd.ExecuteNonQueryAsync();
        return cluster;
    }

    /// <summary>Whether a server answers at <paramref name="connectionString"/> within five seconds.</summary>
    public static async Task<bool> AnswersAsync(string connectionString)
    {
        try
        {
            await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5 }.ConnectionString);
            await conn.OpenAsync();
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Starts the (stopped) server and waits until it accepts connections (at most 60 s).</summary>
    public Task StartAsync()
    {
        string options = $"-p {_port} -k {_clusterDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit={(_durableCommits ? "on" : "off")} -c full_page_writes=off -c max_connections=200";
        Run(_pgCtl, ["-D", Path.Combine(_clusterDir, "data"), "-o", options, "-l", Path.Combine(_clusterDir, "server.log"), "-w", "-t", "60", "start"], asPostgres: _root, throwOnError: true);
        return Task.CompletedTask;
    }

    /// <summary>Stops the server the way a crash does (<c>pg_ctl stop -m immediate</c>): no checkpoint, every connection cut.</summary>
    public Task StopImmediateAsync()
    {
        Run(_pgCtl, ["-D", Path.Combine(_clusterDir, "data"), "-m", "immediate", "-w", "stop"], asPostgres: _root, throwOnError: true);
        return Task.CompletedTask;
    }

    /// <summary>Stops the server and deletes the cluster.</summary>
    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        Run(_pgCtl, ["-D", Path.Combine(_clusterDir, "data"), "-m", "immediate", "-w", "stop"], asPostgres: _root, throwOnError: false);
        try
        {
            Directory.Delete(_clusterDir, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private static string? FindBinary(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            foreach (var version in Directory.GetDirectories(root).OrderByDescending(d => int.TryParse(Path.GetFileName(d), out int v) ? v : 0))
            {
                string candidate = Path.Combine(version, "bin", name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void Run(string file, string[] args, bool asPostgres, bool throwOnError)
    {
        var psi = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                psi.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0 && throwOnError)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {stderr.Result}{stdout.Result}");
        }
    }
}
