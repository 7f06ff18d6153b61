using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Alignment.Leads;

namespace Alignment.Scoring.Governance;

/// <summary>
/// What switching from one model version to another would do to a set of leads scored at the same instant: how many become MQL,
/// stop being MQL, become or stop being hot, move grade, with examples of each. "MQL" means marketing-qualified or hot.
/// </summary>
/// <remarks>Immutable and thread-safe. Create one with <see cref="Compute"/>.</remarks>
public sealed class ImpactPreview
{
    private ImpactPreview(ModelVersionInfo from, ModelVersionInfo to, DateTimeOffset asOf, int leads, int mqlBefore, int mqlAfter, ImpactGroup[] groups)
    {
        From = from;
        To = to;
        AsOf = asOf;
        Leads = leads;
        MqlBefore = mqlBefore;
        MqlAfter = mqlAfter;
        NewlyMql = groups[0];
        NoLongerMql = groups[1];
        NewlyHot = groups[2];
        NoLongerHot = groups[3];
        GradeUp = groups[4];
        GradeDown = groups[5];
        ScoreChanged = groups[6];
    }

    /// <summary>The current version.</summary>
    public ModelVersionInfo From { get; }

    /// <summary>The proposed version.</summary>
    public ModelVersionInfo To { get; }

    /// <summary>The instant both versions scored the leads at.</summary>
    public DateTimeOffset AsOf { get; }

    /// <summary>How many leads were scored.</summary>
    public int Leads { get; }

    /// <summary>How many leads are MQL (or hot) under the current version.</summary>
    public int MqlBefore { get; }

    /// <summary>How many leads are MQL (or hot) under the proposed version.</summary>
    public int MqlAfter { get; }

    /// <summary>Leads not MQL under the current version and MQL (or hot) under the proposed one.</summary>
    public ImpactGroup NewlyMql { get; }

    /// <summary>Leads MQL (or hot) under the current version and not under the proposed one.</summary>
    public ImpactGroup NoLongerMql { get; }

    /// <summary>Leads hot under the proposed version only.</summary>
    public ImpactGroup NewlyHot { get; }

    /// <summary>Leads hot under the current version only.</summary>
    public ImpactGroup NoLongerHot { get; }

    /// <summary>Leads whose grade rises.</summary>
    public ImpactGroup GradeUp { get; }

    /// <summary>Leads whose grade falls.</summary>
    public ImpactGroup GradeDown { get; }

    /// <summary>Leads whose score changes at all.</summary>
    public ImpactGroup ScoreChanged { get; }

    /// <summary>Scores the leads with both versions at one instant and counts the changes.</summary>
    /// <param name="from">The current version.</param>
    /// <param name="to">The proposed version (compiled against the same attribute schema as the leads).</param>
    /// <param name="leads">The leads.</param>
    /// <param name="activities">Their activities (<see cref="LeadActivities.None"/> for none); those after <paramref name="asOf"/> never count.</param>
    /// <param name="asOf">The scoring instant.</param>
    /// <param name="maxExamples">The most examples kept per kind of change; 0 for none.</param>
    /// <param name="cancellationToken">Checked between leads.</param>
    /// <returns>The preview.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="from"/> or <paramref name="to"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExamples"/> is negative.</exception>
    /// <exception cref="ArgumentException">A lead is null or has attributes of another schema, or the activities cover another number of leads.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static ImpactPreview Compute(ScoringModel from, ScoringModel to, ReadOnlySpan<Lead> leads, LeadActivities activities, DateTimeOffset asOf, int maxExamples = 5, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentOutOfRangeException.ThrowIfNegative(maxExamples);
        var before = new LeadScore[leads.Length];
        var after = new LeadScore[leads.Length];
        from.ScoreBatch(leads, activities, asOf, before, cancellationToken);
        to.ScoreBatch(leads, activities, asOf, after, cancellationToken);

        var tally = new ImpactTally(maxExamples);
        for (int i = 0; i < leads.Length; i++)
        {
            tally.Add(leads[i].Id, before[i], after[i]);
        }

        return FromTally(tally, from, to, asOf);
    }

    /// <summary>The preview of what a tally counted (a challenger's live comparison, or <see cref="Compute"/>'s).</summary>
    internal static ImpactPreview FromTally(ImpactTally tally, ScoringModel from, ScoringModel to, DateTimeOffset asOf) =>
        new(Info(from), Info(to), asOf, tally.Leads, tally.MqlBefore, tally.MqlAfter, tally.Groups());

    /// <summary>Writes the preview for people: totals, then one line per kind of change with its examples.</summary>
    /// <returns>The text; lines end with <c>\n</c>.</returns>
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Impact of {From} -> {To} on {Leads} lead(s) as of {AsOf.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"MQL: {MqlBefore} -> {MqlAfter}\n");
        Group(sb, "Newly MQL", NewlyMql);
        Group(sb, "No longer MQL", NoLongerMql);
        Group(sb, "Newly hot", NewlyHot);
        Group(sb, "No longer hot", NoLongerHot);
        Group(sb, "Grade up", GradeUp);
        Group(sb, "Grade down", GradeDown);
        Group(sb, "Score changed", ScoreChanged);
        return sb.ToString();
    }

    /// <summary>Writes the preview as JSON (camelCase; grades as letters, states as names, lead ids as strings).</summary>
    /// <param name="indented">Whether to indent.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool indented = true) => GovernanceJsonContext.Write(this, GovernanceJsonContext.Default.ImpactPreview, indented);

    /// <summary>Returns <see cref="ToText"/>.</summary>
    /// <returns>The preview as text.</returns>
    public override string ToString() => ToText();

    private static ModelVersionInfo Info(ScoringModel m) => new(m.Id, m.Version, m.ContentHash, m.Definition.ChangeNote);

    private static void Group(StringBuilder sb, string title, ImpactGroup group)
    {
        sb.Append(CultureInfo.InvariantCulture, $"{title}: {group.Count}\n");
        foreach (var e in group.Examples)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"  {e.LeadId}: {Points(e.OldScore)} {e.OldGrade.ToLetter()} {StateName(e.OldState)} -> {Points(e.NewScore)} {e.NewGrade.ToLetter()} {StateName(e.NewState)}\n");
        }
    }

    internal static string Points(decimal points) => points.ToString("0.##", CultureInfo.InvariantCulture);

    internal static string StateName(QualificationState state) => state switch
    {
        QualificationState.Hot => "hot",
        QualificationState.MarketingQualified => "MQL",
        _ => "not qualified",
    };
}
