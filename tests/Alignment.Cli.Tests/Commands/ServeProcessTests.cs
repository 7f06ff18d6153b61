using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Alignment.Testing;
using Npgsql;

namespace Alignment.Cli.Tests.Commands;

/// <summary>
/// <c>alignment serve</c> as a process (<c>dotnet alignment.dll serve</c>) on a free loopback port with a real PostgreSQL: it
/// starts, answers <c>/health</c>, ingests and decides leads over HTTP with the printed key, keeps the default tenant's state in
/// schema <c>t_default</c>, and stops cleanly on SIGTERM. Every wait is bounded; the process is killed in any case at the end.
/// </summary>
public sealed class ServeProcessTests
{
    private const string Key = "alg_e2e-key-of-the-default-tenant-000000000000000";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Serve_on_PostgreSQL_decides_leads_over_HTTP_and_stops_on_SIGTERM()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // SIGTERM and the private PostgreSQL cluster are Linux tools here.
        }

        string? configured = Environment.GetEnvironmentVariable("ALIGNMENT_TEST_PG");
        PrivatePostgres? cluster = null;
        string connection;
        if (!string.IsNullOrWhiteSpace(configured) && await PrivatePostgres.AnswersAsync(configured))
        {
            // A shared server: start from an empty t_default.
            connection = configured;
            await using var conn = new NpgsqlConnection(connection);
            await conn.OpenAsync();
            await using var drop = new NpgsqlCommand("DROP SCHEMA IF EXISTS t_default CASCADE", conn);
            await drop.ExecuteNonQueryAsync();
        }
        else
        {
            cluster = await PrivatePostgres.CreateAsync();
            connection = cluster.ConnectionString;
        }

        try
        {
            int port = FreePort();
            string url = $"http://127.0.0.1:{port}";
            await using var serve = ServeProcess.Start(["serve", "--urls", url, "--postgres"], new Dictionary<string, string>
            {
                ["ALIGNMENT_STORE_CONNECTION"] = connection,
                ["ALIGNMENT_API_KEY"] = Key,
            });
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
            await serve.WaitUntilHealthyAsync(http, StartTimeout);

            string printed = serve.Output;
            Assert.Contains($"URL:      {url}\n", printed, StringComparison.Ordinal);
            Assert.Contains($"OpenAPI:  {url}/openapi/v1.json\n", printed, StringComparison.Ordinal);
            Assert.Contains("API key:  the one in ALIGNMENT_API_KEY\n", printed, StringComparison.Ordinal);
            Assert.Contains("Stores:   PostgreSQL, schema t_default", printed, StringComparison.Ordinal);
            Assert.DoesNotContain(Key, printed, StringComparison.Ordinal);

            // Without the key: 401 on the Alignment endpoints and on the bare one; the OpenAPI document and /health need none.
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/v1/leads", Json("{}"))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/v1/bare", Json("{}"))).StatusCode);
            var openApi = await http.GetStringAsync("/openapi/v1.json");
            Assert.Contains("\"/v1/leads\"", openApi, StringComparison.Ordinal);
            Assert.DoesNotContain("/v1/bare", openApi, StringComparison.Ordinal);

            http.DefaultRequestHeaders.Add("X-Api-Key", Key);
            using (var bare = await http.PostAsync("/v1/bare", Json(Hot("bare", DateTimeOffset.UtcNow))))
            {
                Assert.Equal(HttpStatusCode.OK, bare.StatusCode);
                Assert.Equal("""{"ok":true}""", await bare.Content.ReadAsStringAsync());
            }

            // 50 leads, every third one hot: hot ones go to sales with an SLA, cold ones on a nurture track.
            var now = DateTimeOffset.UtcNow;
            var decisions = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
            for (int i = 0; i < 50; i++)
            {
                string id = $"E-{i:00}";
                bool hot = i % 3 == 0;
                using var response = await http.PostAsync("/v1/leads", Json(hot ? Hot(id, now) : Cold(id, now)));
                string body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{id}: {(int)response.StatusCode} {body}");
                var decision = JsonNode.Parse(body)!;
                decisions[id] = decision;
                Assert.Equal(id, (string?)decision["leadId"]);
                Assert.True((bool?)decision["created"]);
                if (hot)
                {
                    Assert.Equal("Hot", (string?)decision["score"]!["state"]);
                    Assert.Equal("MarketingQualified", (string?)decision["stage"]);
                    Assert.Equal("enterprise", (string?)decision["segment"]!["id"]);
                    Assert.NotNull(decision["handoff"]);
                    Assert.Null(decision["nurture"]);
                }
                else
                {
                    Assert.Equal("NotQualified", (string?)decision["score"]!["state"]);
                    Assert.Null(decision["handoff"]);
                    Assert.Equal("welcome", (string?)decision["nurture"]!["track"]);
                }
            }

            foreach (var (id, decision) in decisions)
            {
                using var response = await http.GetAsync($"/v1/leads/{id}");
                string body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{id}: {(int)response.StatusCode} {body}");
                var lead = JsonNode.Parse(body)!;
                Assert.Equal((string?)decision["stage"], (string?)lead["stage"]);
                Assert.Equal((decimal?)decision["score"]!["total"], (decimal?)lead["score"]!["total"]);
                Assert.Equal((string?)decision["handoff"]?["rep"], (string?)lead["owner"]);
            }

            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/v1/leads/nobody")).StatusCode);

            // The default tenant's state is in its own schema.
            await using (var conn = new NpgsqlConnection(connection))
            {
                await conn.OpenAsync();
                await using var count = new NpgsqlCommand("SELECT count(*) FROM t_default.lead_lifecycle", conn);
                Assert.Equal(50L, (long)(await count.ExecuteScalarAsync())!);
            }

            int code = await serve.StopAsync(TimeSpan.FromSeconds(30));
            Assert.True(code == 0, $"exit {code}\n{serve.Errors}");
            Assert.EndsWith("alignment serve: stopped.\n", serve.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("fail:", serve.Errors, StringComparison.Ordinal);
            Assert.DoesNotContain("crit:", serve.Errors, StringComparison.Ordinal);
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
        }
    }

    /// <summary>A VP of a US software enterprise who asked for a demo and read the pricing page: hot.</summary>
    internal static string Hot(string id, DateTimeOffset at) => $$"""
        {
          "id": "{{id}}",
          "person": { "email": "{{id}}@globex.example", "jobTitle": "VP Sales", "seniority": "VP", "department": "Sales" },
          "company": { "name": "Globex", "industry": "Software", "employeeCount": 2400, "country": "US" },
          "source": "Web",
          "createdAt": "{{at.AddDays(-3):O}}",
          "activities": [
            { "type": "pageView", "at": "{{at.AddDays(-2):O}}", "url": "https://brightwave.example/pricing" },
            { "type": "demoRequested", "at": "{{at.AddHours(-1):O}}" }
          ]
        }
        """;

    /// <summary>A student at a tiny company with one web visit: far below MQL.</summary>
    internal static string Cold(string id, DateTimeOffset at) => $$"""
        {
          "id": "{{id}}",
          "person": { "jobTitle": "Student" },
          "company": { "name": "Tiny", "employeeCount": 3, "country": "US" },
          "source": "Web",
          "createdAt": "{{at.AddDays(-1):O}}",
          "activities": [ { "type": "webVisit", "at": "{{at.AddHours(-2):O}}" } ]
        }
        """;

    internal static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The tool run as a process (<c>dotnet alignment.dll</c> from the test's output), its output collected; killed on dispose if still running.</summary>
    internal sealed class ServeProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _out = new();
        private readonly StringBuilder _error = new();

        private ServeProcess(Process process) => _process = process;

        public string Output
        {
            get
            {
                lock (_out)
                {
                    return _out.ToString();
                }
            }
        }

        public string Errors
        {
            get
            {
                lock (_error)
                {
                    return _error.ToString();
                }
            }
        }

        public static ServeProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "alignment.dll"));
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            var process = new Process { StartInfo = start };
            var serve = new ServeProcess(process);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (serve._out)
                    {
                        serve._out.Append(e.Data).Append('\n');
                    }
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (serve._error)
                    {
                        serve._error.Append(e.Data).Append('\n');
                    }
                }
            };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return serve;
        }

        /// <summary>Polls <c>/health</c> until it answers 200 and the summary is printed; fails if the process exits first or the time runs out.</summary>
        public async Task WaitUntilHealthyAsync(HttpClient http, TimeSpan timeout)
        {
            using var deadline = new CancellationTokenSource(timeout);
            while (true)
            {
                if (_process.HasExited)
                {
                    Assert.Fail($"alignment serve exited with {_process.ExitCode} before it was healthy.\nstdout:\n{Output}\nstderr:\n{Errors}");
                }

                try
                {
                    using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(probe.Token, deadline.Token);
                    using var response = await http.GetAsync("/health", linked.Token);
                    if (response.StatusCode == HttpStatusCode.OK && Output.Contains("Stop with Ctrl+C.", StringComparison.Ordinal))
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                {
                }

                if (deadline.IsCancellationRequested)
                {
                    Assert.Fail($"alignment serve was not healthy within {timeout.TotalSeconds} s.\nstdout:\n{Output}\nstderr:\n{Errors}");
                }

                await Task.Delay(200);
            }
        }

        /// <summary>Sends SIGTERM and waits for the exit (at most <paramref name="timeout"/>).</summary>
        public async Task<int> StopAsync(TimeSpan timeout)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"alignment serve did not stop within {timeout.TotalSeconds} s of SIGTERM.\nstderr:\n{Errors}");
            }

            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await _process.WaitForExitAsync(deadline.Token);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
            {
            }
            finally
            {
                _process.Dispose();
            }
        }
    }
}
