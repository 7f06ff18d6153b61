using Orleans;
using Orleans.Concurrency;

namespace Alignment.Orleans.Sla;

/// <summary>The routers subscribed to a tenant's service-level clocks, each until its subscription lapses.</summary>
[Reentrant]
internal sealed class RoutingSlaGrain : Grain, IRoutingSlaGrain
{
    private readonly List<(ISlaBreachObserver Observer, DateTimeOffset Until)> _subscribers = [];
    private int _next;

    public Task SubscribeAsync(ISlaBreachObserver observer, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var until = DateTimeOffset.UtcNow + lifetime;
        int i = _subscribers.FindIndex(s => s.Observer.Equals(observer));
        if (i >= 0)
        {
            _subscribers[i] = (observer, until);
        }
        else
        {
            _subscribers.Add((observer, until));
        }

        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(ISlaBreachObserver observer)
    {
        _subscribers.RemoveAll(s => s.Observer.Equals(observer));
        return Task.CompletedTask;
    }

    public async Task DispatchAsync(string[] leads)
    {
        var now = DateTimeOffset.UtcNow;
        _subscribers.RemoveAll(s => s.Until < now);
        for (int tried = 0, count = _subscribers.Count; tried < count && _subscribers.Count > 0; tried++)
        {
            var (observer, _) = _subscribers[_next++ % _subscribers.Count];
            try
            {
                await observer.BreachedAsync(leads);
                return;
            }
            catch (Exception)
            {
                // Gone or failing: dropped until it subscribes again; the next router in turn gets the leads.
                _subscribers.RemoveAll(s => s.Observer.Equals(observer));
            }
        }

        // Nobody took them: the cell hands them out again after its retry interval.
    }

    public Task<int> CountSubscribersAsync() => Task.FromResult(_subscribers.Count(s => s.Until >= DateTimeOffset.UtcNow));
}
