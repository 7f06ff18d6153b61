using System.Collections.Immutable;

namespace Alignment.Policies.Planning;

/// <summary>The attribution model that credits won revenue to channels.</summary>
public enum AttributionModel
{
    /// <summary>All of a deal's revenue to the lead's first touch.</summary>
    FirstTouch = 0,

    /// <summary>All of a deal's revenue to the last touch before it was won.</summary>
    LastTouch = 1,

    /// <summary>The revenue shared equally between the touches before it was won.</summary>
    Linear = 2,
}

/// <summary>Spend against what it brought, per channel. Made by <see cref="SpendAnalysis.Compute"/>.</summary>
/// <param name="Spend">All spend.</param>
/// <param name="WonDeals">Won deals of the leads.</param>
/// <param name="WonRevenue">Their revenue.</param>
/// <param name="CustomerAcquisitionCost"><paramref name="Spend"/> / <paramref name="WonDeals"/>, rounded to cents; <see langword="null"/> without a won deal.</param>
/// <param name="Channels">Per channel (every channel with spend or leads), ordered by name.</param>
public sealed record SpendReport(decimal Spend, int WonDeals, decimal WonRevenue, decimal? CustomerAcquisitionCost, ImmutableArray<ChannelReturn> Channels);

/// <summary>One channel's spend, the funnel of the leads it brought (by their first touch) and the revenue credited to it.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Spend">Its spend.</param>
/// <param name="Leads">Leads whose first touch was the channel.</param>
/// <param name="Mqls">Of those, leads that became MQLs.</param>
/// <param name="Opportunities">Of those, leads that became opportunities.</param>
/// <param name="WonDeals">Of those, leads won.</param>
/// <param name="CostPerLead"><paramref name="Spend"/> / <paramref name="Leads"/>, rounded to cents; <see langword="null"/> when there is none.</param>
/// <param name="CostPerMql"><paramref name="Spend"/> / <paramref name="Mqls"/>.</param>
/// <param name="CostPerOpportunity"><paramref name="Spend"/> / <paramref name="Opportunities"/>.</param>
/// <param name="CostPerWonDeal"><paramref name="Spend"/> / <paramref name="WonDeals"/>.</param>
/// <param name="FirstTouchRevenue">Won revenue credited under first-touch attribution.</param>
/// <param name="LastTouchRevenue">Under last-touch attribution.</param>
/// <param name="LinearRevenue">Under linear attribution.</param>
/// <param name="FirstTouchReturn"><paramref name="FirstTouchRevenue"/> per unit of spend, rounded to four places; <see langword="null"/> without spend.</param>
/// <param name="LastTouchReturn"><paramref name="LastTouchRevenue"/> per unit of spend.</param>
/// <param name="LinearReturn"><paramref name="LinearRevenue"/> per unit of spend.</param>
public sealed record ChannelReturn(
    string Channel,
    decimal Spend,
    int Leads,
    int Mqls,
    int Opportunities,
    int WonDeals,
    decimal? CostPerLead,
    decimal? CostPerMql,
    decimal? CostPerOpportunity,
    decimal? CostPerWonDeal,
    decimal FirstTouchRevenue,
    decimal LastTouchRevenue,
    decimal LinearRevenue,
    double? FirstTouchReturn,
    double? LastTouchReturn,
    double? LinearReturn)
{
    /// <summary>The revenue credited under a model.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The revenue.</returns>
    public decimal RevenueUnder(AttributionModel model) => model switch
    {
        AttributionModel.FirstTouch => FirstTouchRevenue,
        AttributionModel.LastTouch => LastTouchRevenue,
        _ => LinearRevenue,
    };

    /// <summary>The return per unit of spend under a model.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The return; <see langword="null"/> without spend.</returns>
    public double? ReturnUnder(AttributionModel model) => model switch
    {
        AttributionModel.FirstTouch => FirstTouchReturn,
        AttributionModel.LastTouch => LastTouchReturn,
        _ => LinearReturn,
    };
}
