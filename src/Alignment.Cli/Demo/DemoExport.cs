using System.Globalization;
using System.Text;
using Alignment.Cli.Csv;
using Alignment.Cli.Demo;
using Alignment.Lifecycle;

namespace Alignment.Cli.Demo;

/// <summary>
/// Writes the simulated year as the CRM-export files every command reads (formats in <c>docs/data-formats.md</c>):
/// <c>leads.csv</c> (lead facts), <c>history.csv</c> (the stage history), <c>activities.csv</c> (marketing touches),
/// <c>spend.csv</c> and <c>plan.json</c> (the teams' plan), so that <c>alignment report</c> and <c>alignment plan</c> can run on them.
/// </summary>
internal static class DemoExport
{
    /// <summary>The files written, in order.</summary>
    public static IReadOnlyList<string> Files { get; } = ["leads.csv", "history.csv", "activities.csv", "spend.csv", "plan.json"];

    /// <summary>Writes the files, each through a temporary file.</summary>
    /// <param name="run">The run.</param>
    /// <param name="folder">The folder (created when missing).</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>The folder's full path.</returns>
    public static async Task<string> WriteAsync(DemoRun run, DirectoryInfo folder, CancellationToken cancellationToken)
    {
        folder.Create();
        var inv = CultureInfo.InvariantCulture;
        var leads = new StringBuilder("id,createdAt,source,campaign,segment,team,amount,firstTouchAt,slaDueAt,escalated\n");
        var history = new StringBuilder("id,stage,at\n");
        var touches = new StringBuilder("leadId,timestamp,source,campaign\n");
        foreach (var lead in run.Funnel)
        {
            var id = lead.Lifecycle.LeadId.Value;
            Row(leads, id, Instant(lead.CreatedAt), lead.Source, lead.Campaign, lead.Segment?.Value, lead.Team, lead.WonAmount?.ToString(inv),
                lead.FirstSalesTouchAt is { } t ? Instant(t) : null, lead.SlaDueAt is { } d ? Instant(d) : null, lead.Escalated ? "true" : "false");
            Row(history, id, "inquiry", Instant(lead.CreatedAt));
            foreach (var move in lead.Lifecycle.History)
            {
                Row(history, id, StageName(move.To), Instant(move.At));
            }

            foreach (var touch in lead.Touches)
            {
                Row(touches, id, Instant(touch.At), touch.Source, touch.Campaign);
            }
        }

        var spend = new StringBuilder("month,channel,amount\n");
        foreach (var s in DemoPlanning.Spend)
        {
            Row(spend, s.Month.ToString("yyyy-MM", inv), s.Channel, s.Amount.ToString(inv));
        }

        string[] texts = [leads.ToString(), history.ToString(), touches.ToString(), spend.ToString(), DemoPlanning.Plan.ToJson()];
        for (var i = 0; i < Files.Count; i++)
        {
            var path = Path.Combine(folder.FullName, Files[i]);
            await File.WriteAllTextAsync(path + ".tmp", texts[i], cancellationToken).ConfigureAwait(false);
            File.Move(path + ".tmp", path, overwrite: true);
        }

        return folder.FullName;
    }

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static string StageName(LifecycleStage stage) => stage switch
    {
        LifecycleStage.Inquiry => "inquiry",
        LifecycleStage.MarketingQualified => "mql",
        LifecycleStage.SalesAccepted => "sal",
        LifecycleStage.SalesQualified => "sql",
        LifecycleStage.Opportunity => "opportunity",
        LifecycleStage.Won => "won",
        LifecycleStage.Lost => "lost",
        LifecycleStage.Recycled => "recycled",
        _ => "disqualified",
    };

    private static void Row(StringBuilder csv, params string?[] cells)
    {
        var writer = new StringWriter(csv, CultureInfo.InvariantCulture);
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            CsvText.WriteCell(writer, cells[i]);
        }

        csv.Append('\n');
    }
}
