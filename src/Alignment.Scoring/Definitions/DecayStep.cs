namespace Alignment.Scoring.Definitions;

/// <summary>One step of a step decay: from <paramref name="AfterDays"/> days of age on, points are multiplied by <paramref name="Factor"/>.</summary>
/// <param name="AfterDays">The age in whole days at which the step starts; from 1 to 36,500.</param>
/// <param name="Factor">The multiplier, from 0 to 1.</param>
public readonly record struct DecayStep(int AfterDays, double Factor);
