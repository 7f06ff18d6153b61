using System.Text.Json;
using Alignment.Cli.Commands;
using Alignment.Cli.Demo;
using Alignment.Policies.Metrics;

namespace Alignment.Cli.Reporting;

/// <summary>
/// The parts of <c>summary.json</c> that <c>alignment demo</c> and <c>alignment report</c> share, written by the same code so that a
/// report of the demo's exported year equals the demo's own summary in them: the waterfall, speed to lead, attribution, and the
/// planning (the demand plan, both sides of the SLA, spend and return per channel, the recommended budget and its backtest).
/// </summary>
internal static class ReportJson
{
    /// <summary>Writes <c>"waterfall"</c>: leads per stage, conversions, and the waterfall per source.</summary>
    public static void WriteWaterfall(Utf8JsonWriter w, AlignmentMetricsReport m)
    {
        w.WriteStartObject("waterfall");
        w.WriteStartArray("stages");
        foreach (var s in m.Overall.Stages)
        {
            w.WriteStartObject();
            w.WriteString("stage", DemoSummary.StageName(s.Stage));
            w.WriteNumber("leads", s.Leads);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("conversions");
        foreach (var c in m.Overall.Conversions)
        {
            w.WriteStartObject();
            w.WriteString("from", DemoSummary.StageName(c.From));
            w.WriteString("to", DemoSummary.StageName(c.To));
            w.WriteNumber("rate", c.Rate);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("bySource");
        foreach (var d in m.BySource)
        {
            w.WriteStartObject();
            w.WriteString("source", d.Key);
            foreach (var s in d.Waterfall.Stages)
            {
                w.WriteNumber(DemoSummary.StageName(s.Stage), s.Leads);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Writes <c>"speedToLead"</c>: MQLs, touched, median and 95th percentile hours.</summary>
    public static void WriteSpeedToLead(Utf8JsonWriter w, SpeedToLeadReport st)
    {
        w.WriteStartObject("speedToLead");
        w.WriteNumber("mqlLeads", st.MqlLeads);
        w.WriteNumber("touched", st.Touched);
        DemoSummary.WriteNullable(w, "medianHours", st.MedianHours);
        DemoSummary.WriteNullable(w, "p95Hours", st.P95Hours);
        w.WriteEndObject();
    }

    /// <summary>Writes <c>"attribution"</c>: won deals and revenue, and the rows of each attribution model.</summary>
    public static void WriteAttribution(Utf8JsonWriter w, AttributionReport at)
    {
        w.WriteStartObject("attribution");
        w.WriteNumber("wonDeals", at.WonDeals);
        w.WriteNumber("wonRevenue", at.WonRevenue);
        foreach (var (name, rows) in new[] { ("firstTouch", at.FirstTouch), ("lastTouch", at.LastTouch), ("linear", at.Linear) })
        {
            w.WriteStartArray(name);
            foreach (var row in rows)
            {
                w.WriteStartObject();
                w.WriteString("source", row.Source);
                w.WriteString("campaign", row.Campaign);
                w.WriteNumber("revenue", row.Revenue);
                w.WriteNumber("deals", row.Deals);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    /// <summary>Writes <c>"planning"</c>: plan vs actual, the demand plan, both sides of the SLA, spend, budget and backtest.</summary>
    public static void WritePlanning(Utf8JsonWriter w, ReportData data)
    {
        w.WriteStartObject("planning");
        w.WriteStartArray("planVsActual");
        foreach (var p in data.PlanVsActual)
        {
            w.WriteStartObject();
            w.WriteString("month", p.Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteNumber("target", p.Target);
            w.WriteNumber("won", p.Won);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WritePropertyName("demandPlan");
        if (data.Demand is { } demand)
        {
            JsonSerializer.Serialize(w, demand, PlanningJsonContext.Default.DemandPlan);
        }
        else
        {
            w.WriteNullValue();
        }

        w.WritePropertyName("sla");
        JsonSerializer.Serialize(w, data.Sla, PlanningJsonContext.Default.SlaReport);
        w.WritePropertyName("spend");
        if (data.Spend is { } spend)
        {
            JsonSerializer.Serialize(w, spend, PlanningJsonContext.Default.SpendReport);
        }
        else
        {
            w.WriteNullValue();
        }

        w.WritePropertyName("budget");
        if (data.Budget is { } budget)
        {
            JsonSerializer.Serialize(w, budget, PlanningJsonContext.Default.BudgetRecommendation);
        }
        else
        {
            w.WriteNullValue();
        }

        w.WritePropertyName("budgetBacktest");
        if (data.Backtest is { } backtest)
        {
            JsonSerializer.Serialize(w, backtest, PlanningJsonContext.Default.BudgetBacktest);
        }
        else
        {
            w.WriteNullValue();
        }

        w.WriteEndObject();
    }

    /// <summary>Writes the whole <c>summary.json</c> of <c>alignment report</c>.</summary>
    /// <param name="data">The report.</param>
    /// <returns>Indented JSON, ending with a newline.</returns>
    public static string ToJson(ReportData data)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("from", data.From);
            w.WriteString("to", data.AsOf);
            w.WriteNumber("leads", data.Leads);
            WriteWaterfall(w, data.Metrics);
            WriteSpeedToLead(w, data.Metrics.SpeedToLead);
            w.WriteStartObject("sla");
            w.WriteNumber("measured", data.Metrics.SpeedToLead.SlaMeasured);
            w.WriteNumber("met", data.Metrics.SpeedToLead.SlaMet);
            DemoSummary.WriteNullable(w, "complianceRate", data.Metrics.SpeedToLead.SlaComplianceRate);
            w.WriteEndObject();
            WriteAttribution(w, data.Metrics.Attribution);
            w.WriteStartArray("velocity");
            foreach (var v in data.Metrics.Velocity)
            {
                w.WriteStartObject();
                w.WriteString("from", DemoSummary.StageName(v.From));
                w.WriteString("to", DemoSummary.StageName(v.To));
                w.WriteNumber("leads", v.Leads);
                DemoSummary.WriteNullable(w, "medianDays", v.MedianDays);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WritePlanning(w, data);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
