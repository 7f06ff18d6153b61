using Alignment.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Alignment.Hosting;

/// <summary>Healthy while every running worker's last successful cycle is younger than its limit; reports each worker's age, role and failures.</summary>
internal sealed class WorkersHealthCheck(WorkerHealth health, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var stale = new List<string>();
        foreach (var (name, e) in health.Snapshot())
        {
            var age = e.LastSuccess is { } last ? now - last : TimeSpan.MaxValue;
            data[name] = e.Role is null ? $"last success {Describe(age)} ago, {e.Failures} failures in a row" : $"{e.Role}, last success {Describe(age)} ago, {e.Failures} failures in a row";
            if (age > e.StaleAfter)
            {
                stale.Add(e.LastError is null ? $"{name}: no successful cycle for {Describe(age)} (limit {e.StaleAfter})" : $"{name}: no successful cycle for {Describe(age)} (limit {e.StaleAfter}), last error {e.LastError}");
            }
        }

        return Task.FromResult(stale.Count == 0
            ? HealthCheckResult.Healthy($"{data.Count} Alignment workers running", data)
            : HealthCheckResult.Unhealthy(string.Join("; ", stale), data: data));
    }

    private static string Describe(TimeSpan age) => age == TimeSpan.MaxValue ? "ever" : age.ToString(@"d\.hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Healthy while every registered <see cref="IStoreHealthProbe"/> is (reachable, schema at the expected version); in-memory stores register none.</summary>
internal sealed class StoresHealthCheck(IEnumerable<IStoreHealthProbe> probes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var bad = new List<string>();
        foreach (var probe in probes)
        {
            var result = await probe.ProbeAsync(cancellationToken).ConfigureAwait(false);
            data[probe.Name] = result.Description;
            if (!result.IsHealthy)
            {
                bad.Add($"{probe.Name}: {result.Description}");
            }
        }

        return bad.Count == 0
            ? HealthCheckResult.Healthy(data.Count == 0 ? "in-memory stores" : $"{data.Count} stores reachable at the expected schema", data)
            : HealthCheckResult.Unhealthy(string.Join("; ", bad), data: data);
    }
}
