using System.Collections.Immutable;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Models;
using Alignment.Nurture;
using Alignment.Scoring;
using Alignment.Segmentation;

namespace Alignment.AspNetCore.Tests.Webhooks;

/// <summary>One decision of every kind, and HTTP stubs.</summary>
internal static class WebhookTestKit
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public static AlignmentDecision Routed(string lead, int minute = 0) =>
        new AlignmentDecision.Routed(new HandoffDecision.Assigned(new LeadId(lead), new RepId("rep-1"), "enterprise", "largest account"), Start.AddMinutes(minute));

    public static IReadOnlyList<AlignmentDecision> OneOfEachKind()
    {
        var lead = new LeadId("lead-1");
        var model = new ModelReference("policy", "3", "sha256:abc");
        return
        [
            new AlignmentDecision.Scored(new ScoreCard
            {
                LeadId = lead, AsOf = Start, Total = 72.5m, Fit = 40m, Engagement = 32.5m, Grade = Grade.BPlus, State = QualificationState.MarketingQualified,
                Categories = [new CategoryScore("firmographic", 40m)],
                Explanation = [new ScoreContribution("employees-200", "firmographic", ScoreComponent.Fit, 15m, 1)],
                ModelId = "standard", ModelVersion = "7", ModelHash = "sha256:def",
            }),
            new AlignmentDecision.Segmented(new SegmentAssignment(lead, new SegmentId("mid-market"), "200-999 employees") { Model = model }, Start),
            Routed("lead-1"),
            new AlignmentDecision.Routed(new HandoffDecision.Queued(lead, "overflow", "fallback", "no rep free"), Start.AddSeconds(1)),
            new AlignmentDecision.SlaBreached(lead, new RepId("rep-1"), Start, Start.AddHours(1)),
            new AlignmentDecision.Enrolled(new NurtureEnrolment(lead, "welcome", NurtureEntryReason.NotSalesReady, Start, 0, Start.AddDays(1))) { Policy = model },
            new AlignmentDecision.ScoreCrossed(lead, new ThresholdCrossing(QualificationState.MarketingQualified, QualificationState.NotQualified), 41m, Start),
            new AlignmentDecision.NurtureStepSent(lead, "lead-1:1", "welcome", 0, "intro", "case-study-9", Start, "fits mid-market"),
            new AlignmentDecision.NurtureStepSkipped(lead, "lead-1:1", "welcome", 1, "webinar", Start, "no fresh collateral"),
            new AlignmentDecision.NurtureExited(lead, "lead-1:1", "welcome", NurtureExit.ToSales, Start, "score reached MQL"),
            new AlignmentDecision.CampaignChanged(lead, "webinar-42", CampaignEvent.Registered, Start),
            new AlignmentDecision.StageChanged(lead, new LifecycleTransition(LifecycleStage.Inquiry, LifecycleStage.Inquiry + 1, Start, LifecycleActor.Marketing, "scored")),
            new AlignmentDecision.ContentChanged(new Alignment.Segmentation.Collateral.ContentChange("default", Alignment.Segmentation.Collateral.ContentChangeKind.SentBack, Start)
            {
                ItemId = "battle-card", Revision = 2, By = "sam", Reason = "pricing slide is wrong",
            }),
        ];
    }
}

/// <summary>An <see cref="IHttpClientFactory"/> whose clients all go through one handler.</summary>
internal sealed class StubHttpClientFactory(HttpMessageHandler handler) : IHttpClientFactory
{
    public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
}

/// <summary>A handler that answers with a function and records every request (delivery id, signature, body).</summary>
internal sealed class RecordingHandler(Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
{
    private readonly Lock _gate = new();

    public List<(string DeliveryId, string Signature, string Event, byte[] Body)> Requests { get; } = [];

    public static RecordingHandler Status(Func<int, System.Net.HttpStatusCode> status) =>
        new((_, n, _) => Task.FromResult(new HttpResponseMessage(status(n))));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[] body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        int n;
        lock (_gate)
        {
            Requests.Add((request.Headers.GetValues("Alignment-Delivery").Single(), request.Headers.GetValues("Alignment-Signature").Single(), request.Headers.GetValues("Alignment-Event").Single(), body));
            n = Requests.Count;
        }

        return await answer(request, n, cancellationToken);
    }
}
