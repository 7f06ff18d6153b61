namespace Alignment.Segmentation.Collateral;

/// <summary>A person who reviews collateral.</summary>
/// <param name="Name">Who (shown in the item's approval record).</param>
/// <param name="Role">The team they speak for.</param>
public sealed record Reviewer(string Name, ReviewerRole Role);
