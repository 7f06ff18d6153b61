using Alignment.Orleans.Grains;
using Orleans;
using Orleans.Concurrency;

namespace Alignment.Orleans.Sla;

/// <summary>A host subscribed to its tenant's cells: told the leads whose first touch is overdue, and given the decisions to publish.</summary>
[Alias("alignment.cell-observer")]
internal interface ICellObserver : IGrainObserver
{
    /// <summary>Takes the leads to handle; answers at once (the handling runs behind it), so a slow router does not hold the caller.</summary>
    [Alias("breached")]
    Task BreachedAsync(string[] leads);

    /// <summary>Takes decisions to publish, which it acknowledges to <paramref name="cell"/> once published; answers at once.</summary>
    [Alias("recorded")]
    Task RecordedAsync(string cell, RecordedDecision[] decisions);
}

/// <summary>
/// One per tenant (key: the tenant): the hosts subscribed to its cells, to which the cells hand the leads whose first touch is
/// overdue and the decisions to publish. Not saved: hosts subscribe again every few seconds, so a silo lost loses nothing that does
/// not come back, and what was not handled meanwhile is handed out again by its cell.
/// </summary>
[Alias("alignment.routing-sla")]
internal interface IRoutingSlaGrain : IGrainWithStringKey
{
    /// <summary>Subscribes (or renews) a host for <paramref name="lifetime"/>: one that handles breaches, publishes decisions, or both.</summary>
    [Alias("subscribe")]
    Task SubscribeAsync(ICellObserver observer, TimeSpan lifetime, bool handlesBreaches, bool publishesDecisions);

    [Alias("unsubscribe")]
    Task UnsubscribeAsync(ICellObserver observer);

    /// <summary>Hands the leads to one subscribed host that handles breaches (the next in turn; another if that one fails). One-way: a cell never waits for a host, which calls the cell back.</summary>
    [Alias("dispatch")]
    [OneWay]
    Task DispatchAsync(string[] leads);

    /// <summary>Hands a cell's decisions to one subscribed host that publishes them. One-way, as <see cref="DispatchAsync"/>.</summary>
    [Alias("deliver")]
    [OneWay]
    Task DeliverAsync(string cell, RecordedDecision[] decisions);

    [Alias("subscribers")]
    [ReadOnly]
    Task<int> CountSubscribersAsync();
}
