using System.Text;
using Alignment.Scoring;

namespace Alignment.Scoring.Definitions;

/// <summary>A rule of a scoring model. A closed set: <see cref="ProfileRuleDefinition"/>, <see cref="ActivityRuleDefinition"/>, <see cref="InactivityRuleDefinition"/> and <see cref="PluginRuleDefinition"/>.</summary>
public abstract record ScoringRuleDefinition
{
    private protected ScoringRuleDefinition(string id, ScoreComponent component, string category)
    {
        Id = id;
        Component = component;
        Category = category;
    }

    /// <summary>The rule's id, unique in the model; shown in explanations and diffs.</summary>
    public string Id { get; init; }

    /// <summary>Which part of the model the rule belongs to (the JSON section it is written in).</summary>
    public ScoreComponent Component { get; init; }

    /// <summary>The category the rule's points count towards.</summary>
    /// <value>Defaults to <see cref="CategoryDefinition.DefaultId"/>.</value>
    public string Category { get; init; }

    /// <summary>What the rule is for, in the words of the people who agreed on it (shown in reviews; not used for scoring).</summary>
    public string? Description { get; init; }

    /// <summary>Describes what the rule tests and gives, for diffs (for example <c>+15 when industry in ["Software"]</c>).</summary>
    /// <returns>The description.</returns>
    public abstract string Describe();

    private protected static string Signed(decimal points) => points >= 0 ? "+" + points.ToString(System.Globalization.CultureInfo.InvariantCulture) : points.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private protected static void AppendCommon(StringBuilder sb, string category)
    {
        if (category != CategoryDefinition.DefaultId)
        {
            sb.Append(" [category ").Append(category).Append(']');
        }
    }
}
