using System.Globalization;
using System.Text;
using System.Text.Json;
using Alignment.Cli.Reporting;
using Alignment.Lifecycle;
using Alignment.Policies.Metrics;
using Alignment.Segmentation.Collateral;
using Alignment.Segmentation.Consistency;

namespace Alignment.Cli.Demo;

/// <summary>Writes what a demo run measured as <c>summary.json</c> and as the table the command prints.</summary>
internal static class DemoSummary
{
    /// <summary>Days before expiry from which a collateral item counts as "expiring soon".</summary>
    public const int ExpiringSoonDays = 60;

    /// <summary>Writes the summary as indented JSON (camelCase; the same run always gives the same bytes).</summary>
    /// <param name="run">The run.</param>
    /// <returns>The JSON text, ending with a newline.</returns>
    public static string ToJson(DemoRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            var m = run.Metrics;
            w.WriteStartObject();
            w.WriteString("company", DemoModels.Company);
            w.WriteNumber("seed", run.Seed);
            w.WriteString("from", SampleDataGenerator.Start);
            w.WriteString("to", run.AsOf);
            w.WriteNumber("leads", run.Leads);
            w.WriteNumber("activities", run.Activities);

            w.WriteStartObject("models");
            w.WriteStartObject("scoring");
            w.WriteString("id", run.Models.Release.Id);
            w.WriteString("version", run.Models.Release.Version);
            w.WriteString("contentHash", run.Models.Release.ContentHash);
            w.WriteBoolean("publishable", run.Models.Release.IsPublishable);
            w.WriteStartArray("approvals");
            foreach (var a in run.Models.Release.ValidApprovals)
            {
                w.WriteStartObject();
                w.WriteString("side", a.Side.ToString().ToLowerInvariant());
                w.WriteString("approvedBy", a.ApprovedBy);
                w.WriteString("approvedAt", a.ApprovedAt);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteString("segmentation", $"{run.Models.Segmentation.Id}@{run.Models.Segmentation.Version}");
            w.WriteString("routing", run.Models.Routing.Id);
            w.WriteString("nurture", $"{run.Models.Nurture.Id}@{run.Models.Nurture.Version}");
            w.WriteEndObject();

            ReportJson.WriteWaterfall(w, m);

            var f = run.Webinar;
            w.WriteStartObject("webinar");
            w.WriteString("campaign", f.Campaign);
            w.WriteNumber("invited", f.Invited);
            w.WriteNumber("registered", f.Registered);
            w.WriteNumber("attended", f.Attended);
            w.WriteNumber("noShows", f.NoShows);
            w.WriteNumber("noShowsFollowedUp", f.NoShowsFollowedUp);
            w.WriteNumber("attendeesFollowedUpWithinSla", f.AttendeesFollowedUpWithinSla);
            w.WriteNumber("attendeesFollowedUpLate", f.AttendeesFollowedUpLate);
            w.WriteNumber("won", f.Won);
            w.WriteEndObject();

            var st = m.SpeedToLead;
            ReportJson.WriteSpeedToLead(w, st);

            w.WriteStartObject("sla");
            w.WriteNumber("measured", st.SlaMeasured);
            w.WriteNumber("met", st.SlaMet);
            WriteNullable(w, "complianceRate", st.SlaComplianceRate);
            foreach (var (name, minutes) in new[] { ("hot15Minutes", 15), ("standard24Hours", 1440) })
            {
                var touches = run.FirstTouches.Where(t => t.SlaMinutes == minutes).ToList();
                w.WriteStartObject(name);
                w.WriteNumber("firstTouches", touches.Count);
                w.WriteNumber("met", touches.Count(t => t.Met));
                w.WriteNumber("complianceRate", touches.Count == 0 ? 0 : Math.Round((double)touches.Count(t => t.Met) / touches.Count, 4));
                w.WriteEndObject();
            }

            var e = run.Escalations;
            w.WriteStartObject("escalation");
            w.WriteNumber("checks", e.Checks);
            w.WriteNumber("breachesDetected", e.Breaches);
            w.WriteNumber("hot15MinutesBreaches", e.BreachesBySlaMinutes.GetValueOrDefault(15));
            w.WriteNumber("standard24HoursBreaches", e.BreachesBySlaMinutes.GetValueOrDefault(1440));
            w.WriteNumber("managersNotified", e.Notifications.Count);
            w.WriteNumber("reassigned", e.Reassigned);
            w.WriteNumber("escalatedToQueue", e.EscalatedToQueue);
            w.WriteNumber("staleTouchesDropped", e.StaleTouchesDropped);
            w.WriteEndObject();
            w.WriteEndObject();

            var r = m.Recycling;
            w.WriteStartObject("recycling");
            w.WriteNumber("recycled", r.Recycled);
            w.WriteNumber("cameBackAsMql", r.CameBackAsMql);
            w.WriteNumber("won", r.Won);
            w.WriteStartArray("byReason");
            foreach (var row in r.ByReason)
            {
                w.WriteStartObject();
                w.WriteString("reason", row.Reason);
                w.WriteNumber("recycled", row.Recycled);
                w.WriteNumber("cameBackAsMql", row.CameBackAsMql);
                w.WriteNumber("won", row.Won);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();

            ReportJson.WriteAttribution(w, m.Attribution);

            var ci = run.Consistency;
            w.WriteStartObject("consistencyIndex");
            w.WriteNumber("overall", Math.Round(ci.Overall, 4));
            w.WriteStartArray("segments");
            foreach (var s in ci.Segments)
            {
                w.WriteStartObject();
                w.WriteString("segment", s.Segment.Value);
                w.WriteNumber("index", Math.Round(s.Index, 4));
                w.WriteNumber("answers", s.Answers.Length);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("mostDivergent");
            foreach (var a in ci.MostDivergent)
            {
                w.WriteStartObject();
                w.WriteString("rep", a.Rep.Value);
                w.WriteString("segment", a.Segment.Value);
                w.WriteNumber("similarity", Math.Round(a.Similarity, 4));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();

            var trend = run.ContentLoop.Trend;
            w.WriteStartObject("consistencyTrend");
            w.WriteStartArray("tests");
            foreach (var t in trend.Tests)
            {
                w.WriteStartObject();
                w.WriteString("test", t.Id);
                w.WriteString("at", t.At);
                w.WriteNumber("overall", Math.Round(t.Report.Overall, 4));
                w.WriteNumber("peer", Math.Round(t.PeerIndex.Length == 0 ? 0 : t.PeerIndex.Average(p => p.Value), 4));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            Commands.ConsistencyCommand.WriteDrifts(w, "driftingReps", trend.DriftingReps);
            Commands.ConsistencyCommand.WriteDrifts(w, "driftingSegments", trend.DriftingSegments);
            w.WriteEndObject();

            var loop = run.ContentLoop;
            w.WriteStartObject("contentLoop");
            w.WriteStartArray("suggestions");
            foreach (var sg in loop.Suggestions)
            {
                w.WriteStartObject();
                w.WriteString("id", sg.Id);
                w.WriteString("rep", sg.Rep.Value);
                w.WriteString("status", sg.Status.ToString());
                w.WriteString("item", sg.ItemId);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("awaitingReview");
            foreach (var item in loop.AwaitingReview)
            {
                w.WriteStringValue(item.Id);
            }

            w.WriteEndArray();
            w.WriteStartArray("retired");
            foreach (var gone in loop.Retired)
            {
                w.WriteStartObject();
                w.WriteString("item", gone.ItemId);
                w.WriteString("at", gone.At);
                w.WriteNumber("score", Math.Round(gone.Score, 4));
                w.WriteNumber("closedDeals", gone.ClosedDeals);
                w.WriteString("reason", gone.Reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("sentBack", loop.SentBack);
            w.WriteNumber("reReviewed", loop.ReReviewed);
            w.WriteNumber("usages", loop.Usages);
            w.WriteStartObject("decisions");
            foreach (var (kind, count) in loop.Decisions)
            {
                w.WriteNumber(kind, count);
            }

            w.WriteEndObject();
            w.WriteEndObject();

            var fresh = Freshness(run);
            w.WriteStartObject("collateralFreshness");
            w.WriteNumber("items", fresh.Items);
            w.WriteNumber("fresh", fresh.Fresh);
            w.WriteNumber("expiringSoon", fresh.ExpiringSoon);
            w.WriteNumber("expired", fresh.Expired);
            w.WriteNumber("pendingApproval", fresh.Pending);
            w.WriteNumber("rejected", fresh.Rejected);
            w.WriteStartArray("dueForRevision");
            foreach (var item in run.Collateral.Where(i => i.Status != CollateralStatus.Retired && i.IsExpired(run.AsOf)).OrderBy(i => i.ExpiresAt).ThenBy(i => i.Id, StringComparer.Ordinal))
            {
                w.WriteStringValue(item.Id);
            }

            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteStartObject("routing");
            w.WriteStartArray("reps");
            foreach (var rep in run.Models.Roster.Reps ?? [])
            {
                w.WriteStartObject();
                w.WriteString("rep", rep.Id);
                w.WriteString("team", rep.Team);
                w.WriteNumber("assigned", run.Routing.AssignedByRep.GetValueOrDefault(rep.Id!));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("queued", run.Routing.QueuedByQueue.Values.Sum());
            w.WriteNumber("queueSweeps", run.QueueSweeps);
            w.WriteEndObject();

            w.WriteStartObject("nurture");
            w.WriteNumber("enrolments", run.Nurture.Enrolments);
            w.WriteNumber("stepsSent", run.Nurture.StepsSent);
            w.WriteNumber("stepsSkipped", run.Nurture.StepsSkipped);
            w.WriteNumber("trackChanges", run.Nurture.TrackChanges);
            w.WriteNumber("exitsToHandoff", run.Nurture.ExitsToHandoff);
            w.WriteNumber("contactStopped", run.Nurture.ContactStopped);
            w.WriteEndObject();

            w.WriteStartObject("audit");
            w.WriteNumber("leadsAudited", run.FinalAudit.LeadsAudited);
            w.WriteNumber("heldTwice", run.FinalAudit.HeldTwice.Length);
            w.WriteNumber("auditsRun", run.AuditsRun);
            w.WriteNumber("worstDuringYear", run.WorstAuditDuringYear);
            w.WriteEndObject();
            w.WriteNumber("leadsWithoutOwnerOrTrack", run.FinalAudit.LeadsWithoutOwnerOrTrack);
            ReportJson.WritePlanning(w, run.Planning);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Writes the summary as the plain-text table the command prints.</summary>
    /// <param name="run">The run.</param>
    /// <returns>The table, one line per figure.</returns>
    public static string ToTable(DemoRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var inv = CultureInfo.InvariantCulture;
        var m = run.Metrics;
        var rows = new List<(string, string)>
        {
            ("Company", DemoModels.Company),
            ("Simulated year", $"{SampleDataGenerator.Start:yyyy-MM-dd} to {run.AsOf:yyyy-MM-dd} (seed {run.Seed})"),
            ("Leads / activities", string.Create(inv, $"{run.Leads:N0} / {run.Activities:N0}")),
            ("Scoring model", $"{run.Models.Release.Id}@{run.Models.Release.Version}, signed by {string.Join(" and ", run.Models.Release.ValidApprovals.Select(a => a.Side.ToString().ToLowerInvariant()))}"),
        };
        foreach (var c in m.Overall.Conversions)
        {
            rows.Add(($"Waterfall {StageName(c.From)} -> {StageName(c.To)}", string.Create(inv, $"{c.FromLeads:N0} -> {c.ToLeads:N0} ({c.Rate:P1})")));
        }

        var f = run.Webinar;
        rows.Add(("Webinar funnel", string.Create(inv, $"{f.Invited} invited, {f.Registered} registered, {f.Attended} attended, {f.NoShows} no-shows ({f.NoShowsFollowedUp} followed up), {f.Won} won")));
        var st = m.SpeedToLead;
        rows.Add(("Speed to lead", string.Create(inv, $"median {st.MedianHours:0.##} h, p95 {st.P95Hours:0.##} h ({st.Touched:N0} of {st.MqlLeads:N0} MQLs touched)")));
        rows.Add(("SLA compliance", string.Create(inv, $"{st.SlaComplianceRate:P1} ({st.SlaMet:N0} of {st.SlaMeasured:N0})")));
        rows.Add(("SLA escalation", EscalationLine(run.Escalations)));
        rows.Add(("Recycled leads", string.Create(inv, $"{m.Recycling.Recycled:N0}, {m.Recycling.CameBackAsMql:N0} came back as MQL, {m.Recycling.Won:N0} won")));
        rows.Add(("Won revenue", string.Create(inv, $"{m.Attribution.WonRevenue:N0} from {m.Attribution.WonDeals:N0} deals")));
        var top = m.Attribution.FirstTouch.GroupBy(r => r.Source).Select(g => (Source: g.Key, Revenue: g.Sum(r => r.Revenue))).OrderByDescending(x => x.Revenue).ThenBy(x => x.Source, StringComparer.Ordinal).FirstOrDefault();
        if (top.Source is not null)
        {
            rows.Add(("Top source (first touch)", string.Create(inv, $"{top.Source}: {top.Revenue:N0}")));
        }

        var trend = run.ContentLoop.Trend;
        rows.Add(("Consistency index", string.Create(inv, $"{run.Consistency.Overall:0.000} in {trend.Tests[^1].Id} (") + string.Join(", ", trend.Tests.Select(t => string.Create(inv, $"{t.Id} {t.Report.Overall:0.000}"))) + ")"
            + (trend.DriftingReps.IsEmpty ? string.Empty : "; drifted: " + string.Join(", ", trend.DriftingReps.Select(d => d.Name)))));
        var loop = run.ContentLoop;
        rows.Add(("Content loop", string.Create(inv, $"{loop.Suggestions.Length} suggestions, {loop.SentBack} sent back, {loop.AwaitingReview.Length} awaiting review, {loop.Retired.Length} retired for poor effectiveness, {loop.ReReviewed} re-reviewed, {loop.Decisions.Values.Sum():N0} content decisions")));
        var fresh = Freshness(run);
        rows.Add(("Collateral freshness", string.Create(inv, $"{fresh.Fresh} fresh, {fresh.ExpiringSoon} expiring soon, {fresh.Expired} expired, {fresh.Pending} pending, {fresh.Rejected} rejected")));
        rows.Add(("Nurture", string.Create(inv, $"{run.Nurture.StepsSent:N0} steps sent, {run.Nurture.ExitsToHandoff:N0} exits to handoff")));
        rows.Add(("Leads without owner or track", string.Create(inv, $"{run.FinalAudit.LeadsWithoutOwnerOrTrack} (audited {run.FinalAudit.LeadsAudited:N0} leads; {run.AuditsRun} daily audits, worst {run.WorstAuditDuringYear})")));

        int width = rows.Max(r => r.Item1.Length);
        var text = new StringBuilder();
        foreach (var (name, value) in rows)
        {
            text.Append(name.PadRight(width)).Append("  ").AppendLine(value);
        }

        return text.ToString();
    }

    /// <summary>One line on what the router's service-level check did, for the table and the report.</summary>
    /// <param name="escalations">The run's escalation tally.</param>
    /// <returns>For example <c>412 breaches detected (380 hot, 32 standard), 380 managers notified, 0 reassigned, 0 escalated to a queue</c>.</returns>
    public static string EscalationLine(SlaEscalationTally escalations)
    {
        ArgumentNullException.ThrowIfNull(escalations);
        var e = escalations;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{e.Breaches:N0} breaches detected ({e.BreachesBySlaMinutes.GetValueOrDefault(15):N0} hot, {e.BreachesBySlaMinutes.GetValueOrDefault(1440):N0} standard), {e.Notifications.Count:N0} managers notified, {e.Reassigned:N0} reassigned, {e.EscalatedToQueue:N0} escalated to a queue");
    }

    /// <summary>Counts collateral by freshness at the end of the year.</summary>
    /// <param name="run">The run.</param>
    /// <returns>The counts.</returns>
    public static (int Items, int Fresh, int ExpiringSoon, int Expired, int Pending, int Rejected) Freshness(DemoRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        int fresh = 0, soon = 0, expired = 0, pending = 0, rejected = 0;
        foreach (var item in run.Collateral)
        {
            switch (FreshnessOf(item, run.AsOf))
            {
                case "fresh": fresh++; break;
                case "expiring-soon": soon++; break;
                case "expired": expired++; break;
                case "pending": pending++; break;
                case "rejected": rejected++; break;
            }
        }

        return (run.Collateral.Length, fresh, soon, expired, pending, rejected);
    }

    /// <summary>The freshness class of one item at an instant.</summary>
    /// <param name="item">The item.</param>
    /// <param name="asOf">The instant.</param>
    /// <returns><c>fresh</c>, <c>expiring-soon</c>, <c>expired</c>, <c>pending</c>, <c>rejected</c> or <c>retired</c>.</returns>
    public static string FreshnessOf(CollateralItem item, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Status switch
        {
            CollateralStatus.Retired => "retired",
            _ when item.IsExpired(asOf) => "expired",
            CollateralStatus.PendingApproval => "pending",
            CollateralStatus.Rejected => "rejected",
            _ when item.ExpiresAt - asOf <= TimeSpan.FromDays(ExpiringSoonDays) => "expiring-soon",
            _ => "fresh",
        };
    }

    /// <summary>The waterfall name of a stage.</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>For example <c>inquiry</c>, <c>mql</c>, <c>won</c>.</returns>
    public static string StageName(LifecycleStage stage) => stage switch
    {
        LifecycleStage.Inquiry => "inquiry",
        LifecycleStage.MarketingQualified => "mql",
        LifecycleStage.SalesAccepted => "sal",
        LifecycleStage.SalesQualified => "sql",
        LifecycleStage.Opportunity => "opportunity",
        LifecycleStage.Won => "won",
        _ => stage.ToString().ToLowerInvariant(),
    };

    internal static void WriteNullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, Math.Round(v, 4));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
