using System.Runtime.CompilerServices;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Orleans.Grains;
using Orleans;

namespace Alignment.Orleans.Lifecycle;

/// <summary>
/// An <see cref="ILifecycleStore"/> whose lifecycles live in an Orleans cluster: one grain per lead of a tenant, the only writer of
/// that lead's history, so two hosts moving one lead at once are ordered by the grain (the loser's version no longer matches) with no
/// database lock; listing reads the tenant's lifecycle partitions (16 grains that know the leads' ids).
/// </summary>
/// <remarks>
/// Thread-safe. The store does not record decisions (<see cref="ILifecycleStore.RecordsDecisions"/> is false): the
/// <c>LifecycleRecorder</c> publishes each stage change once the store says it saved it.
/// </remarks>
public sealed class OrleansLifecycleStore : ILifecycleStore
{
    private readonly IGrainFactory _grains;
    private readonly string _tenant;

    /// <summary>Creates a store over a cluster.</summary>
    /// <param name="grains">The cluster client's (or a silo's) grain factory.</param>
    /// <param name="tenant">The tenant whose lifecycles this store reads and writes; other tenants' grains are never touched.</param>
    /// <exception cref="ArgumentNullException"><paramref name="grains"/> or <paramref name="tenant"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    public OrleansLifecycleStore(IGrainFactory grains, string tenant = "default")
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        _grains = grains;
        _tenant = tenant;
    }

    /// <inheritdoc />
    public async ValueTask<LeadLifecycle?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var record = await Grain(leadId.Value).GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return record?.ToLifecycle();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="lifecycle"/> is null.</exception>
    public async ValueTask<bool> TrySaveAsync(LeadLifecycle lifecycle, int expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        cancellationToken.ThrowIfCancellationRequested();
        return await Grain(lifecycle.LeadId.Value).TrySaveAsync(LifecycleRecord.From(lifecycle), expectedVersion).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LeadLifecycle> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        for (int p = 0; p < OrleansIndexes.Partitions; p++)
        {
            var leads = await _grains.GetGrain<IIdIndexGrain>(OrleansIndexes.Lifecycles(_tenant, p)).ListAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            foreach (var lead in leads)
            {
                if (await Grain(lead).GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false) is { } record)
                {
                    yield return record.ToLifecycle();
                }
            }
        }
    }

    private ILeadLifecycleGrain Grain(string lead) => _grains.GetGrain<ILeadLifecycleGrain>(AlignmentOrleans.Key(_tenant, lead));
}
