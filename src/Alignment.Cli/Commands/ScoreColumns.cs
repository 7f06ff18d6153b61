using System.Globalization;
using Alignment.Cli.Csv;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Cli.Commands;

/// <summary>
/// Reads a score given beside a lead in a CSV file: <c>total</c> (or <c>score</c>), <c>fit</c>, <c>engagement</c>, <c>grade</c> and
/// <c>state</c>, the columns <c>alignment score</c> writes. Used by <c>segment</c> (for <c>score.*</c> conditions) and <c>route</c>.
/// </summary>
internal static class ScoreColumns
{
    /// <summary>The model id recorded on score cards read from a file.</summary>
    public const string ModelId = "csv";

    /// <summary>Reads the score of the current record.</summary>
    /// <param name="csv">The reader, on a record.</param>
    /// <param name="lead">The record's lead.</param>
    /// <returns>The score card, or <see langword="null"/> when the record has neither a total nor a grade.</returns>
    /// <exception cref="LeadCsvException">A number, grade or state is malformed, or only one of total and grade is given.</exception>
    public static ScoreCard? Read(LeadCsvReader csv, Lead lead)
    {
        string totalColumn = csv.HasColumn("total") ? "total" : "score";
        string? totalText = csv.GetText(totalColumn);
        string? gradeText = csv.GetText("grade");
        if (totalText is null && gradeText is null)
        {
            return null;
        }

        if (totalText is null || gradeText is null)
        {
            throw csv.Error(totalText is null ? totalColumn : "grade", "is empty while the record has a " + (totalText is null ? "grade" : "total") + "; give both or neither");
        }

        decimal total = Number(csv, totalColumn, totalText);
        decimal fit = csv.GetText("fit") is { } f ? Number(csv, "fit", f) : 0m;
        decimal engagement = csv.GetText("engagement") is { } e ? Number(csv, "engagement", e) : total - fit;
        if (!Grades.TryParse(gradeText, out var grade))
        {
            throw csv.Error("grade", $"'{gradeText}' is not a grade (F, D-, D, D+, C-, C, C+, B-, B, B+, A-, A or A+)");
        }

        var state = QualificationState.NotQualified;
        if (csv.GetText("state") is { } s && !CommandInputs.TryParseState(s, out state))
        {
            throw csv.Error("state", $"'{s}' is not a qualification state (notQualified, mql or hot)");
        }

        return Card(lead, total, fit, engagement, grade, state);
    }

    /// <summary>A score card from given values.</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="total">The total.</param>
    /// <param name="fit">The fit points.</param>
    /// <param name="engagement">The other points.</param>
    /// <param name="grade">The grade.</param>
    /// <param name="state">The state.</param>
    /// <returns>The card, without categories or explanation.</returns>
    public static ScoreCard Card(Lead lead, decimal total, decimal fit, decimal engagement, Grade grade, QualificationState state) => new()
    {
        LeadId = lead.Id,
        AsOf = lead.CreatedAt ?? DateTimeOffset.UnixEpoch,
        Total = total,
        Fit = fit,
        Engagement = engagement,
        Grade = grade,
        State = state,
        Categories = [],
        Explanation = [],
        ModelId = ModelId,
        ModelVersion = string.Empty,
        ModelHash = string.Empty,
    };

    private static decimal Number(LeadCsvReader csv, string column, string text) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value)
            ? value
            : throw csv.Error(column, $"'{text}' is not a number");
}
