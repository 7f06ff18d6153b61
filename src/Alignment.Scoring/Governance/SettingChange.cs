namespace Alignment.Scoring.Governance;

/// <summary>
/// A change to a model-wide setting: <c>id</c>, <c>textComparison</c>, <c>thresholds.mql</c>, <c>thresholds.hot</c>,
/// <c>categories.&lt;id&gt;</c> or <c>attributes.&lt;name&gt;</c>.
/// </summary>
/// <param name="Setting">The setting's name.</param>
/// <param name="Old">Its old value as text; <see langword="null"/> when the setting was added.</param>
/// <param name="New">Its new value as text; <see langword="null"/> when the setting was removed.</param>
public sealed record SettingChange(string Setting, string? Old, string? New);
