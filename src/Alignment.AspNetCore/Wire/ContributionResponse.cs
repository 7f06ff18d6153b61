namespace Alignment.AspNetCore.Wire;

/// <summary>One line of a score's explanation.</summary>
/// <param name="Rule">The rule's id.</param>
/// <param name="Category">The rule's category.</param>
/// <param name="Component">Fit or engagement.</param>
/// <param name="Points">The points it gave (negative for a penalty).</param>
/// <param name="GradeSteps">The grade steps it moved.</param>
public sealed record ContributionResponse(string Rule, string Category, string Component, decimal Points, int GradeSteps);
