using Alignment.Models.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alignment.Hosting.Workers;

/// <summary>
/// On every instance: before the host starts, loads the active models of <see cref="AlignmentWorkerOptions.ModelTenants"/> from the
/// registry; then every <see cref="AlignmentWorkerOptions.ModelRefreshInterval"/> reads the registry again for every tenant a model
/// is followed for, so an activation or rollback made by another process takes effect here without a restart. A release that does
/// not load is logged once per tenant and problem; the tenant keeps its model.
/// </summary>
internal sealed class ModelRefreshWorker(IServiceProvider services, IOptions<AlignmentWorkerOptions> options, WorkerHealth health, TimeProvider time, ILoggerFactory? loggerFactory = null)
    : AlignmentWorker(options, health, time, loggerFactory)
{
    private readonly Dictionary<(string Tenant, ModelKind Kind), string> _reported = [];

    public override string Name => "model-refresh";

    protected override bool Enabled => (Options.Workers & AlignmentWorkers.ModelRefresh) != 0 && services.GetServices<IActiveModels>().Any();

    protected override TimeSpan StaleAfter => 3 * Options.ModelRefreshInterval + TimeSpan.FromMinutes(1);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Enabled)
        {
            // Before the host starts: the first lead of a listed tenant finds its model loaded.
            // A tenant that cannot be loaded now (registry unreachable, a damaged file) is logged and loaded on its first lead or at
            // the next refresh: it does not keep the host, or the other tenants, from starting.
            foreach (var models in services.GetServices<IActiveModels>())
            {
                foreach (string tenant in Options.ModelTenants)
                {
                    if (await RefreshAsync(models, tenant, cancellationToken).ConfigureAwait(false) && !models.Tenants.Contains(tenant))
                    {
                        HostingLog.ModelMissing(Logger, tenant, models.Kind.ToString());
                    }
                }
            }
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async ValueTask<TimeSpan> RunCycleAsync(CancellationToken cancellationToken)
    {
        // Each tenant on its own: one that fails (a damaged registry file, a loader that throws) neither stops the others from taking
        // up their activations and rollbacks nor ends the cycle; the cycle fails (and backs off) only when every refresh failed.
        int refreshed = 0, failed = 0;
        Exception? last = null;
        foreach (var models in services.GetServices<IActiveModels>())
        {
            foreach (string tenant in models.Tenants.Union(Options.ModelTenants, StringComparer.Ordinal))
            {
                try
                {
                    Report(tenant, models.Kind, await models.RefreshAsync(tenant, cancellationToken).ConfigureAwait(false));
                    refreshed++;
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failed++;
                    last = e;
                    HostingLog.ModelRefreshFailed(Logger, e, tenant, models.Kind.ToString());
                }
            }
        }

        if (failed > 0 && refreshed == 0)
        {
            throw new InvalidOperationException($"No tenant's models could be read from the registry ({failed} failed); see the inner exception.", last);
        }

        return Options.ModelRefreshInterval;
    }

    private async ValueTask<bool> RefreshAsync(IActiveModels models, string tenant, CancellationToken cancellationToken)
    {
        try
        {
            Report(tenant, models.Kind, await models.RefreshAsync(tenant, cancellationToken).ConfigureAwait(false));
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            HostingLog.ModelRefreshFailed(Logger, e, tenant, models.Kind.ToString());
            return false;
        }
    }

    private void Report(string tenant, ModelKind kind, IReadOnlyList<string> problems)
    {
        string text = string.Join("; ", problems);
        lock (_reported)
        {
            if (problems.Count == 0)
            {
                _reported.Remove((tenant, kind));
                return;
            }

            if (_reported.TryGetValue((tenant, kind), out string? before) && before == text)
            {
                return;
            }

            _reported[(tenant, kind)] = text;
        }

        HostingLog.ModelRejected(Logger, tenant, kind.ToString(), text);
    }
}
