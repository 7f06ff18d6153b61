using Orleans;
using Orleans.Concurrency;

namespace Alignment.Orleans.Sla;

/// <summary>A router subscribed to a tenant's service-level clocks: told the leads whose first touch is overdue.</summary>
[Alias("alignment.sla-observer")]
internal interface ISlaBreachObserver : IGrainObserver
{
    /// <summary>Takes the leads to handle; answers at once (the handling runs behind it), so a slow router does not hold the caller.</summary>
    [Alias("breached")]
    Task BreachedAsync(string[] leads);
}

/// <summary>
/// One per tenant (key: the tenant): the routers subscribed to its service-level clocks, to which its cells hand the leads whose
/// first touch is overdue. Not saved: routers subscribe again every few seconds, so a silo lost loses nothing that does not come
/// back, and a lead not handled meanwhile is handed out again by its cell.
/// </summary>
[Alias("alignment.routing-sla")]
internal interface IRoutingSlaGrain : IGrainWithStringKey
{
    [Alias("subscribe")]
    Task SubscribeAsync(ISlaBreachObserver observer, TimeSpan lifetime);

    [Alias("unsubscribe")]
    Task UnsubscribeAsync(ISlaBreachObserver observer);

    /// <summary>Hands the leads to one subscribed router (the next in turn; another if that one fails). One-way: a cell never waits for a router, which calls the cell back.</summary>
    [Alias("dispatch")]
    [OneWay]
    Task DispatchAsync(string[] leads);

    [Alias("subscribers")]
    [ReadOnly]
    Task<int> CountSubscribersAsync();
}
