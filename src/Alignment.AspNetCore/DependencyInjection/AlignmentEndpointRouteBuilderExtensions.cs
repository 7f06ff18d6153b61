using Alignment.AspNetCore;
using Alignment.AspNetCore.Endpoints;
using Alignment.AspNetCore.Webhooks;
using Alignment.AspNetCore.Wire;
using Alignment.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Alignment's HTTP endpoints.</summary>
public static class AlignmentEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps Alignment's endpoints under <paramref name="prefix"/>: ingest and decide (<c>POST /leads</c>), read a lead
    /// (<c>GET /leads/{leadId}</c>), the rep's side (<c>POST /leads/{leadId}/first-touch</c>, <c>/accept</c>,
    /// <c>/reject</c>, <c>GET /reps/{rep}/handoffs</c>), campaigns (<c>POST /campaigns/{campaign}/invite</c>,
    /// <c>/register</c>, <c>/attend</c>, <c>/close</c>), metrics (<c>GET /metrics</c>) and, with <c>AddAlignmentWebhooks</c>,
    /// the tenant's webhook subscriptions and deliveries (<c>/webhooks</c>). Every endpoint requires a caller
    /// bound to a tenant (<see cref="AlignmentHttpDefaults.AuthorizationPolicy"/>), is rate-limited per tenant, answers errors
    /// as <c>application/problem+json</c>, and is described for OpenAPI. Needs <c>AddAlignmentHttp</c>.
    /// </summary>
    /// <param name="endpoints">The application.</param>
    /// <param name="prefix">The path prefix.</param>
    /// <returns>The group, to add conventions to.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="prefix"/> is null.</exception>
    public static RouteGroupBuilder MapAlignment(this IEndpointRouteBuilder endpoints, string prefix = "/v1")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var group = endpoints.MapGroup(prefix)
            .RequireAuthorization(AlignmentHttpDefaults.AuthorizationPolicy)
            .RequireRateLimiting(AlignmentHttpDefaults.RateLimiterPolicy)
            .WithTags("Alignment")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        group.MapPost("/leads", AlignmentEndpoints.IngestAsync)
            .WithName("IngestLead")
            .WithSummary("Ingest a lead with its activities and get the decision back")
            .WithDescription("Creates or updates the lead (by the CRM's id), adds its activities, scores, segments, and hands it to sales or puts it on a nurture track. With an Idempotency-Key header, a repeat of the same request returns the same decision and changes nothing.")
            .Accepts<LeadRequest>("application/json")
            .Produces<LeadDecisionResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/leads/{leadId}", AlignmentEndpoints.GetLeadAsync)
            .WithName("GetLead")
            .WithSummary("Read a lead's current score, explanation, lifecycle history and owner")
            .Produces<LeadResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound);
        RepAction(group.MapPost("/leads/{leadId}/first-touch", AlignmentEndpoints.FirstTouchAsync), "RecordFirstTouch", "Record the rep's first touch");
        RepAction(group.MapPost("/leads/{leadId}/accept", AlignmentEndpoints.AcceptAsync), "AcceptLead", "Accept a handed-off lead (SAL)");
        RepAction(group.MapPost("/leads/{leadId}/reject", AlignmentEndpoints.RejectAsync), "RejectLead", "Reject a handed-off lead with a reason code (it goes back to nurture)");
        group.MapGet("/reps/{rep}/handoffs", AlignmentEndpoints.RepHandoffsAsync)
            .WithName("ListRepHandoffs")
            .WithSummary("A rep's handoffs awaiting the first touch, with their SLA due times, soonest first")
            .Produces<List<HandoffResponse>>(StatusCodes.Status200OK)
            .ProducesValidationProblem();
        CampaignStep(group.MapPost("/campaigns/{campaign}/invite", AlignmentEndpoints.InviteAsync), "InviteToCampaign", "Invite a lead to a campaign (webinar, event)");
        CampaignStep(group.MapPost("/campaigns/{campaign}/register", AlignmentEndpoints.RegisterAsync), "RegisterForCampaign", "Record a lead's registration");
        CampaignStep(group.MapPost("/campaigns/{campaign}/attend", AlignmentEndpoints.AttendAsync), "AttendCampaign", "Record a lead's attendance");
        group.MapPost("/campaigns/{campaign}/close", AlignmentEndpoints.CloseCampaignAsync)
            .WithName("CloseCampaign")
            .WithSummary("Close a campaign: no-shows go on a nurture track, attendees get follow-up tasks")
            .Produces<CampaignResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem();
        group.MapGet("/metrics", AlignmentEndpoints.MetricsAsync)
            .WithName("GetMetrics")
            .WithSummary("The waterfall, speed to lead and SLA compliance")
            .Produces<MetricsResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem();
        if (endpoints.ServiceProvider.GetService<IWebhookSubscriptionStore>() is not null)
        {
            WebhookEndpoints.MapWebhooks(group);
        }

        return group;
    }

    private static void RepAction(RouteHandlerBuilder endpoint, string name, string summary) =>
        endpoint
            .WithName(name)
            .WithSummary(summary)
            .Accepts<RepActionRequest>("application/json")
            .Produces<HandoffResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

    private static void CampaignStep(RouteHandlerBuilder endpoint, string name, string summary) =>
        endpoint
            .WithName(name)
            .WithSummary(summary)
            .Accepts<CampaignMemberRequest>("application/json")
            .Produces<CampaignResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
}
