using System.Text;
using Alignment.Scoring;

namespace Alignment.Scoring.Definitions;

/// <summary>A rule on the lead's profile: when <paramref name="When"/> holds, it gives <paramref name="Points"/> and moves the grade by <paramref name="GradeSteps"/> thirds of a letter.</summary>
/// <param name="Id">The rule's id.</param>
/// <param name="Component"><see cref="ScoreComponent.Fit"/> or <see cref="ScoreComponent.Negative"/>.</param>
/// <param name="Points">The points given when the condition holds (hundredths at most).</param>
/// <param name="When">The condition.</param>
/// <param name="GradeSteps">Thirds of a letter the grade moves when the condition holds: −3..3 (one letter at most either way).</param>
public sealed record ProfileRuleDefinition(string Id, ScoreComponent Component, decimal Points, Condition When, int GradeSteps = 0)
    : ScoringRuleDefinition(Id, Component, CategoryDefinition.DefaultId)
{
    /// <inheritdoc />
    public override string Describe()
    {
        var sb = new StringBuilder();
        sb.Append(Signed(Points));
        if (GradeSteps != 0)
        {
            sb.Append(", grade ").Append(GradeSteps > 0 ? "+" : "-").Append(Math.Abs(GradeSteps) == 3 ? "1" : Math.Abs(GradeSteps) + "/3");
        }

        sb.Append(" when ");
        When.WriteTo(sb);
        AppendCommon(sb, Category);
        return sb.ToString();
    }
}
