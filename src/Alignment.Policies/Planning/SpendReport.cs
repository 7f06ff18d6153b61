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
/// <param name="Campaigns">
/// Per campaign within each channel of <paramref name="Channels"/>, ordered by channel, then campaign (the spend and leads of no
/// campaign first); the rows of a channel add up to its channel row.
/// </param>
/// <param name="Periods">
/// Per month and channel of <paramref name="Channels"/>, ordered by month, then channel; the rows of a channel add up to its channel
/// row.
/// </param>
public sealed record SpendReport(
    decimal Spend,
    int WonDeals,
    decimal WonRevenue,
    decimal? CustomerAcquisitionCost,
    ImmutableArray<ChannelReturn> Channels,
    ImmutableArray<CampaignReturn> Campaigns,
    ImmutableArray<PeriodReturn> Periods);

/// <summary>
/// One campaign's spend, the funnel of the leads whose first touch was one of its touches and the revenue credited to its touches:
/// the figures of <see cref="ChannelReturn"/>, for one campaign of one channel.
/// </summary>
/// <param name="Channel">The channel.</param>
/// <param name="Campaign">The campaign; <see langword="null"/> for the channel's spend, touches and leads not tied to a campaign (a blank campaign).</param>
/// <param name="Spend">Its spend.</param>
/// <param name="Leads">Leads whose first touch was the campaign's.</param>
/// <param name="Mqls">Of those, leads that became MQLs.</param>
/// <param name="Opportunities">Of those, leads that became opportunities.</param>
/// <param name="WonDeals">Of those, leads won.</param>
/// <param name="CostPerLead"><paramref name="Spend"/> / <paramref name="Leads"/>, rounded to cents; <see langword="null"/> when there is none.</param>
/// <param name="CostPerMql"><paramref name="Spend"/> / <paramref name="Mqls"/>.</param>
/// <param name="CostPerOpportunity"><paramref name="Spend"/> / <paramref name="Opportunities"/>.</param>
/// <param name="CostPerWonDeal"><paramref name="Spend"/> / <paramref name="WonDeals"/>.</param>
/// <param name="FirstTouchRevenue">Won revenue credited to the campaign's touches under first-touch attribution.</param>
/// <param name="LastTouchRevenue">Under last-touch attribution.</param>
/// <param name="LinearRevenue">Under linear attribution.</param>
/// <param name="FirstTouchReturn"><paramref name="FirstTouchRevenue"/> per unit of spend, rounded to four places; <see langword="null"/> without spend.</param>
/// <param name="LastTouchReturn"><paramref name="LastTouchRevenue"/> per unit of spend.</param>
/// <param name="LinearReturn"><paramref name="LinearRevenue"/> per unit of spend.</param>
public sealed record CampaignReturn(
    string Channel,
    string? Campaign,
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
    double? LinearReturn);

/// <summary>
/// One channel in one month: the spend of the month, the funnel of the leads whose first touch was in it and the revenue credited
/// to the channel's touches in it (months in UTC): the figures of <see cref="ChannelReturn"/>, for one month.
/// </summary>
/// <param name="Month">The month's first day.</param>
/// <param name="Channel">The channel.</param>
/// <param name="Spend">Its spend in the month.</param>
/// <param name="Leads">Leads whose first touch was the channel's, in the month.</param>
/// <param name="Mqls">Of those, leads that became MQLs (whenever they did).</param>
/// <param name="Opportunities">Of those, leads that became opportunities.</param>
/// <param name="WonDeals">Of those, leads won.</param>
/// <param name="CostPerLead"><paramref name="Spend"/> / <paramref name="Leads"/>, rounded to cents; <see langword="null"/> when there is none.</param>
/// <param name="CostPerMql"><paramref name="Spend"/> / <paramref name="Mqls"/>.</param>
/// <param name="CostPerOpportunity"><paramref name="Spend"/> / <paramref name="Opportunities"/>.</param>
/// <param name="CostPerWonDeal"><paramref name="Spend"/> / <paramref name="WonDeals"/>.</param>
/// <param name="FirstTouchRevenue">Won revenue credited to the channel's touches in the month under first-touch attribution.</param>
/// <param name="LastTouchRevenue">Under last-touch attribution.</param>
/// <param name="LinearRevenue">Under linear attribution.</param>
/// <param name="FirstTouchReturn"><paramref name="FirstTouchRevenue"/> per unit of spend, rounded to four places; <see langword="null"/> without spend.</param>
/// <param name="LastTouchReturn"><paramref name="LastTouchRevenue"/> per unit of spend.</param>
/// <param name="LinearReturn"><paramref name="LinearRevenue"/> per unit of spend.</param>
public sealed record PeriodReturn(
    DateOnly Month,
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
    double? LinearReturn);

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
