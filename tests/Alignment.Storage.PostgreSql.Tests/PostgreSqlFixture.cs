using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests;

/// <summary>
/// A real PostgreSQL server for the tests. Uses the server at ALIGNMENT_TEST_PG when one answers there; otherwise installs
/// PostgreSQL when missing (apt-get), starts a private cluster (initdb into a temp dir as the postgres OS user, a free port),
/// creates a database, and stops and deletes the cluster at the end. It never skips: no server means the tests fail.
/// </summary>
public sealed class PostgreSqlFixture : IAsyncLifetime
{
    private string? _clusterDir;
    private string? _pgCtl;
    private bool _root;

    public string ConnectionString { get; private set; } = string.Empty;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        string? configured = Environment.GetEnvironmentVariable("ALIGNMENT_TEST_PG");
        if (!string.IsNullOrWhiteSpace(configured) && await AnswersAsync(configured))
        {
            ConnectionString = configured;
        }
        else
        {
            ConnectionString = await StartPrivateClusterAsync();
        }

        DataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(ConnectionString) { MaxPoolSize = 40 }.ConnectionString);
    }

    /// <summary>A fresh schema name for one test, so tests do not see each other's rows.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..16];

    public async Task DisposeAsync()
    {
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        if (_clusterDir is not null && _pgCtl is not null)
        {
            Run(_pgCtl, ["-D", Path.Combine(_clusterDir, "data"), "-m", "immediate", "-w", "stop"], asPostgres: _root, throwOnError: false);
            try
            {
                Directory.Delete(_clusterDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<bool> AnswersAsync(string connectionString)
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

    private async Task<string> StartPrivateClusterAsync()
    {
        string? initdb = FindPostgresBinary("initdb");
        if (initdb is null)
        {
            Run("bash", ["-c", "apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql"], asPostgres: false, throwOnError: true);
            initdb = FindPostgresBinary("initdb") ?? throw new InvalidOperationException("PostgreSQL was installed but initdb was not found.");
        }

        _pgCtl = Path.Combine(Path.GetDirectoryName(initdb)!, "pg_ctl");
        _root = Environment.UserName == "root";
        _clusterDir = Path.Combine(Path.GetTempPath(), "alignment-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_clusterDir);
        string data = Path.Combine(_clusterDir, "data");
        if (_root)
        {
            Run("chown", ["postgres:postgres", _clusterDir], asPostgres: false, throwOnError: true);
        }

        Run(initdb, ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"], asPostgres: _root, throwOnError: true);
        int port = FreePort();
        string options = $"-p {port} -k {_clusterDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        Run(_pgCtl, ["-D", data, "-o", options, "-l", Path.Combine(_clusterDir, "server.log"), "-w", "-t", "60", "start"], asPostgres: _root, throwOnError: true);

        string admin = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("CREATE DATABASE alignment_test", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        return $"Host=127.0.0.1;Port={port};Username=postgres;Database=alignment_test";
    }

    private static string? FindPostgresBinary(string name)
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

[CollectionDefinition(Name)]
public sealed class PostgreSqlServer : ICollectionFixture<PostgreSqlFixture>
{
    public const string Name = "PostgreSQL";
}
