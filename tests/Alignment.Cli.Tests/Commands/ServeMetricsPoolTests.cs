using System.Net;
using System.Text.Json.Nodes;
using Alignment.Testing;
using Npgsql;
using static Alignment.Cli.Tests.Commands.ServeProcessTests;

namespace Alignment.Cli.Tests.Commands;

/// <summary>
/// <c>GET /v1/metrics</c> on PostgreSQL needs one connection at a time: the stored leads are read before their lifecycles and
/// handoffs are looked up, so the list's connection is free by then. With <c>Maximum Pool Size=1</c> a lookup inside the list
/// waited for a second connection until the connection string's <c>Timeout</c> and the request failed; with the pool
/// <c>AlignmentDataSource</c> sizes by default (8 on two cores), as many requests at once as connections did the same.
/// </summary>
public sealed class ServeMetricsPoolTests
{
    private const string Key = "alg_e2e-key-of-the-metrics-tenant-00000000000000";

    [Fact]
    public async Task Metrics_on_PostgreSQL_answer_through_a_pool_of_one_connection()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // the private PostgreSQL cluster is a Linux tool here.
        }

        // A database of its own, on the configured server or a private cluster (the other serve tests use t_default).
        string? configured = Environment.GetEnvironmentVariable("ALIGNMENT_TEST_PG");
        PrivatePostgres? cluster = null;
        string server = !string.IsNullOrWhiteSpace(configured) && await PrivatePostgres.AnswersAsync(configured)
            ? configured
            : (cluster = await PrivatePostgres.CreateAsync()).ConnectionString;
        string database = "serve_metrics_" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            await using (var conn = new NpgsqlConnection(server))
            {
                await conn.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", conn);
                await create.ExecuteNonQueryAsync();
            }

            string connection = new NpgsqlConnectionStringBuilder(server) { Database = database, MaxPoolSize = 1, Timeout = 5 }.ConnectionString;
            string url = $"http://127.0.0.1:{FreePort()}";
            // The connection string through the environment, not the command line (where a password would show in the process list).
            await using var serve = ServeProcess.Start(["serve", "--urls", url, "--postgres"], new Dictionary<string, string>
            {
                ["ALIGNMENT_STORE_CONNECTION"] = connection,
                ["ALIGNMENT_API_KEY"] = Key,
            });
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
            await serve.WaitUntilHealthyAsync(http, TimeSpan.FromSeconds(90));
            http.DefaultRequestHeaders.Add("X-Api-Key", Key);

            var now = DateTimeOffset.UtcNow;
            foreach (string id in new[] { "M-1", "M-2", "M-3" })
            {
                using var ingest = await http.PostAsync("/v1/leads", Json(id == "M-1" ? Hot(id, now) : Cold(id, now)));
                Assert.True(ingest.StatusCode == HttpStatusCode.OK, $"{id}: {(int)ingest.StatusCode} {await ingest.Content.ReadAsStringAsync()}");
            }

            using var metrics = await http.GetAsync("/v1/metrics");
            string body = await metrics.Content.ReadAsStringAsync();
            Assert.True(metrics.StatusCode == HttpStatusCode.OK, $"{(int)metrics.StatusCode} {body}");
            Assert.Equal(3, (int?)JsonNode.Parse(body)!["leads"]);
            Assert.Equal(0, await serve.StopAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
            else
            {
                await using var conn = new NpgsqlConnection(server);
                await conn.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", conn);
                await drop.ExecuteNonQueryAsync();
            }
        }
    }
}
