using Alignment.Handoff;

namespace Alignment.Segmentation.Collateral;

/// <summary>A rep's record of using an item in a deal, with feedback.</summary>
/// <param name="ItemId">The item used.</param>
/// <param name="Rep">The rep.</param>
/// <param name="DealId">The CRM's id of the deal (opportunity) it was used in.</param>
public sealed record CollateralUsage(string ItemId, RepId Rep, string DealId)
{
    /// <summary>Whether the rep found it helpful; <see langword="null"/> when not said.</summary>
    public bool? Helpful { get; init; }

    /// <summary>The rep's rating from 1 (poor) to 5 (excellent); <see langword="null"/> when not rated.</summary>
    public int? Rating { get; init; }

    /// <summary>The deal's outcome when known; later outcomes are recorded with the library's <c>RecordDealOutcome</c>.</summary>
    public DealOutcome Outcome { get; init; }

    /// <summary>When the rep recorded it; <see langword="null"/> when not known.</summary>
    public DateTimeOffset? UsedAt { get; init; }
}
