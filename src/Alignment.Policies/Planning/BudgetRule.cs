using System.Collections.Immutable;

namespace Alignment.Policies.Planning;

/// <summary>
/// How <see cref="BudgetPlanner"/> splits next period's budget: every channel first gets its floor; the rest goes to the channels in
/// proportion to the won revenue each brought per unit of spend under <see cref="Model"/>, no channel past its cap (what a capped
/// channel cannot take is shared again among the others, by the same proportion). A channel that brought no closed revenue keeps its
/// floor; when no channel with room left brought any, the rest is shared equally among those with room.
/// </summary>
public sealed class BudgetRule
{
    /// <summary>The attribution model whose revenue per unit of spend sets the weights. Default <see cref="AttributionModel.Linear"/>.</summary>
    public AttributionModel Model { get; init; } = AttributionModel.Linear;

    /// <summary>Every channel's least share of the budget (0 to 1) unless <see cref="Floors"/> names it. Default 0.05.</summary>
    public double DefaultFloor { get; init; } = 0.05;

    /// <summary>Every channel's greatest share of the budget (0 to 1) unless <see cref="Caps"/> names it. Default 0.5.</summary>
    public double DefaultCap { get; init; } = 0.5;

    /// <summary>Floors of named channels (share of the budget, 0 to 1).</summary>
    public ImmutableDictionary<string, double> Floors { get; init; } = ImmutableDictionary<string, double>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Caps of named channels (share of the budget, 0 to 1).</summary>
    public ImmutableDictionary<string, double> Caps { get; init; } = ImmutableDictionary<string, double>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>A channel's floor.</summary>
    /// <param name="channel">The channel.</param>
    /// <returns>Its floor.</returns>
    public double FloorOf(string channel) => Floors.TryGetValue(channel, out var floor) ? floor : DefaultFloor;

    /// <summary>A channel's cap.</summary>
    /// <param name="channel">The channel.</param>
    /// <returns>Its cap.</returns>
    public double CapOf(string channel) => Caps.TryGetValue(channel, out var cap) ? cap : DefaultCap;

    /// <summary>Checks the rule for some channels: every share between 0 and 1, no floor above its cap, floors that fit in the budget and caps that can hold it.</summary>
    /// <param name="channels">The channels the budget is split between.</param>
    /// <exception cref="ArgumentException">The rule cannot split a budget between them; the message names the channel or the sum.</exception>
    public void Validate(IReadOnlyCollection<string> channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        Share(DefaultFloor, nameof(DefaultFloor));
        Share(DefaultCap, nameof(DefaultCap));
        foreach (var (channel, share) in Floors)
        {
            Share(share, $"{nameof(Floors)}['{channel}']");
        }

        foreach (var (channel, share) in Caps)
        {
            Share(share, $"{nameof(Caps)}['{channel}']");
        }

        double floors = 0, caps = 0;
        foreach (var channel in channels)
        {
            if (FloorOf(channel) > CapOf(channel))
            {
                throw new ArgumentException($"The floor of channel '{channel}' ({FloorOf(channel)}) is above its cap ({CapOf(channel)}).", nameof(channels));
            }

            floors += FloorOf(channel);
            caps += CapOf(channel);
        }

        if (channels.Count > 0 && floors > 1 + 1e-9)
        {
            throw new ArgumentException($"The floors of the {channels.Count} channels add up to {floors:0.####}, more than the whole budget.", nameof(channels));
        }

        if (channels.Count > 0 && caps < 1 - 1e-9)
        {
            throw new ArgumentException($"The caps of the {channels.Count} channels add up to {caps:0.####}, less than the whole budget.", nameof(channels));
        }
    }

    private static void Share(double value, string name)
    {
        if (double.IsNaN(value) || value is < 0 or > 1)
        {
            throw new ArgumentException($"{name} must be a share between 0 and 1; it is {value}.", name);
        }
    }
}
