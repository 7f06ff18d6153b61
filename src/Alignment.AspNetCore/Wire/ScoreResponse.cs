namespace Alignment.AspNetCore.Wire;

/// <summary>A score card.</summary>
/// <param name="Total">The total score.</param>
/// <param name="Fit">The fit part.</param>
/// <param name="Engagement">The engagement part.</param>
/// <param name="Grade">The grade (for example <c>A</c>).</param>
/// <param name="State">The qualification state (<c>NotQualified</c>, <c>MarketingQualified</c>, <c>Hot</c>).</param>
/// <param name="AsOf">The instant it was scored at.</param>
/// <param name="Model">The scoring model: id, version and content hash.</param>
/// <param name="Explanation">Which rule gave which points.</param>
public sealed record ScoreResponse(decimal Total, decimal Fit, decimal Engagement, string Grade, string State, DateTimeOffset AsOf, ModelResponse Model, IReadOnlyList<ContributionResponse> Explanation);
