using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Alignment.AspNetCore;
using Alignment.AspNetCore.Tenancy;
using Alignment.AspNetCore.Webhooks;
using Alignment.Decisions;
using Alignment.Hosting;
using Alignment.Policies.Nurture;
using Alignment.Storage.PostgreSql;
using Alignment.Storage.PostgreSql.Webhooks;
using Alignment.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans;
using ConfigurationOptions = StackExchange.Redis.ConfigurationOptions;

namespace Alignment.Cli.Commands;

/// <summary>
/// <c>alignment serve [--urls URL] [--postgres [CONNECTION]] [--orleans REDIS [--cluster ID] [--silo-address IP] [--silo-port N] [--gateway-port N]] [--models DIR] [--rate-limit N] [--max-body BYTES] [--allow-private-webhooks]</c>: runs
/// Alignment's HTTP service (<c>MapAlignment</c> under <c>/v1</c>) on Kestrel until Ctrl+C or SIGTERM. One tenant,
/// <see cref="DefaultTenant"/>, with one API key (from <see cref="ApiKeyVariable"/>, or generated and printed once); every tenant
/// runs the bundled sample models or those of <c>--models</c>, with its nurture steps, SLA checks and decision relay. Stores are
/// in memory, or with <c>--postgres</c> in PostgreSQL, one schema per tenant (<see cref="SchemaFor"/>), migrated when the tenant
/// starts. With <c>--orleans</c> the server is also a silo of an Orleans cluster whose membership and grain state are in Redis,
/// and every tenant's routing state (caps, rotations, handoffs) is kept in that cluster (<c>UseOrleansRoutingState</c>): several
/// servers given the same <c>--orleans</c>, <c>--cluster</c> and <c>--postgres</c> decide leads together without the database's routing locks.
/// Also maps <c>GET /health</c> (no key) and <c>POST /v1/bare</c> (key and rate limit, decides nothing).
/// </summary>
/// <param name="environment">Reads an environment variable; <see cref="Environment.GetEnvironmentVariable(string)"/> when <see langword="null"/>.</param>
internal sealed partial class ServeCommand(Func<string, string?>? environment = null) : ICliCommand
{
    /// <summary>The address Kestrel listens on without <c>--urls</c>: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>The tenant the server creates, with one API key.</summary>
    public const string DefaultTenant = "default";

    /// <summary>The environment variable that, when set, is the default tenant's API key (so a script knows it in advance).</summary>
    public const string ApiKeyVariable = "ALIGNMENT_API_KEY";

    /// <summary>The environment variable that holds the PostgreSQL connection string when <c>--postgres</c> is given without one.</summary>
    public const string ConnectionVariable = "ALIGNMENT_STORE_CONNECTION";

    /// <summary>The PostgreSQL schema of the webhook subscriptions and deliveries of every tenant, with <c>--postgres</c>.</summary>
    public const string WebhookSchema = "alignment_webhooks";

    /// <summary>The path of the OpenAPI document.</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>The path of the health endpoint (no API key).</summary>
    public const string HealthPath = "/health";

    /// <summary>The path of the endpoint that goes through the key and the rate limit and decides nothing (a baseline for load runs).</summary>
    public const string BarePath = "/v1/bare";

    /// <summary>The Orleans cluster (and service) id without <c>--cluster</c>.</summary>
    public const string DefaultClusterId = "alignment";

    /// <summary>The silo-to-silo port without <c>--silo-port</c> (Orleans' usual one).</summary>
    public const int DefaultSiloPort = 11111;

    /// <summary>The client gateway port without <c>--gateway-port</c> (Orleans' usual one).</summary>
    public const int DefaultGatewayPort = 30000;

    /// <summary>What <see cref="BarePath"/> answers.</summary>
    public const string BareBody = """{"ok":true}""";

    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    /// <summary>The PostgreSQL schema of a tenant's stores: <c>t_</c> and the id, with <c>_</c> written <c>__</c> and <c>-</c> written <c>_h</c> (so two tenants never share one); <c>t_default</c> for the default tenant.</summary>
    /// <param name="tenant">A valid tenant id.</param>
    /// <returns>The schema name.</returns>
    public static string SchemaFor(string tenant) => "t_" + tenant.Replace("_", "__", StringComparison.Ordinal).Replace("-", "_h", StringComparison.Ordinal);

