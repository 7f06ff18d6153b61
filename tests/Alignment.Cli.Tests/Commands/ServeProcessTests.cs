using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Alignment.AspNetCore.Webhooks;
using Alignment.Testing;
using Alignment.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Alignment.Cli.Tests.Commands;

/// <summary>
/// <c>alignment serve</c> as a process (<c>dotnet alignment.dll serve</c>) on a free loopback port with a real PostgreSQL: it
/// starts, answers <c>/health</c>, ingests and decides leads over HTTP with the printed key, keeps the default tenant's state in
/// schema <c>t_default</c>, delivers every decision to a registered webhook receiver signed, stops cleanly on SIGTERM, and knows every lead when started again on the same database. Every wait is bounded; the process is killed in any case at the end.
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
            await using var serve = ServeProcess.Start(["serve", "--urls", url, "--postgres", "--allow-private-webhooks"], new Dictionary<string, string>
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

            // A receiver registered for the tenant's webhooks before the leads arrive.
            await using var receiver = await WebhookReceiver.StartAsync();
            string secret;
            using (var subscribe = await http.PostAsync("/v1/webhooks", Json($$"""{ "url": "{{receiver.Url}}" }""")))
            {
                string body = await subscribe.Content.ReadAsStringAsync();
                Assert.True(subscribe.StatusCode == HttpStatusCode.Created, $"{(int)subscribe.StatusCode} {body}");
                secret = (string?)JsonNode.Parse(body)!["secret"] ?? throw new InvalidOperationException("no secret: " + body);
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

                // The ingest answers what it just decided without reading it back: the same handoff, and the same enrolment, as
                // PostgreSQL gives back (to the microsecond). The worker may have sent a nurture step since: compare its start.
                Assert.Equal(WithoutNulls(decision["handoff"]), WithoutNulls(lead["handoff"]));
                Assert.Equal((string?)decision["nurture"]?["track"], (string?)lead["nurture"]?["track"]);
                Assert.Equal((string?)decision["nurture"]?["enrolledAt"], (string?)lead["nurture"]?["enrolledAt"]);
            }

            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/v1/leads/nobody")).StatusCode);

            // Every decision an ingest returned reaches the receiver (at least once), signed with the subscription's secret.
            var expected = decisions.ToDictionary(d => d.Key, d => Expected(d.Value), StringComparer.Ordinal);
            using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                while (!expected.All(e => e.Value.IsSubsetOf(KindsFor(receiver.All, e.Key))))
                {
                    if (deadline.IsCancellationRequested)
                    {
                        var missing = expected.Where(e => !e.Value.IsSubsetOf(KindsFor(receiver.All, e.Key))).Select(e => $"{e.Key}: {string.Join(",", e.Value.Except(KindsFor(receiver.All, e.Key)))}");
                        Assert.Fail($"webhooks missing after 60 s: {string.Join("; ", missing)}\nstderr:\n{serve.Errors}");
                    }

                    await Task.Delay(200);
                }
            }

            var received = receiver.All;
            Assert.All(received, r => Assert.True(WebhookSignature.Verify(secret, r.Signature, r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), $"bad signature on {r.DeliveryId}"));
            Assert.All(received, r => Assert.StartsWith("whdl_", r.DeliveryId, StringComparison.Ordinal));
            Assert.All(received, r => Assert.Equal(r.Event, (string?)JsonNode.Parse(r.Body)!["kind"]));
            foreach (var sameId in received.GroupBy(r => r.DeliveryId))
            {
                Assert.Single(sameId.Select(r => Convert.ToBase64String(r.Body)).Distinct());
            }

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

            // Started again on the same database, it still knows every lead (the lead documents are in t_default too), and a
            // repeat of an ingest updates the lead instead of creating it.
            await using var again = ServeProcess.Start(["serve", "--urls", url, "--postgres", connection, "--allow-private-webhooks"], new Dictionary<string, string> { ["ALIGNMENT_API_KEY"] = Key });
            await again.WaitUntilHealthyAsync(http, StartTimeout);
            foreach (var (id, decision) in decisions)
            {
                using var response = await http.GetAsync($"/v1/leads/{id}");
                string body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{id} after a restart: {(int)response.StatusCode} {body}");
                var lead = JsonNode.Parse(body)!;
                Assert.Equal((string?)decision["stage"], (string?)lead["stage"]);
                Assert.Equal((string?)decision["handoff"]?["rep"], (string?)lead["owner"]);
            }

            // The webhook subscription and the deliveries are in PostgreSQL too (schema alignment_webhooks): the restart kept them.
            using (var listed = await http.GetAsync("/v1/webhooks"))
            {
                string body = await listed.Content.ReadAsStringAsync();
                Assert.True(listed.StatusCode == HttpStatusCode.OK, body);
                Assert.Equal(receiver.Url, (string?)Assert.Single(JsonNode.Parse(body)!.AsArray())!["url"]);
            }

            using (var delivered = await http.GetAsync("/v1/webhooks/deliveries?status=delivered"))
            {
                string body = await delivered.Content.ReadAsStringAsync();
                Assert.True(delivered.StatusCode == HttpStatusCode.OK, body);
                Assert.True(JsonNode.Parse(body)!.AsArray().Count >= received.Select(r => r.DeliveryId).Distinct().Count(), body);
            }

            using (var repeat = await http.PostAsync("/v1/leads", Json(Cold("E-01", now))))
            {
                string body = await repeat.Content.ReadAsStringAsync();
                Assert.True(repeat.StatusCode == HttpStatusCode.OK, body);
                Assert.False((bool?)JsonNode.Parse(body)!["created"]);
            }

            Assert.Equal(0, await again.StopAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
        }
    }

    /// <summary>An object's JSON without its null properties (the ingest's answer leaves them out, the lead's read writes them).</summary>
    private static string? WithoutNulls(JsonNode? node) =>
        node is JsonObject o ? "{" + string.Join(",", o.Where(p => p.Value is not null).Select(p => $"\"{p.Key}\":{WithoutNulls(p.Value)}")) + "}" : node?.ToJsonString();

    [Fact]
    public async Task A_port_in_use_exits_one_with_one_clean_line_and_no_stack_trace()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var serve = ServeProcess.Start(["serve", "--urls", $"http://127.0.0.1:{port}"], new Dictionary<string, string> { ["ALIGNMENT_API_KEY"] = Key });

        int code = await serve.WaitForExitAsync(StartTimeout);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"alignment: error: --urls: cannot listen on http://127.0.0.1:{port}", serve.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", serve.Errors, StringComparison.Ordinal); // the host logged the failure with its stack trace
        Assert.DoesNotContain("fail:", serve.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("URL:", serve.Output, StringComparison.Ordinal);
    }

    /// <summary>The webhook kinds an ingest's answer implies: scored always; segmented, routed, enrolled and stage-changed when it says so.</summary>
    private static HashSet<string> Expected(JsonNode decision)
    {
        var kinds = new HashSet<string>(StringComparer.Ordinal) { "scored" };
        if (decision["segment"] is not null)
        {
            kinds.Add("segmented");
        }

        if (decision["handoff"] is not null)
        {
            kinds.Add("routed");
        }

        if (decision["nurture"] is not null)
        {
            kinds.Add("enrolled");
        }

        if ((string?)decision["stage"] != "Inquiry")
        {
            kinds.Add("stage-changed");
        }

        return kinds;
    }

    internal static HashSet<string> KindsFor(IReadOnlyList<Received> received, string lead) =>
        [.. received.Where(r => (string?)JsonNode.Parse(r.Body)!["leadId"] == lead).Select(r => r.Event)];

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

        /// <summary>Waits for the process to exit by itself (at most <paramref name="timeout"/>) and returns its exit code.</summary>
        public async Task<int> WaitForExitAsync(TimeSpan timeout)
        {
            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"alignment serve did not exit within {timeout.TotalSeconds} s.\nstdout:\n{Output}\nstderr:\n{Errors}");
            }

            return _process.ExitCode;
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

    /// <summary>A webhook receiver on a free loopback port (Kestrel inside the test): keeps every request it gets, answers 200.</summary>
    internal sealed class WebhookReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<Received> _received = new();

        private WebhookReceiver(WebApplication app) => _app = app;

        public string Url { get; private set; } = string.Empty;

        public IReadOnlyList<Received> All => [.. _received];

        public static async Task<WebhookReceiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var receiver = new WebhookReceiver(app);
            app.MapPost("/hook", async (HttpContext context) =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
                receiver._received.Enqueue(new Received(
                    context.Request.Headers["Alignment-Delivery"].ToString(),
                    context.Request.Headers["Alignment-Event"].ToString(),
                    context.Request.Headers["Alignment-Signature"].ToString(),
                    buffer.ToArray()));
                return Results.Ok();
            });
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            receiver.Url = address.TrimEnd('/') + "/hook";
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _app.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }

            await _app.DisposeAsync();
        }
    }

    internal sealed record Received(string DeliveryId, string Event, string Signature, byte[] Body);
}
