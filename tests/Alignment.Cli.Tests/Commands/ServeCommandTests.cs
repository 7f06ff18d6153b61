using Alignment.Cli.Commands;
using Alignment.Cli.Demo;

namespace Alignment.Cli.Tests.Commands;

/// <summary>
/// <c>alignment serve</c> in-process: what it refuses before it listens (options, model folders), and one start and stop on a
/// free loopback port. The service over HTTP, as a process on PostgreSQL, is in <see cref="ServeProcessTests"/>.
/// </summary>
public sealed class ServeCommandTests
{
    private static Task<CliRun> Run(Func<string, string?> environment, params string[] args) => CliRun.RunAsync([new ServeCommand(environment)], ["serve", .. args]);

    private static Task<CliRun> Run(params string[] args) => Run(static _ => null, args);

    private static void AssertUsageError(CliRun run, string expected)
    {
        Assert.Equal(ExitCodes.UsageError, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.Contains("Run 'alignment serve --help' for usage.", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    private static void AssertBadInput(CliRun run, string expected)
    {
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal($"alignment: error: {expected}\n", run.Error);
        Assert.Empty(run.Out);
    }

    /// <summary>A folder with the bundled sample models under their conventional names.</summary>
    private static TempFolder SampleModels()
    {
        var dir = new TempFolder();
        dir.Write(ServeModels.ScoringFile, DemoModels.ScoringModelText);
        dir.Write(ServeModels.SegmentationFile, DemoModels.SegmentationModelText);
        dir.Write(ServeModels.RoutingPolicyFile, DemoModels.RoutingPolicyText);
        dir.Write(ServeModels.RosterFile, DemoModels.RosterText);
        dir.Write(ServeModels.NurtureFile, DemoModels.NurturePolicyText);
        return dir;
    }

    [Theory]
    [InlineData("--rate-limit", "0", "--rate-limit must be a whole number of at least 1 (was '0').")]
    [InlineData("--rate-limit", "many", "--rate-limit must be a whole number of at least 1 (was 'many').")]
    [InlineData("--max-body", "100", "--max-body must be a whole number of bytes from 1024 to 67108864 (was '100').")]
    [InlineData("--nurture-interval", "0", "--nurture-interval must be a whole number of seconds from 1 to 3600 (was '0').")]
    [InlineData("--nurture-interval", "3601", "--nurture-interval must be a whole number of seconds from 1 to 3600 (was '3601').")]
    [InlineData("--nurture-interval", "30s", "--nurture-interval must be a whole number of seconds from 1 to 3600 (was '30s').")]
    [InlineData("--urls", "ftp://127.0.0.1:21", "--urls: 'ftp://127.0.0.1:21' is not an http:// or https:// URL with a host and port (for example http://127.0.0.1:5080).")]
    [InlineData("--urls", "127.0.0.1:5080", "--urls: '127.0.0.1:5080' is not an http:// or https:// URL")]
    [InlineData("--urls", "http://127.0.0.1:5080/v1", "--urls: 'http://127.0.0.1:5080/v1' is not an http:// or https:// URL")]
    [InlineData("--models", "", "--models needs a folder.")]
    public async Task A_malformed_option_is_a_usage_error_naming_it(string option, string value, string expected)
    {
        var run = await Run(option, value);

        AssertUsageError(run, expected);
    }

    [Theory]
    [InlineData(new[] { "--orleans", "127.0.0.1:6379" }, "--orleans needs --postgres: the cluster keeps the routing state")]
    [InlineData(new[] { "--postgres", "Host=127.0.0.1", "--orleans", " " }, "--orleans needs the Redis server's configuration, for example 127.0.0.1:6379.")]
    [InlineData(new[] { "--silo-port", "11112" }, "--silo-port is only for a server that joins a cluster: give --orleans too.")]
    [InlineData(new[] { "--gateway-port", "30001" }, "--gateway-port is only for a server that joins a cluster: give --orleans too.")]
    [InlineData(new[] { "--postgres", "Host=127.0.0.1", "--orleans", "127.0.0.1:6379", "--silo-address", "here" }, "--silo-address: 'here' is not an IP address (for example 10.0.0.5).")]
    [InlineData(new[] { "--postgres", "Host=127.0.0.1", "--orleans", "127.0.0.1:6379", "--silo-address", "1" }, "--silo-address: '1' is not an IP address (for example 10.0.0.5).")]
    [InlineData(new[] { "--postgres", "Host=127.0.0.1", "--orleans", "127.0.0.1:6379", "--silo-address", "0.0.0.0" }, "--silo-address: '0.0.0.0' is not an address other silos can reach this one at")]
    [InlineData(new[] { "--postgres", "Host=127.0.0.1", "--orleans", "127.0.0.1:6379", "--silo-address", "239.1.1.1" }, "--silo-address: '239.1.1.1' is not an address other silos can reach this one at")]
    [InlineData(new[] { "--postgres", "Host=127.0.0.1", "--orleans", "127.0.0.1:6379", "--cluster", "a b" }, "--cluster: 'a b' is not a cluster id (1 to 64 letters, digits, '-', '_' or '.').")]
    [InlineData(new[] { "--cluster", "blue" }, "--cluster is only for a server that joins a cluster: give --orleans too.")]
    [InlineData(new[] { "--postgres", "Host=127.0.0.1", "--orleans", "127.0.0.1:6379", "--silo-port", "70000" }, "--silo-port must be a port from 1 to 65535 (was '70000').")]
    [InlineData(new[] { "--postgres", "Host=127.0.0.1", "--orleans", "127.0.0.1:6379", "--silo-port", "30000" }, "--silo-port and --gateway-port must differ.")]
    public async Task A_cluster_option_that_cannot_work_is_a_usage_error_naming_it(string[] args, string expected)
    {
        var run = await Run(args);

        AssertUsageError(run, expected);
    }

    [Fact]
    public async Task A_Redis_configuration_that_does_not_parse_is_bad_input_naming_the_option()
    {
        var run = await Run("--postgres", "Host=127.0.0.1", "--orleans", "127.0.0.1:6379,nonsense=1");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith("alignment: error: --orleans: not a Redis configuration: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error()
    {
        var run = await Run("--port", "5080");

        AssertUsageError(run, "Unrecognized command or argument '--port'");
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_needs_the_environment_variable()
    {
        var run = await Run("--postgres");

        AssertBadInput(run, "--postgres has no connection string and ALIGNMENT_STORE_CONNECTION is not set; give one of them.");
    }

    [Fact]
    public async Task A_models_folder_that_does_not_exist_is_named()
    {
        using var dir = new TempFolder();
        string missing = Path.Combine(dir.Path, "models");

        var run = await Run("--models", missing);

        AssertBadInput(run, $"{missing}, field '--models': the folder does not exist");
    }

    [Fact]
    public async Task A_models_folder_without_the_scoring_model_names_the_missing_file()
    {
        using var dir = new TempFolder();
        dir.Write(ServeModels.NurtureFile, DemoModels.NurturePolicyText);

        var run = await Run("--models", dir.Path);

        AssertBadInput(run, $"{Path.Combine(dir.Path, "scoring-model.json")}, field '--models': the file does not exist; a models folder needs at least scoring-model.json (and optionally segmentation-model.json, routing-policy.json with roster.json, nurture-policy.json)");
    }

    [Fact]
    public async Task An_invalid_scoring_model_is_named_with_the_JSON_path_of_its_problem()
    {
        using var dir = SampleModels();
        dir.Write(ServeModels.ScoringFile, """{ "id": "t", "version": "1.0.0", "thresholds": { "mql": { "score": "sixty" } } }""");

        var run = await Run("--models", dir.Path);

        AssertBadInput(run, $"{Path.Combine(dir.Path, "scoring-model.json")}, field '$.thresholds.mql.score': the scoring model is invalid: expected a number, found a text \"sixty\"");
    }

    [Fact]
    public async Task A_scoring_model_that_is_not_JSON_is_named()
    {
        using var dir = SampleModels();
        dir.Write(ServeModels.ScoringFile, "{ not json");

        var run = await Run("--models", dir.Path);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith($"alignment: error: {Path.Combine(dir.Path, "scoring-model.json")}", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_segmentation_model_is_named_with_its_JSON_path()
    {
        using var dir = SampleModels();
        dir.Write(ServeModels.SegmentationFile, DemoModels.SegmentationModelText.Replace("\"company.employeeCount\"", "\"company.headcount\"", StringComparison.Ordinal));

        var run = await Run("--models", dir.Path);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith($"alignment: error: {Path.Combine(dir.Path, "segmentation-model.json")}", run.Error, StringComparison.Ordinal);
        Assert.Contains("'$.", run.Error, StringComparison.Ordinal);
        Assert.Contains("company.headcount", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_routing_policy_without_its_roster_names_the_missing_roster()
    {
        using var dir = SampleModels();
        File.Delete(Path.Combine(dir.Path, ServeModels.RosterFile));

        var run = await Run("--models", dir.Path);

        AssertBadInput(run, $"{Path.Combine(dir.Path, "roster.json")}, field '--models': the file does not exist, but routing-policy.json does: handoff needs both the routing policy and the roster");
    }

    [Fact]
    public async Task An_invalid_roster_is_named_with_its_JSON_path()
    {
        using var dir = SampleModels();
        dir.Write(ServeModels.RosterFile, """{ "reps": [ { "id": "", "pools": 3 } ] }""");

        var run = await Run("--models", dir.Path);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(Path.Combine(dir.Path, "roster.json"), run.Error, StringComparison.Ordinal);
        Assert.Contains("'$.reps[0]", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_nurture_policy_is_named_with_its_JSON_path()
    {
        using var dir = SampleModels();
        dir.Write(ServeModels.NurtureFile, """{ "tracks": "none" }""");

        var run = await Run("--models", dir.Path);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith($"alignment: error: {Path.Combine(dir.Path, "nurture-policy.json")}", run.Error, StringComparison.Ordinal);
        Assert.Contains("'$", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_bad_input_naming_the_URL()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;

        var run = await Run("--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.StartsWith($"alignment: error: --urls: cannot listen on http://127.0.0.1:{port}", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task With_a_models_folder_and_a_key_from_the_environment_it_starts_prints_where_and_stops_when_cancelled()
    {
        using var dir = SampleModels();
        File.Delete(Path.Combine(dir.Path, ServeModels.SegmentationFile));
        using var output = new SignallingWriter("Stop with Ctrl+C.");
        using var error = new StringWriter();
        using var cancel = new CancellationTokenSource();
        const string Key = "alg_key-chosen-by-the-script-00000000000000000000";
        var environment = (string name) => name == ServeCommand.ApiKeyVariable ? Key : null;

        var running = CliApp.RunAsync(["serve", "--urls", "http://127.0.0.1:0", "--models", dir.Path, "--rate-limit", "50", "--max-body", "4096", "--nurture-interval", "600"], new CliConsole(output, error), [new ServeCommand(environment)], cancel.Token);
        var first = await Task.WhenAny(output.Written, running, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(first == output.Written, $"serve did not print its summary: {error}");
        cancel.Cancel();
        int code = await running.WaitAsync(TimeSpan.FromSeconds(30));

        string text = output.ToString();
        Assert.True(code == ExitCodes.Success, $"exit {code}: {error}");
        Assert.Matches(@"URL:      http://127\.0\.0\.1:[1-9][0-9]*\n", text);
        Assert.Matches(@"OpenAPI:  http://127\.0\.0\.1:[1-9][0-9]*/openapi/v1\.json\n", text);
        Assert.Contains("Tenant:   default\n", text, StringComparison.Ordinal);
        Assert.Contains("API key:  the one in ALIGNMENT_API_KEY\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
        Assert.Contains($"Models:   {dir.Path} (scoring brightwave-lead-standard@3.2.0, handoff with roster, nurture)\n", text, StringComparison.Ordinal);
        Assert.Contains("Stores:   in memory", text, StringComparison.Ordinal);
        Assert.Contains("Limits:   50 requests per second per tenant, bodies up to 4096 bytes\n", text, StringComparison.Ordinal);
        Assert.Contains("Nurture:  due steps sent every 600 s\n", text, StringComparison.Ordinal);
        Assert.EndsWith("alignment serve: stopped.\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_nurture_interval_is_how_often_the_worker_sends_due_steps()
    {
        // A cold lead is put on the welcome track with its first step due at once. With --nurture-interval 1 the worker sends it
        // within seconds (the enrolment's next step is then a week later); with the default, 30 s, not before this test gives up.
        using var output = new SignallingWriter("Stop with Ctrl+C.");
        using var error = new StringWriter();
        using var cancel = new CancellationTokenSource();
        const string Key = "alg_key-of-the-nurture-interval-test-0000000000000";
        var environment = (string name) => name == ServeCommand.ApiKeyVariable ? Key : null;
        var running = CliApp.RunAsync(["serve", "--urls", "http://127.0.0.1:0", "--nurture-interval", "1"], new CliConsole(output, error), [new ServeCommand(environment)], cancel.Token);
        bool passed = false;
        try
        {
            var first = await Task.WhenAny(output.Written, running, Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(first == output.Written, $"serve did not print its summary: {error}");
            Assert.Contains("Nurture:  due steps sent every 1 s\n", output.ToString(), StringComparison.Ordinal);
            string url = System.Text.RegularExpressions.Regex.Match(output.ToString(), @"URL: +(http://127\.0\.0\.1:[0-9]+)").Groups[1].Value;
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Add("X-Api-Key", Key);
            var ingested = await http.PostAsync("/v1/leads", new StringContent(
                """{"id":"cold-1","person":{"jobTitle":"Student"},"company":{"name":"Tiny","employeeCount":3,"country":"US"},"source":"Web"}""",
                System.Text.Encoding.UTF8, "application/json"));
            Assert.True(ingested.IsSuccessStatusCode, $"{(int)ingested.StatusCode}: {await ingested.Content.ReadAsStringAsync()}");
            var enrolledDue = NextDue(await ingested.Content.ReadAsStringAsync());
            Assert.True(enrolledDue < DateTimeOffset.UtcNow.AddHours(1), $"the first step is due at {enrolledDue:O}, not at once");

            DateTimeOffset due = enrolledDue;
            for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(15) && due == enrolledDue; await Task.Delay(200))
            {
                due = NextDue(await http.GetStringAsync("/v1/leads/cold-1"));
            }

            Assert.True(due > DateTimeOffset.UtcNow.AddDays(1), $"the first step was not sent within 15 s (next due {due:O}); the command's error output: {error}");
            passed = true;
        }
        finally
        {
            await cancel.CancelAsync();
            try
            {
                Assert.Equal(ExitCodes.Success, await running.WaitAsync(TimeSpan.FromSeconds(30)));
            }
            catch (Exception e) when (!passed && e is TimeoutException or OperationCanceledException or IOException or Xunit.Sdk.XunitException)
            {
                // The test failed already: its assertion says what went wrong, not this stop's. After a pass, a stop that fails fails the test.
            }
        }

        static DateTimeOffset NextDue(string json)
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            return document.RootElement.GetProperty("nurture").GetProperty("nextDueAt").GetDateTimeOffset();
        }
    }

    [Fact]
    public void Each_tenant_has_its_own_schema()
    {
        Assert.Equal("t_default", ServeCommand.SchemaFor("default"));
        Assert.Equal("t_eu_hwest", ServeCommand.SchemaFor("eu-west"));
        Assert.Equal("t_eu__west", ServeCommand.SchemaFor("eu_west"));
        Assert.NotEqual(ServeCommand.SchemaFor("a-b"), ServeCommand.SchemaFor("a_hb"));
    }

    /// <summary>Standard output that completes <see cref="Written"/> once a text has been written.</summary>
    private sealed class SignallingWriter(string signal) : StringWriter
    {
        private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _gate = new();

        public Task Written => _written.Task;

        public override void Write(char value)
        {
            lock (_gate)
            {
                base.Write(value);
            }

            Check();
        }

        public override void Write(string? value)
        {
            lock (_gate)
            {
                base.Write(value);
            }

            Check();
        }

        public override void Write(char[] buffer, int index, int count)
        {
            lock (_gate)
            {
                base.Write(buffer, index, count);
            }

            Check();
        }

        public override string ToString()
        {
            lock (_gate)
            {
                return base.ToString();
            }
        }

        private void Check()
        {
            if (ToString().Contains(signal, StringComparison.Ordinal))
            {
                _written.TrySetResult();
            }
        }
    }
}
