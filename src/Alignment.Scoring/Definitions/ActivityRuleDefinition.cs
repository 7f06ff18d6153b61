using System.Globalization;
using System.Text;
using Alignment.Activities;
using Alignment.Scoring;

namespace Alignment.Scoring.Definitions;

/// <summary>
/// A rule on activities: every matching activity of type <paramref name="Activity"/> within the window gives <paramref name="Points"/>,
/// faded by <see cref="Decay"/>, and the rule's total is held within <see cref="Cap"/>.
/// </summary>
/// <param name="Id">The rule's id.</param>
/// <param name="Component"><see cref="ScoreComponent.Engagement"/> or <see cref="ScoreComponent.Negative"/>.</param>
/// <param name="Points">The points per matching activity before decay (hundredths at most).</param>
/// <param name="Activity">The activity type counted.</param>
public sealed record ActivityRuleDefinition(string Id, ScoreComponent Component, decimal Points, ActivityType Activity)
    : ScoringRuleDefinition(Id, Component, CategoryDefinition.DefaultId)
{
    /// <summary>Only activities whose URL contains this text (case-insensitive) count; <see langword="null"/> for any.</summary>
    public string? UrlContains { get; init; }

    /// <summary>Only activities of this campaign (case-insensitive) count; <see langword="null"/> for any.</summary>
    public string? Campaign { get; init; }

    /// <summary>Only activities less than this many whole days old count (age in whole days &lt; <c>WindowDays</c>); <see langword="null"/> for no window; from 1 to 36,500.</summary>
    public int? WindowDays { get; init; }

    /// <summary>The most points (in absolute value) the rule can give in total; <see langword="null"/> for no cap.</summary>
    public decimal? Cap { get; init; }

    /// <summary>How points fade with age; <see langword="null"/> for no decay.</summary>
    public DecayDefinition? Decay { get; init; }

    /// <inheritdoc />
    public override string Describe()
    {
        var sb = new StringBuilder();
        sb.Append(Signed(Points)).Append(" per ").Append(ScoringNames.ActivityName(Activity));
        if (UrlContains is not null)
        {
            sb.Append(" with URL containing \"").Append(UrlContains).Append('"');
        }

        if (Campaign is not null)
        {
            sb.Append(" of campaign \"").Append(Campaign).Append('"');
        }

        if (WindowDays is int w)
        {
            sb.Append(" within ").Append(w.ToString(CultureInfo.InvariantCulture)).Append(" days");
        }

        if (Cap is decimal c)
        {
            sb.Append(", cap ").Append(c.ToString(CultureInfo.InvariantCulture));
        }

        switch (Decay)
        {
            case DecayDefinition.HalfLife h:
                sb.Append(", half-life ").Append(h.Days.ToString("R", CultureInfo.InvariantCulture)).Append(" days");
                break;
            case DecayDefinition.Stepped s:
                sb.Append(", decay steps ");
                sb.AppendJoin(", ", s.Steps.Select(x => $"{x.AfterDays.ToString(CultureInfo.InvariantCulture)}d x{x.Factor.ToString("R", CultureInfo.InvariantCulture)}"));
                break;
        }

        AppendCommon(sb, Category);
        return sb.ToString();
    }
}
