using System.Collections.Immutable;
using Alignment.Policies.Metrics;

namespace Alignment.Policies.Planning;

/// <summary>
/// The service-level agreement in both directions: marketing commits a number of MQLs per period (company-wide or per segment or
/// team); sales commits a first touch within <see cref="FirstTouchWithin"/> on at least <see cref="FirstTouchShare"/> of the MQLs
/// and a disposition (accepted, recycled, disqualified: any move out of MQL) within <see cref="DispositionWithin"/> on at least
/// <see cref="DispositionShare"/> of them. <see cref="SlaAttainment.Compute"/> measures both sides.
/// </summary>
public sealed class ServiceLevelAgreement
{
    /// <summary>The period commitments are counted in. Default <see cref="MetricsPeriod.Month"/>.</summary>
    public MetricsPeriod Period { get; init; } = MetricsPeriod.Month;

    /// <summary>Marketing's commitments: MQLs per period. Empty means marketing committed to nothing measurable.</summary>
    public ImmutableArray<MqlCommitment> MarketingCommitments { get; init; } = [];

    /// <summary>Sales' first touch after a lead becomes an MQL. Default 24 hours.</summary>
    public TimeSpan FirstTouchWithin { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The share of MQLs (0 to 1) sales commits to touch within <see cref="FirstTouchWithin"/>. Default 0.9.</summary>
    public double FirstTouchShare { get; init; } = 0.9;

    /// <summary>Sales' disposition of an MQL (any move out of MQL). Default 5 days.</summary>
    public TimeSpan DispositionWithin { get; init; } = TimeSpan.FromDays(5);

    /// <summary>The share of MQLs (0 to 1) sales commits to dispose of within <see cref="DispositionWithin"/>. Default 1 (every one).</summary>
    public double DispositionShare { get; init; } = 1.0;

    /// <summary>Checks the agreement.</summary>
    /// <exception cref="ArgumentException">A commitment is null or negative, a time is not positive, or a share is outside 0 to 1; the message names the property.</exception>
    public void Validate()
    {
        if (FirstTouchWithin <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(FirstTouchWithin)} must be positive; it is {FirstTouchWithin}.", nameof(FirstTouchWithin));
        }

        if (DispositionWithin <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(DispositionWithin)} must be positive; it is {DispositionWithin}.", nameof(DispositionWithin));
        }

        if (double.IsNaN(FirstTouchShare) || FirstTouchShare is < 0 or > 1)
        {
            throw new ArgumentException($"{nameof(FirstTouchShare)} must be between 0 and 1; it is {FirstTouchShare}.", nameof(FirstTouchShare));
        }

        if (double.IsNaN(DispositionShare) || DispositionShare is < 0 or > 1)
        {
            throw new ArgumentException($"{nameof(DispositionShare)} must be between 0 and 1; it is {DispositionShare}.", nameof(DispositionShare));
        }

        for (var i = 0; i < MarketingCommitments.Length; i++)
        {
            if (MarketingCommitments[i] is not { } commitment)
            {
                throw new ArgumentException($"{nameof(MarketingCommitments)}[{i}] is null.", nameof(MarketingCommitments));
            }

            if (commitment.Mqls < 0)
            {
                throw new ArgumentException($"{nameof(MarketingCommitments)}[{i}].{nameof(MqlCommitment.Mqls)} must not be negative; it is {commitment.Mqls}.", nameof(MarketingCommitments));
            }
        }
    }
}

/// <summary>Marketing's commitment: this many MQLs per period, company-wide or for one segment or team.</summary>
/// <param name="Mqls">The MQLs per period.</param>
public sealed record MqlCommitment(int Mqls)
{
    /// <summary>The segment the commitment is for; <see langword="null"/> for every segment.</summary>
    public string? Segment { get; init; }

    /// <summary>The team the commitment is for; <see langword="null"/> for every team.</summary>
    public string? Team { get; init; }
}
