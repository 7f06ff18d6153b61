using System.Net;
using System.Text.Json.Nodes;
using Alignment.Testing;
using Npgsql;
using Xunit.Abstractions;
using static Alignment.Cli.Tests.Commands.ServeProcessTests;

namespace Alignment.Cli.Tests.Commands;

/// <summary>
/// Two <c>alignment serve</c> processes on loopback that share one PostgreSQL database (<c>--postgres</c>) and one Orleans cluster
/// (<c>--orleans</c>, membership and grain state in a private Redis server): switched to the cluster by their command line alone,
/// they keep every routing decision in it and give each lead one owner, whichever server a lead is sent to.
/// </summary>
public sealed class ServeClusterTests(ITestOutputHelper output)
{
    private const string Key = "alg_e2e-key-of-the-cluster-tenant-00000000000000";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Two_servers_in_one_cluster_give_each_lead_one_owner_and_keep_routing_state_in_the_cluster()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // the private PostgreSQL cluster and Redis server are Debian packages here.
        }

        await using var postgres = await PrivatePostgres.CreateAsync();
        await using var redis = await PrivateRedis.CreateAsync(fsyncEveryWrite: false);
        var environment = new Dictionary<string, string> { ["ALIGNMENT_API_KEY"] = Key };
        var urls = new[] { $"http://127.0.0.1:{FreePort()}", $"http://127.0.0.1:{FreePort()}" };
        var servers = new List<ServeProcess>();
        try
        {
            foreach (string url in urls)
            {
                servers.Add(ServeProcess.Start(
                    ["serve", "--urls", url, "--postgres", postgres.ConnectionString, "--orleans", $"127.0.0.1:{redis.Port}", "--allow-private-webhooks",
                     "--silo-port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--gateway-port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)],
                    environment));
            }

            var clients = urls.Select(u => new HttpClient { BaseAddress = new Uri(u), Timeout = TimeSpan.FromSeconds(60) }).ToArray();
            for (int i = 0; i < servers.Count; i++)
            {
                await servers[i].WaitUntilHealthyAsync(clients[i], StartTimeout);
                Assert.Contains("Cluster:  Orleans silo 127.0.0.1:", servers[i].Output, StringComparison.Ordinal);
                clients[i].DefaultRequestHeaders.Add("X-Api-Key", Key);
            }

            // A receiver registered for the tenant's webhooks (kept in the shared PostgreSQL) before the leads arrive.
            await using var receiver = await WebhookReceiver.StartAsync();
            using (var subscribe = await clients[0].PostAsync("/v1/webhooks", Json($$"""{ "url": "{{receiver.Url}}" }""")))
            {
                Assert.True(subscribe.StatusCode == HttpStatusCode.Created, $"{(int)subscribe.StatusCode} {await subscribe.Content.ReadAsStringAsync()}");
            }

            // Each hot lead is sent to both servers at the same moment: one decision, the same owner in both answers.
            var now = DateTimeOffset.UtcNow;
            var answered = new Dictionary<string, string?>(StringComparer.Ordinal);
            var owners = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (int i = 0; i < 30; i++)
            {
                string id = $"K-{i:00}";
                var answers = await Task.WhenAll(clients.Select(async c =>
                {
                    using var response = await c.PostAsync("/v1/leads", Json(Hot(id, now)));
                    string body = await response.Content.ReadAsStringAsync();
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{id} at {c.BaseAddress}: {(int)response.StatusCode} {body}");
                    return JsonNode.Parse(body)!;
                }));
                // An answer made while the other server's ingest of the lead was still deciding may not show the handoff yet; every
                // answer that shows one shows the same.
                var reps = answers.Where(a => a["handoff"] is not null).Select(a => (string?)a["handoff"]!["rep"]).Distinct().ToList();
                Assert.True(reps.Count <= 1, $"{id}: two owners in the answers: {answers[0].ToJsonString()} / {answers[1].ToJsonString()}");
                answered[id] = reps.Count == 1 ? reps[0] : null;
            }

            // Either server reads the same owner of every lead from the cluster, the one the answers gave.
            foreach (var (id, answer) in answered)
            {
                var seen = new List<string?>();
                foreach (var c in clients)
                {
                    using var response = await c.GetAsync($"/v1/leads/{id}");
                    string body = await response.Content.ReadAsStringAsync();
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{id} at {c.BaseAddress}: {(int)response.StatusCode} {body}");
                    seen.Add((string?)JsonNode.Parse(body)!["owner"]);
                }

                Assert.True(seen[0] is not null && seen[0] == seen[1], $"{id}: owners {seen[0]} and {seen[1]}");
                Assert.True(answer is null || answer == seen[0], $"{id}: answered {answer}, owner {seen[0]}");
                owners[id] = seen[0];
            }

            // Every lead's routing decision, recorded in its cell's outbox, reaches the receiver through a server subscribed to the
            // cluster, naming the owner both servers read (at least once; every delivery of it the same).
            using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                while (!owners.Keys.All(id => KindsFor(receiver.All, id).Contains("routed")))
                {
                    Assert.False(deadline.IsCancellationRequested, $"routed webhooks missing after 60 s: {string.Join(", ", owners.Keys.Where(id => !KindsFor(receiver.All, id).Contains("routed")))}");
                    await Task.Delay(200);
                }
            }

            foreach (var routed in receiver.All.Where(r => r.Event == "routed").Select(r => JsonNode.Parse(r.Body)!))
            {
                string id = (string)routed["leadId"]!;
                Assert.True(owners[id] == (string?)routed["rep"], $"{id}: routed webhook {routed.ToJsonString()} does not name the owner {owners[id]}");
                Assert.Equal($"routed:{id}:1", (string?)routed["idempotencyKey"]); // recorded by the cell, not published directly
            }

            output.WriteLine($"{owners.Count} leads, {owners.Values.Distinct().Count()} reps: {string.Join(", ", owners.GroupBy(o => o.Value).Select(g => $"{g.Key} {g.Count()}"))}");

            // The routing state is in the cluster, not in the tenant's PostgreSQL schema; the leads' lifecycles are in PostgreSQL.
            await using (var conn = new NpgsqlConnection(postgres.ConnectionString))
            {
                await conn.OpenAsync();
                await using var handoffs = new NpgsqlCommand("SELECT count(*) FROM t_default.handoff_assignment", conn);
                Assert.Equal(0L, (long)(await handoffs.ExecuteScalarAsync())!);
                await using var lifecycles = new NpgsqlCommand("SELECT count(*) FROM t_default.lead_lifecycle", conn);
                Assert.Equal(30L, (long)(await lifecycles.ExecuteScalarAsync())!);
            }

            foreach (var server in servers)
            {
                int code = await server.StopAsync(TimeSpan.FromSeconds(45));
                Assert.True(code == 0, $"exit {code}\n{server.Errors}");
                Assert.DoesNotContain("crit:", server.Errors, StringComparison.Ordinal);
                Assert.DoesNotContain("fail:", server.Errors, StringComparison.Ordinal);
            }
        }
        catch
        {
            foreach (var server in servers)
            {
                output.WriteLine($"--- server:\n{server.Output}\n{server.Errors}");
            }

            throw;
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_server_whose_Redis_cannot_be_reached_exits_one_naming_the_option_without_a_stack_trace()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var postgres = await PrivatePostgres.CreateAsync();
        int closed = FreePort(); // nothing listens there
        await using var serve = ServeProcess.Start(
            ["serve", "--urls", $"http://127.0.0.1:{FreePort()}", "--postgres", postgres.ConnectionString, "--orleans", $"127.0.0.1:{closed},connectTimeout=2000",
             "--silo-port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--gateway-port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)],
            new Dictionary<string, string> { ["ALIGNMENT_API_KEY"] = Key });

        int code = await serve.WaitForExitAsync(TimeSpan.FromSeconds(120));

        output.WriteLine(serve.Errors);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("alignment: error: --orleans: the silo 127.0.0.1:", serve.Errors, StringComparison.Ordinal);
        Assert.Contains($"in Redis 127.0.0.1:{closed}", serve.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", serve.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("URL:", serve.Output, StringComparison.Ordinal);
    }
}
