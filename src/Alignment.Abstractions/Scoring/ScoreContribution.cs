namespace Alignment.Scoring;

/// <summary>One line of a score's explanation: the points a rule gave, after decay and caps.</summary>
/// <param name="RuleId">The rule's id in the model.</param>
/// <param name="Category">The category the points count towards.</param>
/// <param name="Component">Which part of the model the rule belongs to.</param>
/// <param name="Points">The points after decay, the rule's cap and the category's cap; the contributions of a score card add up exactly to its total.</param>
/// <param name="GradeSteps">How many thirds of a letter the rule moved the grade (fit rules only).</param>
public readonly record struct ScoreContribution(string RuleId, string Category, ScoreComponent Component, decimal Points, int GradeSteps);
