using System.Text.Json.Serialization;
using Alignment.Lifecycle;

namespace Alignment.Policies.Metrics;

/// <summary>The conversion between two consecutive stages of the waterfall.</summary>
public sealed class StageConversion
{
    /// <summary>Creates the value (the engine does; hosts read it).</summary>
    /// <param name="from">The earlier stage.</param>
    /// <param name="to">The later stage.</param>
    /// <param name="fromLeads">Leads that reached <paramref name="from"/>.</param>
    /// <param name="toLeads">Leads that reached <paramref name="to"/>.</param>
    /// <param name="rate"><paramref name="toLeads"/> / <paramref name="fromLeads"/> (0 when no lead reached <paramref name="from"/>), rounded to four places.</param>
    [JsonConstructor]
    internal StageConversion(LifecycleStage from, LifecycleStage to, int fromLeads, int toLeads, double rate)
    {
        From = from;
        To = to;
        FromLeads = fromLeads;
        ToLeads = toLeads;
        Rate = rate;
    }

    /// <summary>The earlier stage.</summary>
    public LifecycleStage From { get; }

    /// <summary>The later stage.</summary>
    public LifecycleStage To { get; }

    /// <summary>Leads that reached <see cref="From"/>.</summary>
    public int FromLeads { get; }

    /// <summary>Leads that reached <see cref="To"/>.</summary>
    public int ToLeads { get; }

    /// <summary><see cref="ToLeads"/> / <see cref="FromLeads"/> (0 when no lead reached <see cref="From"/>), rounded to four places.</summary>
    public double Rate { get; }
}
