using Alignment.Orleans.Grains;
using Orleans;
using Orleans.Concurrency;

namespace Alignment.Orleans.Sla;

/// <summary>The hosts subscribed to a tenant's cells, each until its subscription lapses.</summary>
[Reentrant]
internal sealed class RoutingSlaGrain : Grain, IRoutingSlaGrain
{
    private readonly List<Subscriber> _subscribers = [];
    private int _next;

    public Task SubscribeAsync(ICellObserver observer, TimeSpan lifetime, bool handlesBreaches, bool publishesDecisions)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var subscriber = new Subscriber(observer, DateTimeOffset.UtcNow + lifetime, handlesBreaches, publishesDecisions);
        int i = _subscribers.FindIndex(s => s.Observer.Equals(observer));
        if (i >= 0)
        {
            _subscribers[i] = subscriber;
        }
        else
        {
            _subscribers.Add(subscriber);
        }

        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(ICellObserver observer)
    {
        _subscribers.RemoveAll(s => s.Observer.Equals(observer));
        return Task.CompletedTask;
    }

    public Task DispatchAsync(string[] leads) => HandOutAsync(static s => s.HandlesBreaches, o => o.BreachedAsync(leads));

    public Task DeliverAsync(string cell, RecordedDecision[] decisions) => HandOutAsync(static s => s.PublishesDecisions, o => o.RecordedAsync(cell, decisions));

    public Task<int> CountSubscribersAsync() => Task.FromResult(_subscribers.Count(s => s.Until >= DateTimeOffset.UtcNow));

    /// <summary>Gives the work to the next subscriber in turn that takes it; to another if that one fails; to none if none is left (its cell hands it out again later).</summary>
    private async Task HandOutAsync(Func<Subscriber, bool> takes, Func<ICellObserver, Task> give)
    {
        var now = DateTimeOffset.UtcNow;
        _subscribers.RemoveAll(s => s.Until < now);
        var candidates = _subscribers.Where(takes).ToArray();
        for (int tried = 0; tried < candidates.Length; tried++)
        {
            var subscriber = candidates[(int)((uint)_next++ % (uint)candidates.Length)];
            try
            {
                await give(subscriber.Observer);
                return;
            }
            catch (Exception)
            {
                // Gone or failing: dropped until it subscribes again.
                _subscribers.RemoveAll(s => s.Observer.Equals(subscriber.Observer));
            }
        }
    }

    private sealed record Subscriber(ICellObserver Observer, DateTimeOffset Until, bool HandlesBreaches, bool PublishesDecisions);
}
