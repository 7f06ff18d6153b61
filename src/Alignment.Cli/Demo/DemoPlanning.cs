using System.Collections.Immutable;
using Alignment.Cli.Reporting;
using Alignment.Policies.Planning;

namespace Alignment.Cli.Demo;

/// <summary>
/// What the fictional company's two teams agreed for the simulated year, and what marketing spent: a revenue target per month (and
/// for the first quarter after the year), marketing's MQL commitment and sales' first-touch and disposition commitments, the budget
/// rule, and a fixed monthly spend per lead source. Written by <c>alignment demo --export</c> as <c>plan.json</c> and <c>spend.csv</c>.
/// </summary>
internal static class DemoPlanning
{
    private static readonly (string Source, decimal Monthly)[] MonthlySpend =
    [
        ("Directory", 8_000m), ("Website", 20_000m), ("Trade Show", 45_000m), ("Conference", 30_000m), ("Advertising", 60_000m), ("Webinar", 12_000m),
    ];

    /// <summary>The plan: 1.8 million a month in the simulated year, 2.2 million a month in the quarter after it; 550 MQLs a month; a first touch within 24 hours on 90 % of MQLs and a disposition within 5 days on 90 %; floors of 5 % and caps of 40 % per channel.</summary>
    public static PlanFile Plan { get; } = new(
        [
            .. Enumerable.Range(0, 12).Select(m => new RevenueTarget(DateOnly.FromDateTime(SampleDataGenerator.Start.UtcDateTime).AddMonths(m), 1_800_000m)),
            .. Enumerable.Range(12, 3).Select(m => new RevenueTarget(DateOnly.FromDateTime(SampleDataGenerator.Start.UtcDateTime).AddMonths(m), 2_200_000m)),
        ],
        new ServiceLevelAgreement
        {
            MarketingCommitments = [new MqlCommitment(550)],
            FirstTouchWithin = TimeSpan.FromHours(24),
            FirstTouchShare = 0.9,
            DispositionWithin = TimeSpan.FromDays(5),
            DispositionShare = 0.9,
        },
        null,
        new BudgetRule { DefaultFloor = 0.05, DefaultCap = 0.4 });

    /// <summary>Every month's spend per source over the simulated year.</summary>
    public static ImmutableArray<ChannelSpend> Spend { get; } =
    [
        .. Enumerable.Range(0, 12).SelectMany(m => MonthlySpend.Select(s => new ChannelSpend(DateOnly.FromDateTime(SampleDataGenerator.Start.UtcDateTime).AddMonths(m), s.Source, s.Monthly))),
    ];
}
