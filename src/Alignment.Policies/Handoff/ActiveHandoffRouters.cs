using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Alignment.Handoff;
using Alignment.Models;
using Alignment.Models.Registry;

namespace Alignment.Policies.Handoff;

/// <summary>
/// Routes each lead with the routing policy its tenant has active in a <see cref="IModelRegistry"/> (<see cref="ModelKind.Routing"/>,
/// a <see cref="RoutingRelease"/>): one <see cref="HandoffRouter"/> per tenant per activation, over the tenant's services (its
/// <see cref="IRoutingStateStore"/>, decision sink, lifecycle…), which every version of the tenant's policy shares. An activation or a
/// rollback takes effect without a restart, on the next lead; a call in flight finishes on the router, and so the policy, it started
/// with, and its decision names that policy (<see cref="HandoffDecision.Policy"/>: id, version, content hash).
/// </summary>
/// <remarks>
/// <para>
/// Resolving a tenant's router (<see cref="TryGetRouter"/>, and so <see cref="RouteAsync"/>) is a lock-free lookup that allocates
/// nothing while the tenant's policy stays the same; the first call after an activation builds the new version's router. A
/// replaced router is not disposed: it stays usable for the calls still running on it (its meter comes from this instance, which
/// disposes it).
/// </para>
/// <para>
/// Routing state is kept by rep id and by pool key (<c>policyId/ruleId</c>), not by roster position, so a new version sees the
/// counters and rotations the previous one left: a rep on both rosters keeps their open and daily counts, a rep who left is no
/// longer chosen, a new rep starts empty, and a rule kept under the same id continues its rotation. Handoffs made under an earlier
/// version are escalated (<see cref="HandoffRouter.ProcessSlaBreachesAsync(CancellationToken)"/>) and reassigned by the version active when the breach
/// is handled, with that version's rule of the same id; accept, reject and first touch do not depend on the version.
/// </para>
/// <para>
/// Thread-safe. A release that does not load, or loads to another hash than the one approved, is not taken up: the tenant keeps
/// routing with its policy and <see cref="Rejected"/> says why.
/// </para>
/// </remarks>
public sealed class ActiveHandoffRouters : IDisposable
{
    private readonly ActiveModels<CompiledRoutingPolicy> _active;
    private readonly Func<string, HandoffRouterServices> _servicesFor;
    private readonly HandoffOptions? _options;
    private readonly SharedMeterFactory _meters = new();
    private readonly ConcurrentDictionary<string, Lazy<HandoffRouterServices>> _services = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TenantRouter> _routers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RoutingChallenger> _challengers = new(StringComparer.Ordinal);

    /// <summary>Follows the active routing releases of <paramref name="registry"/>.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="servicesFor">
    /// The services of a tenant's routers, called once per tenant: the state store, decision sink and collaborators every version of
    /// the tenant's policy shares. Give each tenant its own <see cref="IRoutingStateStore"/> (or a store whose lead ids, rep ids and
    /// policy ids never collide between tenants): service levels are listed and escalated per store.
    /// </param>
    /// <param name="options">Recycle reasons and the upcoming-SLA window of every router; defaults when <see langword="null"/>.</param>
    /// <param name="loadOptions">The limits of a release document; <see langword="null"/> for the defaults. A <see cref="RoutingPolicyLoadOptions"/> also gives the plugin strategies and conditions the releases' rules may name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> or <paramref name="servicesFor"/> is null.</exception>
    public ActiveHandoffRouters(IModelRegistry registry, Func<string, HandoffRouterServices> servicesFor, HandoffOptions? options = null, ModelLoadOptions? loadOptions = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(servicesFor);
        _servicesFor = servicesFor;
        _options = options;
        _active = new ActiveModels<CompiledRoutingPolicy>(registry, new RoutingReleaseLoader(loadOptions));
        _active.Rejected += OnRejected;
    }

    /// <summary>The tenants' compiled policies with their activations (release key, content hash, who activated it and when).</summary>
    public ActiveModels<CompiledRoutingPolicy> Policies => _active;

    /// <summary>Raised when an active routing release is not taken up (it does not load, or its hash differs from the approved one). An exception a handler throws is ignored.</summary>
    public event EventHandler<ModelRejectedEventArgs>? Rejected;

    /// <summary>The router of a tenant's active policy, as this host has taken it up: a lock-free lookup, no allocation while the policy stays the same.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="router">The router, or <see langword="null"/> when the tenant has no policy (yet: see <see cref="GetRouterAsync"/>).</param>
    /// <returns><see langword="true"/> when the tenant has a policy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tenant"/> is null.</exception>
    public bool TryGetRouter(string tenant, [NotNullWhen(true)] out HandoffRouter? router)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (!_active.TryGetActive(tenant, out var active))
        {
            router = null;
            return false;
        }

