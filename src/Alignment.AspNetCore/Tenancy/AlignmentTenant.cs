using Alignment.AspNetCore.Endpoints;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Alignment.AspNetCore.Tenancy;

/// <summary>
/// One tenant's Alignment: its own container of engines and stores, built from the host's <c>ConfigureTenants</c> callback
/// the first time the tenant is asked for. Nothing in it is shared with another tenant, so no call through it can reach
/// another tenant's leads, reps, models or decisions.
/// </summary>
public sealed class AlignmentTenant : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    internal AlignmentTenant(string id, ServiceProvider services)
    {
        Id = id;
        _services = services;
        Ingestion = new LeadIngestion(id, services);
    }

    /// <summary>The tenant's id.</summary>
    public string Id { get; }

    /// <summary>The tenant's services: its engines (<c>ILeadScorer</c>, <c>HandoffRouter</c>, <c>NurtureEngine</c>, …) and stores.</summary>
    public IServiceProvider Services => _services;

    internal LeadIngestion Ingestion { get; }

    private List<IHostedService> _running = [];

    /// <summary>
    /// Starts the background services registered in the tenant's container (for example by <c>AddAlignmentWorker</c> in
    /// <c>ConfigureTenants</c>: the tenant's nurture steps, SLA checks and decision relay), in registration order.
    /// </summary>
    internal async Task StartWorkersAsync(CancellationToken cancellationToken)
    {
        foreach (var service in _services.GetServices<IHostedService>())
        {
            await service.StartAsync(cancellationToken).ConfigureAwait(false);
            _running.Add(service);
        }
    }

    /// <summary>Stops the tenant's background services (in reverse order), then disposes its container.</summary>
    /// <returns>A task that completes when the tenant is stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        var running = Interlocked.Exchange(ref _running, []);
        List<Exception>? failures = null;
        for (int i = running.Count - 1; i >= 0; i--)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await running[i].StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                (failures ??= []).Add(ex);   // the other workers and the container are stopped all the same
            }
        }

        await _services.DisposeAsync().ConfigureAwait(false);
        if (failures is not null)
        {
            throw new AggregateException($"Tenant '{Id}': {failures.Count} background service(s) failed to stop.", failures);
        }
    }
}
