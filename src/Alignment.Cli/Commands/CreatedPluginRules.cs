using Alignment.Scoring;

namespace Alignment.Cli.Commands;

/// <summary>The plugin rules <see cref="PluginRules.Create"/> made for one attribute schema.</summary>
/// <param name="Rules">The rules created, in the order of their types.</param>
/// <param name="NotCreated">
/// One line per rule type whose constructor threw (typically: the models do not declare an attribute it needs), naming the type,
/// its assembly and the error. Such a rule is left out; it matters only if a model refers to it.
/// </param>
internal sealed record CreatedPluginRules(IReadOnlyList<IScoringRule> Rules, IReadOnlyList<string> NotCreated);
