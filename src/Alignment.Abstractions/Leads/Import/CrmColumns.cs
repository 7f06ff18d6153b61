using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Alignment.Leads.Import;

/// <summary>
/// The column names of our own CSV formats (docs/data-formats.md), the names a <see cref="CrmMapping"/> maps a CRM's headers to:
/// the lead columns, the backtest history columns, the activity columns and the score columns. Besides these, a mapping may name a
/// custom attribute as <c>attributes.&lt;name&gt;</c>.
/// </summary>
/// <remarks>Immutable and thread-safe. Names compare case-insensitively.</remarks>
public static class CrmColumns
{
    /// <summary>The lead id column of a leads or history file (required).</summary>
    public const string Id = "id";

    /// <summary>The lead id column of an activities file (required).</summary>
    public const string LeadId = "leadId";

    /// <summary>The activity type column of an activities file (required).</summary>
    public const string Type = "type";

    /// <summary>The instant column of an activities file (required).</summary>
    public const string Timestamp = "timestamp";

    /// <summary>The outcome column of a backtest history (required there).</summary>
    public const string Outcome = "outcome";

    /// <summary>The scoring instant column of a backtest history (required there).</summary>
    public const string ScoredAt = "scoredAt";

    /// <summary>The built-in lead columns besides <see cref="Id"/>.</summary>
    public static ImmutableArray<string> Lead { get; } =
        ["industry", "employeeCount", "annualRevenue", "country", "region", "company", "companyDomain", "jobTitle", "seniority", "department", "language", "email", "source", "campaign", "createdAt"];

    /// <summary>The columns of a backtest history besides the lead columns.</summary>
    public static ImmutableArray<string> History { get; } = [ScoredAt, Outcome, "closedAt"];

    /// <summary>The columns of an activities file.</summary>
    public static ImmutableArray<string> Activity { get; } = [LeadId, Type, Timestamp, "url", "campaign"];

    /// <summary>
    /// The columns <c>alignment predict</c> reads besides <see cref="Id"/> and <see cref="Outcome"/>: the sales team, the pipeline
    /// stage (a CRM's stage or status column mapped to <see cref="Outcome"/> serves as the stage when a file has no stage column) and
    /// the lost reason (a lead with one is lost whatever its stage: Odoo archives a lost lead in the stage it was lost in).
    /// </summary>
    public static ImmutableArray<string> Predictive { get; } = ["team", "stage", "lostReason"];

    /// <summary>The score columns <c>segment</c> and <c>route</c> read beside a lead.</summary>
    public static ImmutableArray<string> Score { get; } = ["total", "score", "fit", "engagement", "grade", "state"];

    /// <summary>Every column name above, once each (<c>campaign</c> is both a lead and an activity column).</summary>
    public static ImmutableArray<string> All { get; } = [.. new[] { Id }.Concat(Lead).Concat(History).Concat(Activity).Concat(Predictive).Concat(Score).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>The columns that hold instants (read with the mapping's date formats, culture and time zone).</summary>
    public static ImmutableArray<string> Instants { get; } = ["createdAt", ScoredAt, "closedAt", Timestamp];

    /// <summary>The columns that hold numbers (read with the mapping's culture: grouping, decimal separator, currency).</summary>
    public static ImmutableArray<string> Numbers { get; } = ["employeeCount", "annualRevenue", "total", "score", "fit", "engagement"];

    /// <summary>The outcome names a history's <see cref="Outcome"/> column holds: <c>won</c>, <c>lost</c>, <c>disqualified</c>, <c>open</c>.</summary>
    public static ImmutableArray<string> Outcomes { get; } = ["won", "lost", "disqualified", "open"];

    private static readonly FrozenDictionary<string, string> ByName = All.ToFrozenDictionary(n => n, n => n, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a name is one of ours: a column above, or <c>attributes.&lt;name&gt;</c> with a non-empty name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="canonical">The name as spelled above (the attribute's name without the prefix for an attribute).</param>
    /// <returns><see langword="true"/> when the name is known.</returns>
    public static bool TryNormalize(string? name, out string canonical)
    {
        canonical = string.Empty;
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        name = name.Trim();
        if (name.StartsWith(LeadFields.AttributePrefix, StringComparison.OrdinalIgnoreCase))
        {
            canonical = name[LeadFields.AttributePrefix.Length..].Trim();
            return canonical.Length > 0;
        }

        if (ByName.TryGetValue(name, out var known))
        {
            canonical = known;
            return true;
        }

        return false;
    }

    /// <summary>The column of ours closest in spelling to a name, for a suggestion; <see langword="null"/> when none is close.</summary>
    /// <param name="name">The name that is not one of ours.</param>
    /// <returns>The column, or <see langword="null"/>.</returns>
    public static string? Suggest(string? name) => CrmHeaderMatch.Closest(name, All);
}
