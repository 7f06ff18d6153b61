using System.Diagnostics;
using Alignment.Activities;
using Alignment.Decisions;
using Alignment.Diagnostics;
using Alignment.Leads;
using Alignment.Nurture;
using Alignment.Policies.Handoff;
using Alignment.Policies.Nurture;
using Alignment.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Alignment.Hosting.Tests;

/// <summary>
/// What an operator's collector sees, read through the OpenTelemetry SDK and its in-memory exporter in a generic host: a span for
/// each routing decision, SLA check, nurture run and outbox relay on the <c>Alignment</c> source, and every instrument of the
/// <c>Alignment</c> meter defined once (one name, one kind, one description), with the decision-latency histogram among them.
/// </summary>
public sealed class OpenTelemetryExportTests
{
    private sealed class NotQualified : ILeadScorer
    {
        public ScoreCard Score(Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset asOf) => new()
        {
            LeadId = lead.Id, AsOf = asOf, Total = 10, Fit = 0, Engagement = 10, Grade = Grade.C, State = QualificationState.NotQualified,
            Categories = [], Explanation = [], ModelId = "m", ModelVersion = "1", ModelHash = "h",
        };
    }

    [Fact]
    public async Task Spans_and_metrics_reach_the_OpenTelemetry_SDK_with_one_definition_per_instrument()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using var host = TestHost.Build(time, services =>
        {
            services.AddSingleton<ILeadScorer, NotQualified>();
            services.AddOpenTelemetry()
                .WithTracing(t => t.AddSource(AlignmentDiagnostics.ActivitySourceName).AddInMemoryExporter(spans))
                .WithMetrics(m => m.AddMeter(AlignmentDiagnostics.MeterName).AddInMemoryExporter(metrics));
            services.AddAlignment(a => a
                .UseInMemoryDecisionOutbox()
                .AddHandoff(o => { o.PolicyJson = RoutingHosts.Policy; o.RosterJson = RoutingHosts.Roster; })
                .AddNurture(o => o.PolicyJson = WorkerHostTests.NurturePolicy));
        });
        await host.StartAsync();

        await RoutingHosts.RouteAsync(host, "lead-", 3);
        time.Advance(TimeSpan.FromMinutes(2));
        var breached = await host.Services.GetRequiredService<HandoffRouter>().ProcessSlaBreachesAsync();
        var nurture = host.Services.GetRequiredService<NurtureEngine>();
        var quiet = new Lead(new LeadId("quiet"));
        ((InMemoryLeadSnapshotSource)host.Services.GetRequiredService<ILeadSnapshotSource>()).Put(new LeadSnapshot(quiet, []));
        await nurture.EnrolAsync(quiet, NurtureEntryReason.NeverEngaged);
        var run = await nurture.RunDueAsync();
        int delivered = await host.Services.GetRequiredService<DecisionRelay>().DeliverPendingAsync();
        Assert.Equal(3, breached.Length);
        Assert.Single(run.Outcomes.OfType<NurtureOutcome.StepSent>());
        Assert.True(delivered >= 3 + 3 + 1 + 1, $"delivered {delivered}");

        Assert.True(host.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
        Assert.True(host.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
        await host.StopAsync();

        var names = spans.Select(s => s.OperationName).ToList();
        Assert.Equal(3, names.Count(n => n == "alignment.handoff.route"));
        Assert.Contains("alignment.handoff.sla_check", names);
        Assert.Contains("alignment.nurture.run", names);
        Assert.Contains("alignment.outbox.relay", names);
        Assert.All(spans, s => Assert.Equal(AlignmentDiagnostics.ActivitySourceName, s.Source.Name));

        Assert.NotEmpty(metrics);
        var instruments = metrics.GroupBy(m => m.Name).ToList();
        Assert.All(instruments, g => Assert.True(g.Select(m => (m.MetricType, m.Description, m.Unit)).Distinct().Count() == 1, $"{g.Key} defined more than once"));
        Assert.All(instruments, g => Assert.False(string.IsNullOrWhiteSpace(g.First().Description), $"{g.Key} has no description"));
        Assert.Contains(instruments, g => g.Key == "alignment.handoff.decision.duration" && g.First().MetricType == MetricType.Histogram);
        Assert.Contains(instruments, g => g.Key == "alignment.leads.routed");
        Assert.Contains(instruments, g => g.Key == "alignment.nurture.steps");
        Assert.Contains(instruments, g => g.Key == "alignment.sla.breached");
    }
}
