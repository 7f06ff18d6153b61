namespace Alignment.Cli.Commands;

/// <summary>A plugin scoring rule type found by <see cref="PluginLoader"/>.</summary>
/// <param name="Type">The class, which implements <see cref="Alignment.Scoring.IScoringRule"/>.</param>
/// <param name="File">The assembly it came from, as the user named it.</param>
/// <param name="TakesSchema">Whether it is created with the attribute schema (it has no public parameterless constructor).</param>
internal sealed record PluginRuleType(Type Type, string File, bool TakesSchema);
