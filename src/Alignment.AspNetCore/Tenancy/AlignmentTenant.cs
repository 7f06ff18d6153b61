using Alignment.AspNetCore.Endpoints;
using Microsoft.Extensions.DependencyInjection;

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

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
