using System.Globalization;
using System.Text;
using Alignment.Scoring;

namespace Alignment.Scoring.Definitions;

/// <summary>A rule computed by a plugin (<see cref="IScoringRule"/>) registered under <paramref name="RuleName"/>; the model gives it an id, a category and a cap.</summary>
/// <param name="Id">The rule's id in the model.</param>
/// <param name="RuleName">The <see cref="IScoringRule.Name"/> of the plugin.</param>
public sealed record PluginRuleDefinition(string Id, string RuleName)
    : ScoringRuleDefinition(Id, ScoreComponent.Plugin, CategoryDefinition.DefaultId)
{
    /// <summary>The most points (in absolute value) the plugin can give; <see langword="null"/> for no cap.</summary>
    public decimal? Cap { get; init; }

    /// <inheritdoc />
    public override string Describe()
    {
        var sb = new StringBuilder();
        sb.Append("plugin ").Append(RuleName);
        if (Cap is decimal c)
        {
            sb.Append(", cap ").Append(c.ToString(CultureInfo.InvariantCulture));
        }

        AppendCommon(sb, Category);
        return sb.ToString();
    }
}