    /// <inheritdoc />
    public Command Create(CliConsole console)
    {
        var urls = new Option<string>("--urls")
        {
            Description = $"Where to listen: one or more http:// or https:// URLs separated by ';' (default {DefaultUrls}, loopback only; port 0 picks a free port).",
            HelpName = "URL",
            DefaultValueFactory = _ => DefaultUrls,
        };
        var postgres = new Option<string>("--postgres")
        {
            Description = $"Keep every tenant's state in PostgreSQL, in its own schema (t_<tenant>, created at start-up): the connection string, or nothing to read it from {ConnectionVariable}. Without it, state is in memory and lost when the server stops.",
            HelpName = "CONNECTION",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var models = new Option<string>("--models")
        {
            Description = $"A folder of model files every tenant runs: {ServeModels.ScoringFile} (required), {ServeModels.SegmentationFile}, {ServeModels.RoutingPolicyFile} with {ServeModels.RosterFile}, {ServeModels.NurtureFile}. Default: the bundled sample models.",
            HelpName = "DIR",
        };
        var orleans = new Option<string>("--orleans")
        {
            Description = "Join an Orleans cluster as a silo and keep every tenant's routing state (caps, rotations, handoffs) in it, with the cluster's membership and grain state in Redis: a StackExchange.Redis configuration such as 127.0.0.1:6379. Needs --postgres for the rest of the state; servers given the same --orleans and --cluster form one cluster.",
            HelpName = "REDIS",
        };
        var siloAddress = new Option<string>("--silo-address")
        {
            Description = "With --orleans: the IP address other silos reach this one at (default 127.0.0.1, this machine only).",
            HelpName = "IP",
        };
        var clusterId = new Option<string>("--cluster")
        {
            Description = $"With --orleans: the cluster's id (default {DefaultClusterId}). Servers with the same --orleans and --cluster form one cluster; give each deployment that shares a Redis server its own.",
            HelpName = "ID",
        };
        var siloPort = CommandInputs.NumberOption<int>("--silo-port", "N", $"With --orleans: the port other silos reach this one on (default {DefaultSiloPort}).", n => n is >= 1 and <= 65535, "a port from 1 to 65535");
        var gatewayPort = CommandInputs.NumberOption<int>("--gateway-port", "N", $"With --orleans: the port cluster clients connect to (default {DefaultGatewayPort}).", n => n is >= 1 and <= 65535, "a port from 1 to 65535");
        var defaults = new AlignmentHttpOptions();
        var rateLimit = CommandInputs.NumberOption<int>("--rate-limit", "N", $"Requests per second per tenant; beyond it 429 with Retry-After (default {defaults.RateLimitPermits}).", n => n >= 1, "a whole number of at least 1");
        var maxBody = CommandInputs.NumberOption<long>("--max-body", "BYTES", $"The largest request body, in bytes; a larger one gets 413 (default {defaults.MaxRequestBodyBytes}, from 1024 to {64 * 1024 * 1024}).", n => n is >= 1024 and <= 64 * 1024 * 1024, $"a whole number of bytes from 1024 to {64 * 1024 * 1024}");
        int defaultNurture = (int)new AlignmentWorkerOptions().NurtureInterval.TotalSeconds;
        var nurtureInterval = CommandInputs.NumberOption<int>("--nurture-interval", "SECONDS", $"How often each tenant's worker sends the nurture steps that are due, in seconds (default {defaultNurture}, from 1 to 3600).", n => n is >= 1 and <= 3600, "a whole number of seconds from 1 to 3600");
        var allowPrivateWebhooks = new Option<bool>("--allow-private-webhooks")
        {
            Description = "Let webhooks go to http URLs and to loopback, private-network and link-local addresses (a receiver on this machine or on premises). Without it a webhook URL must be https on a public address.",
        };
        var command = new Command("serve", "Runs the Alignment HTTP service (ingest and decide, leads, reps, campaigns, metrics, OpenAPI) with the sample models or your own, in memory or on PostgreSQL, until Ctrl+C.")
        {
            urls, postgres, orleans, clusterId, siloAddress, siloPort, gatewayPort, models, rateLimit, maxBody, nurtureInterval, allowPrivateWebhooks,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(urls) is { } given && !given.Implicit)
            {
                string text = result.GetValue(urls) ?? string.Empty;
                foreach (string url in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).DefaultIfEmpty(string.Empty))
                {
                    if (!IsListenUrl(url))
                    {
                        result.AddError($"--urls: '{url}' is not an http:// or https:// URL with a host and port (for example {DefaultUrls}).");
                    }
                }
            }

            if (result.GetResult(models) is not null && string.IsNullOrWhiteSpace(result.GetValue(models)))
            {
                result.AddError("--models needs a folder.");
            }

            bool clustered = result.GetResult(orleans) is not null;
            if (clustered && string.IsNullOrWhiteSpace(result.GetValue(orleans)))
            {
                result.AddError("--orleans needs the Redis server's configuration, for example 127.0.0.1:6379.");
            }

            if (clustered && result.GetResult(postgres) is null)
            {
                // The cluster keeps the routing state; the outbox, leases, lifecycles and nurture enrolments must be shared by
                // every server of the cluster too, and in memory they would be each server's own.
                result.AddError("--orleans needs --postgres: the cluster keeps the routing state, and the servers share the rest (decision outbox, leases, lifecycles, nurture) in PostgreSQL.");
            }

            foreach (var option in (Option[])[clusterId, siloAddress, siloPort, gatewayPort])
            {
                if (!clustered && result.GetResult(option) is not null)
                {
                    result.AddError($"{option.Name} is only for a server that joins a cluster: give --orleans too.");
                }
            }

            if (result.GetResult(siloAddress) is not null && SiloAddressProblem(result.GetValue(siloAddress)) is { } problem)
            {
                result.AddError($"--silo-address: '{result.GetValue(siloAddress)}' {problem}.");
            }

            if (result.GetResult(clusterId) is not null && (result.GetValue(clusterId) is not { } id || id.Length is 0 or > 64 || !id.All(static ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.')))
            {
                result.AddError($"--cluster: '{result.GetValue(clusterId)}' is not a cluster id (1 to 64 letters, digits, '-', '_' or '.').");
            }

            // A port that did not parse has its own error already, and reading its value throws.
            static int? Port(CommandResult r, Option<int?> o, int fallback)
            {
                try
                {
                    return r.GetValue(o) ?? fallback;
                }
                catch (InvalidOperationException)
                {
                    return null;
                }
            }

            if (clustered && Port(result, siloPort, DefaultSiloPort) is int silo && silo == Port(result, gatewayPort, DefaultGatewayPort))
            {
                result.AddError("--silo-port and --gateway-port must differ.");
            }
        });
        command.SetAction((parse, cancellationToken) =>
        {
            var settings = new ServeSettings(
                Urls: parse.GetRequiredValue(urls),
                Postgres: parse.GetResult(postgres) is null ? null
                    : parse.GetValue(postgres) is { Length: > 0 } given ? given
                    : _environment(ConnectionVariable) is { Length: > 0 } variable ? variable
                    : throw new CliInputException($"--postgres has no connection string and {ConnectionVariable} is not set; give one of them."),
                Models: parse.GetValue(models),
                RateLimit: parse.GetValue(rateLimit),
                MaxBody: parse.GetValue(maxBody),
                AllowPrivateWebhooks: parse.GetValue(allowPrivateWebhooks))
            {
                NurtureInterval = parse.GetValue(nurtureInterval) is int seconds ? TimeSpan.FromSeconds(seconds) : null,
                Orleans = parse.GetValue(orleans) is { Length: > 0 } redis
                    ? new ServeCluster(
                        RedisOptions(redis),
                        parse.GetValue(clusterId) ?? DefaultClusterId,
                        IPAddress.Parse(parse.GetValue(siloAddress) ?? "127.0.0.1"),
                        parse.GetValue(siloPort) ?? DefaultSiloPort,
                        parse.GetValue(gatewayPort) ?? DefaultGatewayPort)
                    : null,
            };
            return RunAsync(console, settings, cancellationToken);
        });
        return command;
    }

    private static bool IsListenUrl(string url) =>
        Uri.TryCreate(url.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query);

    private sealed record ServeSettings(string Urls, string? Postgres, string? Models, int? RateLimit, long? MaxBody, bool AllowPrivateWebhooks)
    {
        /// <summary>How often each tenant's worker sends due nurture steps (<c>--nurture-interval</c>); <see langword="null"/> for the worker's default.</summary>
        public TimeSpan? NurtureInterval { get; init; }

        /// <summary>The cluster the server joins as a silo (<c>--orleans</c>); <see langword="null"/> for none.</summary>
        public ServeCluster? Orleans { get; init; }

        /// <summary>
        /// Whether the server has started. Until then the host's own logs (and Orleans', with <c>--orleans</c>) are held back to
        /// Critical: a start that fails (a port in use, a Redis server that cannot be reached) is logged by them several times
        /// with its stack trace, and the command names it once, cleanly.
        /// </summary>
        public StrongBox<bool> Started { get; } = new();
    }

    private async Task<int> RunAsync(CliConsole console, ServeSettings settings, CancellationToken cancellationToken)
    {
        var models = settings.Models is { } folder ? ServeModels.Load(folder) : ServeModels.Bundled();
        string apiKey = _environment(ApiKeyVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : ApiKeys.Create();
        bool keyFromEnvironment = _environment(ApiKeyVariable) is { Length: > 0 };
        if (keyFromEnvironment && apiKey.Length > 512)
        {
            throw new CliInputException($"{ApiKeyVariable} is longer than 512 characters; the service refuses such keys.");
        }

        NpgsqlDataSource? dataSource = null;
        if (settings.Postgres is { } connection)
        {
            try
            {
                dataSource = AlignmentDataSource.Create(connection);
            }
            catch (ArgumentException e)
            {
                throw new CliInputException($"--postgres: the connection string is not valid: {e.Message}");
            }
        }

        try
        {
            await using var app = Build(settings, models, apiKey, dataSource);
            var tenants = app.Services.GetRequiredService<AlignmentTenants>();
            if (dataSource is not null)
            {
                try
                {
                    await app.Services.GetRequiredService<PostgreSqlWebhookDeliveryStore>().MigrateAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
                {
                    throw new CliInputException($"the service cannot start: the webhook tables in schema {WebhookSchema}: {e.Message}", e);
                }
            }

            async Task StartDefaultTenantAsync()
            {
                try
                {
                    await tenants.GetAsync(DefaultTenant, cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidOperationException e)
                {
                    throw new CliInputException($"the service cannot start: {e.Message}", e);
                }
            }

            // The default tenant starts before the server listens: a database that cannot be reached, or a model the tenant
            // refuses, stops the command with the reason instead of failing the first request. A silo's tenant starts once the
            // silo has joined its cluster (in StartAsync), since the tenant's workers call the cluster at once.
            if (settings.Orleans is null)
            {
                await StartDefaultTenantAsync().ConfigureAwait(false);
            }

            try
            {
                try
                {
                    await app.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    throw new CliInputException($"--urls: cannot listen on {settings.Urls}: {e.Message}", e);
                }
                catch (InvalidOperationException e) when (e.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase))
                {
                    throw new CliInputException($"--urls: cannot listen on {settings.Urls} over HTTPS: {e.Message}", e);
                }
                catch (Exception e) when (settings.Orleans is { } cluster && e is not OperationCanceledException and not CliInputException)
                {
                    throw new CliInputException($"--orleans: the silo {cluster.Address}:{cluster.SiloPort} (gateway {cluster.GatewayPort}) cannot join cluster '{cluster.Id}' in Redis {cluster.RedisEndpoints}: {e.Message}", e);
                }

                Volatile.Write(ref settings.Started.Value, true);
                if (settings.Orleans is not null)
                {
                    await StartDefaultTenantAsync().ConfigureAwait(false);
                }
            }
            catch (CliInputException)
            {
                // Whatever did start (the silo joins before Kestrel binds) stops before the command exits: a silo left behind
                // would stay active in the cluster's membership until the others declare it dead.
                using var abandon = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await app.StopAsync(abandon.Token).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // best effort: a silo that never finished starting refuses to stop; the start's error is the one to report
                catch (Exception)
#pragma warning restore CA1031
                {
                }

                throw;
            }

            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
            string url = addresses.FirstOrDefault() ?? settings.Urls.Split(';')[0];
            await console.Out.WriteAsync(Summary(url, addresses, apiKey, keyFromEnvironment, models, settings)).ConfigureAwait(false);
            await console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);

            try
            {
                await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: the host stops below.
            }

            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await app.StopAsync(stopping.Token).ConfigureAwait(false);
            await console.Out.WriteLineAsync("alignment serve: stopped.").ConfigureAwait(false);
            return ExitCodes.Success;
        }
        finally
        {
            if (dataSource is not null)
            {
                await dataSource.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static WebApplication Build(ServeSettings settings, ServeModels models, string apiKey, NpgsqlDataSource? dataSource)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(ServeCommand).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseUrls(settings.Urls);
        builder.Services.Configure<Microsoft.Extensions.Hosting.ConsoleLifetimeOptions>(static o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(static o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

        // Logs on standard error, so standard output carries only the summary (URL, OpenAPI, key) that scripts read.
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(static o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(static o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Alignment", LogLevel.Information);
        builder.Logging.AddFilter("Alignment.AspNetCore.Tenancy.ApiKeyAuthenticationHandler", LogLevel.Warning); // ASP.NET Core's authentication messages

        // Every category without a rule of its own: Warning; but the host's (and with --orleans Orleans') only Critical until the
        // server has started (ServeSettings.Started).
        builder.Logging.AddFilter((_, category, level) => level >= (category is not null && !Volatile.Read(ref settings.Started.Value)
            && (category.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal) || category.StartsWith("Microsoft.Hosting", StringComparison.Ordinal)
                || (settings.Orleans is not null && category.StartsWith("Orleans", StringComparison.Ordinal)))
            ? LogLevel.Critical : LogLevel.Warning));
        // Webhooks: the subscriptions and deliveries of every tenant (in memory, or with --postgres in the schema WebhookSchema, so a
        // restart keeps them), sent by one dispatcher; each tenant's decisions reach them through the HTTP integration's fan-out sink. A URL must be https on a public address unless --allow-private-webhooks.
        builder.Services.AddAlignmentWebhooks(o =>
        {
            o.AllowHttp = settings.AllowPrivateWebhooks;
            o.AllowPrivateNetworks = settings.AllowPrivateWebhooks;
        });
        if (settings.Postgres is { } webhookConnection)
        {
            builder.Services.UsePostgreSqlWebhookStores(webhookConnection, WebhookSchema);
        }

        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks().AddCheck<ServeTenantsHealthCheck>("alignment-tenants");
        builder.Services.AddAlignmentHttp(o =>
        {
            if (settings.RateLimit is int permits)
            {
                o.RateLimitPermits = permits;
                o.RateLimitWindow = TimeSpan.FromSeconds(1);
            }

            if (settings.MaxBody is long bytes)
            {
                o.MaxRequestBodyBytes = bytes;
            }
        })
            .ConfigureTenants((tenant, a) => ConfigureTenant(tenant, a, models, settings, dataSource))
            .OnTenantStarted(async (tenant, ct) =>
            {
                if (dataSource is not null)
                {
                    await PostgreSqlAlignmentSchema.MigrateAsync(dataSource, SchemaFor(tenant.Id), ct).ConfigureAwait(false);
                }
            })
            .AddApiKey(DefaultTenant, apiKey);

        if (settings.Orleans is { } cluster)
        {
            JoinCluster(builder, cluster);
        }

        var app = builder.Build();
        if (settings.Orleans is { } joined)
        {
            joined.Grains = app.Services.GetRequiredService<IGrainFactory>();
        }

        app.UseExceptionHandler();   // an unexpected failure is a problem+json 500 without a stack trace, whatever the environment
        app.UseStatusCodePages();    // and so are 401, 403 and 404 without a body
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapAlignment("/v1");
        app.MapPost(BarePath, static async (HttpContext context) =>
            {
                await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted).ConfigureAwait(false);
                return Results.Text(BareBody, "application/json", Encoding.UTF8);
            })
            .RequireAuthorization(AlignmentHttpDefaults.AuthorizationPolicy)
            .RequireRateLimiting(AlignmentHttpDefaults.RateLimiterPolicy)
            .ExcludeFromDescription();
        app.MapOpenApi();
        app.MapHealthChecks(HealthPath);
        return app;
    }

    private static void ConfigureTenant(string tenant, IAlignmentBuilder a, ServeModels models, ServeSettings settings, NpgsqlDataSource? dataSource)
    {
        var (connection, cluster) = (settings.Postgres, settings.Orleans);
        a.Services.AddSingleton(models.Schema);
        if (connection is not null && dataSource is not null)
        {
            // One data source (one pool) for every tenant; each tenant's tables are in its own schema.
            a.Services.AddSingleton(dataSource);
            string schema = SchemaFor(tenant);
            a.UsePostgreSqlDecisionOutbox(connection, schema)
                .UsePostgreSqlLifecycleStore(connection, schema)
                .UsePostgreSqlRoutingState(connection, schema)
                .UsePostgreSqlNurtureStore(connection, schema)
                .UsePostgreSqlCampaignStore(connection, schema)
                .UsePostgreSqlLeaseStore(connection, schema)
                .UsePostgreSqlScoreWatchStore(connection, schema)
                .UsePostgreSqlLeadDocumentStore(connection, schema);
        }
        else
        {
            a.UseInMemoryDecisionOutbox();
        }

        if (cluster is not null)
        {
            // The routing state in the cluster this server is a silo of; the tenant's other stores stay where they are.
            a.Services.AddSingleton(_ => cluster.Grains ?? throw new InvalidOperationException("The Orleans silo is not built yet."));
            a.UseOrleansRoutingState(tenant);
        }

        a.AddScoring(o => o.ModelJson = models.Scoring);
        if (models.Segmentation is { } segmentation)
        {
            a.AddSegmentation(o => o.ModelJson = segmentation);
        }

        if (models.RoutingPolicy is { } policy && models.Roster is { } roster)
        {
            a.AddHandoff(o =>
            {
                o.PolicyJson = policy;
                o.RosterJson = roster;
            });
        }

        if (models.Nurture is { } nurture)
        {
            a.AddNurture(o => o.PolicyJson = nurture);
        }

        // Decisions are logged at Debug, and AddAlignmentWebhooks fans each out to the tenant's webhooks (POST /v1/webhooks); due
        // nurture steps have no CRM to go to: logged and dropped (nothing piles up in memory).
        a.Services.AddSingleton(sp => new ServeDecisionLog(sp.GetRequiredService<ILogger<ServeDecisionLog>>()));
        a.Services.Replace(ServiceDescriptor.Singleton<IDecisionSink>(static sp => sp.GetRequiredService<ServeDecisionLog>()));
        a.Services.Replace(ServiceDescriptor.Singleton<INurtureStepHandler>(static sp => sp.GetRequiredService<ServeDecisionLog>()));
        a.AddAlignmentWorker(o => o.NurtureInterval = settings.NurtureInterval ?? o.NurtureInterval);
        a.Services.AddHealthChecks().AddAlignmentChecks();
    }

    private static string Summary(string url, IReadOnlyList<string> addresses, string apiKey, bool keyFromEnvironment, ServeModels models, ServeSettings settings)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        string root = url.TrimEnd('/');
        text.AppendLine(c, $"alignment {CliVersion.Current}: serve");
        text.AppendLine(c, $"URL:      {root}");
        foreach (string other in addresses.Skip(1))
        {
            text.AppendLine(c, $"          {other.TrimEnd('/')}");
        }

        text.AppendLine(c, $"OpenAPI:  {root}{OpenApiPath}");
        text.AppendLine(c, $"Health:   {root}{HealthPath}");
        text.AppendLine(c, $"Tenant:   {DefaultTenant}");
        text.AppendLine(keyFromEnvironment
            ? $"API key:  the one in {ApiKeyVariable}"
            : $"API key:  {apiKey}   (generated now and shown only once; set {ApiKeyVariable} to choose it)");
        text.AppendLine(c, $"Models:   {models.Description}");
        text.AppendLine(settings.Postgres is null
            ? "Stores:   in memory (lost when the server stops; --postgres keeps them)"
            : $"Stores:   PostgreSQL, schema {SchemaFor(DefaultTenant)} for tenant '{DefaultTenant}' (t_<tenant> per tenant), webhooks in {WebhookSchema}");
        if (settings.Orleans is { } cluster)
        {
            text.AppendLine(c, $"Cluster:  Orleans silo {cluster.Address}:{cluster.SiloPort} (gateway {cluster.GatewayPort}), cluster '{cluster.Id}' in Redis {cluster.RedisEndpoints}: routing state in the cluster");
        }

        var limits = new AlignmentHttpOptions();
        text.AppendLine(c, $"Limits:   {settings.RateLimit ?? limits.RateLimitPermits} requests per second per tenant, bodies up to {settings.MaxBody ?? limits.MaxRequestBodyBytes} bytes");
        text.AppendLine(c, $"Nurture:  due steps sent every {(settings.NurtureInterval ?? new AlignmentWorkerOptions().NurtureInterval).TotalSeconds} s");
        text.AppendLine(c, $"Try:      curl -H 'X-Api-Key: <key>' {root}/v1/metrics");
        text.AppendLine("Stop with Ctrl+C.");
        return text.ToString();
    }
}
