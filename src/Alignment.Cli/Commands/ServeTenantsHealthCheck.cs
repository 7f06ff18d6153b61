using Alignment.AspNetCore.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Alignment.Cli.Commands;

/// <summary>
/// The health of <c>alignment serve</c>: every started tenant's own Alignment checks (<c>AddAlignmentChecks</c> in the tenant's
/// container: its workers' last cycles and its stores' reachability and schema version), worst first. The workers and the store
/// probes live in each tenant's container, so the checks run there; the root container has none of its own.
/// </summary>
/// <param name="tenants">The host's tenants.</param>
internal sealed class ServeTenantsHealthCheck(AlignmentTenants tenants) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = HealthStatus.Healthy;
        var problems = new List<string>();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (string id in tenants.Started.Order(StringComparer.Ordinal))
        {
            var tenant = await tenants.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (tenant.Services.GetService<HealthCheckService>() is not { } checks)
            {
                continue;
            }

            var report = await checks.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
            data[id] = report.Status.ToString();
            if (report.Status < status)
            {
                status = report.Status;
            }

            foreach (var (name, entry) in report.Entries)
            {
                if (entry.Status != HealthStatus.Healthy)
                {
                    problems.Add($"tenant '{id}', {name}: {entry.Description ?? entry.Status.ToString()}");
                }
            }
        }

        return new HealthCheckResult(status, problems.Count == 0 ? "every tenant is healthy" : string.Join("; ", problems), data: data);
    }
}