        router = RouterOf(tenant, active);
        return true;
    }

    /// <summary>
    /// The router of a tenant's active policy, read from the registry on first use. Use it for the tenant's handoff work other than
    /// routing (service levels, accept, reject, first touch, the field handoff): every version's router works on the same state.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The router.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">The tenant has no active routing release, or its active release was rejected (the message says why).</exception>
    public async ValueTask<HandoffRouter> GetRouterAsync(string tenant, CancellationToken cancellationToken = default)
    {
        var active = await _active.GetAsync(tenant, cancellationToken).ConfigureAwait(false);
        return RouterOf(tenant, active);
    }

    /// <summary>Reads the tenant's active routing release from the registry and takes it up if it is later than the one in use (a host sharing the registry with other processes polls this).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Why the active release was not taken up; empty when it was, when it already was in use, or when none is active.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    public ValueTask<IReadOnlyList<string>> RefreshAsync(string tenant, CancellationToken cancellationToken = default) =>
        _active.RefreshAsync(tenant, cancellationToken);

    /// <summary>Routes a lead of a tenant with the tenant's active policy (<see cref="HandoffRouter.RouteAsync"/>).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="request">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decision; its <see cref="HandoffDecision.Policy"/> names the policy version that made it.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The tenant has no active routing release, or its active release was rejected.</exception>
    /// <remarks>An exception the services factory throws for the tenant is passed on; the factory is called again on the next call.</remarks>
    public ValueTask<HandoffDecision> RouteAsync(string tenant, HandoffRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ArgumentNullException.ThrowIfNull(request);
        var routed = TryGetRouter(tenant, out var router) ? router.RouteAsync(request, cancellationToken) : RouteSlowAsync(tenant, request, cancellationToken);
        return _challengers.IsEmpty || !_challengers.TryGetValue(tenant, out var challenger) ? routed : BesideChallengerAsync(tenant, request, routed, challenger);
    }

    /// <summary>
    /// Attaches a candidate routing release as its tenant's challenger: from now on every lead <see cref="RouteAsync"/> routes for the
    /// tenant is also decided by the candidate, <b>in simulation only</b> (its own simulated rep loads, each simulated handoff released
    /// after <paramref name="holdTime"/>; nothing reaches a rep, the store or the decision sink), and the comparison is counted for
    /// <see cref="GetChallengerComparison"/>. The champion's decision is returned unchanged. Replaces an earlier challenger of the tenant.
    /// </summary>
    /// <param name="candidate">The candidate release (<see cref="ModelKind.Routing"/>; it need not be approved: it decides nothing).</param>
    /// <param name="holdTime">How long a simulated handoff counts against the rep's capacity; default one day.</param>
    /// <param name="maxExamples">The most differing leads kept as examples.</param>
    /// <param name="maxLeads">The most distinct leads remembered so that a lead routed again is counted once; past it, new leads are counted without being remembered.</param>
    /// <returns>Why the candidate was not attached (it does not load, or loads to another hash); empty when it was.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="candidate"/> is null.</exception>
    /// <exception cref="ArgumentException">The candidate is not a routing release.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="holdTime"/>, <paramref name="maxExamples"/> or <paramref name="maxLeads"/> is negative.</exception>
    public IReadOnlyList<string> AttachChallenger(ModelRelease candidate, TimeSpan? holdTime = null, int maxExamples = 5, int maxLeads = 100_000)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentOutOfRangeException.ThrowIfNegative(maxExamples);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLeads);
        var hold = holdTime ?? TimeSpan.FromDays(1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hold, TimeSpan.Zero, nameof(holdTime));
        if (candidate.Key.Kind != ModelKind.Routing)
        {
            throw new ArgumentException($"{candidate.Key} is not a routing release.", nameof(candidate));
        }

        if (!_active.TryLoad(candidate, out var policy, out var problems))
        {
            return problems;
        }

        _challengers[candidate.Key.Tenant] = new RoutingChallenger(candidate.Key, policy, hold, maxExamples, maxLeads);
        return [];
    }

    /// <summary>Detaches the tenant's routing challenger; its comparison is dropped.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <returns><see langword="true"/> when the tenant had one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tenant"/> is null.</exception>
    public bool DetachChallenger(string tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return _challengers.TryRemove(tenant, out _);
    }

    /// <summary>What the tenant's routing challenger would have decided differently on the leads routed since it was attached.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <returns>The comparison, or <see langword="null"/> when the tenant has no routing challenger.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tenant"/> is null.</exception>
    public RoutingChallengerComparison? GetChallengerComparison(string tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return _challengers.TryGetValue(tenant, out var challenger) ? challenger.Report() : null;
    }

    /// <summary>An <see cref="IHandoffPolicy"/> that routes each lead with the active policy of the tenant <paramref name="tenantOf"/> names.</summary>
    /// <param name="tenantOf">The tenant of a request (for example from the lead's business unit); called once per lead.</param>
    /// <returns>The policy; it throws <see cref="InvalidOperationException"/> for a lead whose tenant has no active routing release.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tenantOf"/> is null.</exception>
    public IHandoffPolicy RouterFor(Func<HandoffRequest, string> tenantOf)
    {
        ArgumentNullException.ThrowIfNull(tenantOf);
        return new TenantPolicy(this, tenantOf);
    }

    /// <summary>Stops following the registry and disposes the meter the routers share.</summary>
    public void Dispose()
    {
        _active.Dispose();
        _meters.Dispose();
    }

    private void OnRejected(object? sender, ModelRejectedEventArgs e)
    {
        if (Rejected is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<ModelRejectedEventArgs>>())
        {
            try
            {
                handler(this, e);
            }
#pragma warning disable CA1031 // A subscriber's failure must not stop the others nor the take-up (documented: ignored).
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private async ValueTask<HandoffDecision> BesideChallengerAsync(string tenant, HandoffRequest request, ValueTask<HandoffDecision> routed, RoutingChallenger challenger)
    {
        var decision = await routed.ConfigureAwait(false);
        try
        {
            challenger.Observe(request, decision, (ServicesOf(tenant).TimeProvider ?? TimeProvider.System).GetUtcNow());
        }
#pragma warning disable CA1031 // The challenger decides nothing: whatever it throws must not fail the champion's routing.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (_challengers.TryRemove(new KeyValuePair<string, RoutingChallenger>(tenant, challenger)))
            {
                OnRejected(this, new ModelRejectedEventArgs(challenger.Key, [$"the routing challenger failed on lead {request.Lead.Id} and was detached: {e.Message}"]));
            }
        }

        return decision;
    }

    private async ValueTask<HandoffDecision> RouteSlowAsync(string tenant, HandoffRequest request, CancellationToken cancellationToken)
    {
        var router = await GetRouterAsync(tenant, cancellationToken).ConfigureAwait(false);
        return await router.RouteAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private HandoffRouter RouterOf(string tenant, ActiveModel<CompiledRoutingPolicy> active)
    {
        if (_routers.TryGetValue(tenant, out var current) && ReferenceEquals(current.Active, active))
        {
            return current.Router;
        }

        // The first call after an activation builds the router of the version now active. Racing calls may each build one; the
        // cache keeps the last written, and a call that finds the cache behind the active version builds again, so a router of a
        // replaced version is never handed out once the new version is seen as active.
        var fresh = new TenantRouter(active, new HandoffRouter(active.Model, ServicesOf(tenant), _options));
        _routers[tenant] = fresh;
        return fresh.Router;
    }

    private HandoffRouterServices ServicesOf(string tenant)
    {
        var lazy = _services.GetOrAdd(tenant, static (t, self) => new Lazy<HandoffRouterServices>(() => self.CreateServices(t)), this);
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A factory that failed (a database not reachable yet) is asked again on the next call, not remembered as failed.
            _services.TryRemove(new KeyValuePair<string, Lazy<HandoffRouterServices>>(tenant, lazy));
            throw;
        }
    }

    private HandoffRouterServices CreateServices(string tenant)
    {
        var s = _servicesFor(tenant) ?? throw new InvalidOperationException($"The services factory returned null for tenant '{tenant}'.");
        return s.MeterFactory is not null ? s : new HandoffRouterServices
        {
            Store = s.Store,
            Decisions = s.Decisions,
            TimeProvider = s.TimeProvider,
            Lifecycle = s.Lifecycle,
            Nurture = s.Nurture,
            Escalation = s.Escalation,
            LoggerFactory = s.LoggerFactory,
            MeterFactory = _meters,
        };
    }

    private sealed class TenantRouter(ActiveModel<CompiledRoutingPolicy> active, HandoffRouter router)
    {
        public ActiveModel<CompiledRoutingPolicy> Active { get; } = active;

        public HandoffRouter Router { get; } = router;
    }

    private sealed class TenantPolicy(ActiveHandoffRouters routers, Func<HandoffRequest, string> tenantOf) : IHandoffPolicy
    {
        public ValueTask<HandoffDecision> RouteAsync(HandoffRequest request, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(request);
            return routers.RouteAsync(tenantOf(request), request, cancellationToken);
        }
    }

    /// <summary>One meter per name for every router built here, so replaced routers leave no meter behind; disposed with the owner.</summary>
    private sealed class SharedMeterFactory : IMeterFactory
    {
        private readonly ConcurrentDictionary<string, Meter> _meters = new(StringComparer.Ordinal);

        public Meter Create(MeterOptions options) => _meters.GetOrAdd(options.Name, static (name, state) => new Meter(new MeterOptions(name) { Version = state.Options.Version, Scope = state.Self }), (Options: options, Self: this));

        public void Dispose()
        {
            foreach (var meter in _meters.Values)
            {
                meter.Dispose();
            }
        }
    }
}
