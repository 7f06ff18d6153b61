namespace Alignment.Scoring.Governance;

/// <summary>
/// A change to one property of a rule: <c>section</c>, <c>kind</c>, <c>points</c>, <c>grade</c>, <c>when</c>, <c>activity</c>,
/// <c>urlContains</c>, <c>campaign</c>, <c>windowDays</c>, <c>cap</c>, <c>decay</c>, <c>inactiveDays</c>, <c>rule</c> or <c>category</c>.
/// </summary>
/// <param name="Property">The property's name, as in the model file.</param>
/// <param name="Old">Its old value as text (invariant culture); <see langword="null"/> when it was not set.</param>
/// <param name="New">Its new value as text; <see langword="null"/> when it is no longer set.</param>
public sealed record PropertyChange(string Property, string? Old, string? New);
