using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Alignment.AspNetCore.Endpoints;
using Alignment.AspNetCore.Webhooks;
using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Nurture;
using Alignment.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Alignment.AspNetCore.Tenancy;

/// <summary>
/// The tenants of a host: builds each tenant's <see cref="AlignmentTenant"/> on first use (once, even under concurrent
/// requests), keeps it, and disposes every one with the host. A tenant whose configuration fails is not kept: the next
/// request tries again, and the error names the tenant.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class AlignmentTenants : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<AlignmentTenant>>> _tenants = new(StringComparer.Ordinal);
    private readonly AlignmentTenantSetup _setup;
    private readonly IServiceProvider _root;
    private bool _disposed;

    internal AlignmentTenants(AlignmentTenantSetup setup, IServiceProvider root)
    {
        _setup = setup;
        _root = root;
    }

    /// <summary>The tenants started so far.</summary>
    public IReadOnlyCollection<string> Started => [.. _tenants.Where(t => t.Value.IsValueCreated && t.Value.Value.IsCompletedSuccessfully).Select(t => t.Key)];

    /// <summary>Gets a tenant, building it on first use.</summary>
    /// <param name="tenant">The tenant's id.</param>
    /// <param name="cancellationToken">Cancels the wait (the tenant's start goes on for the next caller).</param>
    /// <returns>The tenant.</returns>
    /// <exception cref="ArgumentException">The id is not a valid tenant id (<see cref="TenantIds"/>).</exception>
    /// <exception cref="InvalidOperationException">The tenant's configuration is invalid; the message names the tenant and the problem.</exception>
    /// <exception cref="ObjectDisposedException">The host is stopping.</exception>
    public async ValueTask<AlignmentTenant> GetAsync(string tenant, CancellationToken cancellationToken = default)
    {
        TenantIds.Check(tenant, nameof(tenant));
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        var lazy = _tenants.GetOrAdd(tenant, static (id, self) => new Lazy<Task<AlignmentTenant>>(() => self.StartAsync(id)), this);
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            _tenants.TryRemove(new KeyValuePair<string, Lazy<Task<AlignmentTenant>>>(tenant, lazy));
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>A second call does nothing (a host may stop the tenants before its service provider disposes them).</remarks>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _disposed))
        {
            return;
        }

        Volatile.Write(ref _disposed, true);
        List<Exception>? failures = null;
        foreach (var lazy in _tenants.Values)
        {
            if (!lazy.IsValueCreated)
            {
                continue;
            }

            try
            {
                // A tenant still starting is awaited, so its workers are stopped too.
                var tenant = await lazy.Value.ConfigureAwait(false);
                await tenant.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (lazy.Value.IsCompletedSuccessfully)
            {
                (failures ??= []).Add(ex);
            }
            catch (Exception)
            {
                // The tenant never started: its start cleaned up after itself.
            }
        }

        _tenants.Clear();
        if (failures is not null)
        {
            throw new AggregateException("Some tenants failed to stop.", failures);
        }
    }

    /// <summary>
    /// With <c>AddAlignmentWebhooks</c> in the host, every decision of the tenant goes to its webhooks: the tenant's sink
    /// becomes a <see cref="WebhookDecisionSink"/> (in place of the in-memory default, which nobody reads in a service), or
    /// both it and the sink the host registered in <c>ConfigureTenants</c>.
    /// </summary>
    private void AddWebhooks(string id, ServiceCollection services)
    {
        if (_root.GetService<IWebhookSubscriptionStore>() is not { } subscriptions || _root.GetService<IWebhookDeliveryStore>() is not { } deliveries)
        {
            return;
        }

        var webhooks = new WebhookDecisionSink(id, subscriptions, deliveries, _root.GetService<TimeProvider>() ?? TimeProvider.System);
        var host = services.LastOrDefault(d => d.ServiceType == typeof(IDecisionSink) && !d.IsKeyedService);
        services.RemoveAll<IDecisionSink>();
        if (host is null || host.ImplementationType == typeof(InMemoryDecisionSink))
        {
            services.AddSingleton<IDecisionSink>(webhooks);
            return;
        }

        const string HostSink = "alignment:host-sink";
        services.Add(host.ImplementationInstance is { } instance ? new ServiceDescriptor(typeof(IDecisionSink), HostSink, instance)
            : host.ImplementationFactory is { } factory ? new ServiceDescriptor(typeof(IDecisionSink), HostSink, (sp, _) => factory(sp), host.Lifetime)
            : new ServiceDescriptor(typeof(IDecisionSink), HostSink, host.ImplementationType!, host.Lifetime));
        services.AddSingleton<IDecisionSink>(sp => new FanOutDecisionSink(webhooks, sp.GetRequiredKeyedService<IDecisionSink>(HostSink)));
    }

    private async Task<AlignmentTenant> StartAsync(string id)
    {
        await Task.Yield();
        var services = new ServiceCollection();
        services.AddSingleton(_root.GetService<TimeProvider>() ?? TimeProvider.System);
        services.AddSingleton(_root.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        if (_root.GetService<IMeterFactory>() is { } meters)
        {
            services.AddSingleton(meters);
        }

        // The nurture engine reads leads from what was ingested; registered first, so AddNurture's default does not win.
        services.AddSingleton<ILeadSnapshotSource>(static sp => new LeadDocumentSnapshotSource(sp));
        var alignment = services.AddAlignment();
        foreach (var configure in _setup.Configure)
        {
            configure(id, alignment);
        }

        AddWebhooks(id, services);

        // The tenant's receipt retention pass: receipts older than ReceiptRetention are removed, a bounded pass per interval.
        var http = _root.GetService<IOptions<AlignmentHttpOptions>>()?.Value ?? new AlignmentHttpOptions();
        services.AddSingleton<IHostedService>(sp => new RetentionWorker(
            $"ingest receipts of tenant {id}", sp.GetRequiredService<ILeadDocumentStore>().PurgeReceiptsAsync, http.ReceiptRetention, http.RetentionInterval,
            http.RetentionBatchSize, sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<RetentionWorker>>()));
        services.TryAddSingleton(static sp => new LifecycleRecorder(sp.GetRequiredService<ILifecycleStore>(), sp.GetRequiredService<IDecisionSink>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<IMeterFactory>()));
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        AlignmentTenant tenant;
        try
        {
            tenant = new AlignmentTenant(id, provider);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"Tenant '{id}' could not start: {ex.Message}", ex);
        }

        try
        {
            foreach (var started in _setup.OnStarted)
            {
                await started(tenant, CancellationToken.None).ConfigureAwait(false);
            }

            await tenant.StartWorkersAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await tenant.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"Tenant '{id}' could not start: {ex.Message}", ex);
        }

        return tenant;
    }
}
