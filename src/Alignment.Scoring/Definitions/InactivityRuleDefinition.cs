using System.Globalization;
using System.Text;
using Alignment.Scoring;

namespace Alignment.Scoring.Definitions;

/// <summary>A negative rule: gives <paramref name="Points"/> when the lead's last own activity is more than <paramref name="InactiveDays"/> whole days old.</summary>
/// <remarks>
/// Own activities are those the lead does (opens, clicks, visits, forms, downloads, webinar registration and attendance,
/// event contact, demo request). A lead without such activity counts as inactive since <see cref="Leads.Lead.CreatedAt"/>,
/// or as inactive when that is unknown too.
/// </remarks>
/// <param name="Id">The rule's id.</param>
/// <param name="Points">The points given (usually negative).</param>
/// <param name="InactiveDays">Days without own activity after which the rule applies; from 1 to 36,500.</param>
public sealed record InactivityRuleDefinition(string Id, decimal Points, int InactiveDays)
    : ScoringRuleDefinition(Id, ScoreComponent.Negative, CategoryDefinition.DefaultId)
{
    /// <inheritdoc />
    public override string Describe()
    {
        var sb = new StringBuilder();
        sb.Append(Signed(Points)).Append(" when inactive for more than ").Append(InactiveDays.ToString(CultureInfo.InvariantCulture)).Append(" days");
        AppendCommon(sb, Category);
        return sb.ToString();
    }
}
