using System.Security.Claims;
using System.Text.Json;
using Alignment.AspNetCore.Tenancy;
using Alignment.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Alignment.AspNetCore.Webhooks;

/// <summary>
/// The webhook endpoints of the authenticated tenant (the <see cref="AlignmentClaims.Tenant"/> claim): register, list and remove URLs,
/// list deliveries, replay one. Errors are problem details naming the JSON field.
/// </summary>
internal static class WebhookEndpoints
{
    /// <summary>Maps <c>/webhooks</c> under <paramref name="group"/>.</summary>
    public static RouteGroupBuilder MapWebhooks(RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapPost("/webhooks", CreateAsync)
            .WithName("CreateWebhook")
            .WithSummary("Register a URL for the tenant's decisions; the answer shows the signing secret, once")
            .Accepts<CreateWebhookRequest>("application/json")
            .Produces<WebhookCreatedResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapGet("/webhooks", ListAsync)
            .WithName("ListWebhooks")
            .WithSummary("The tenant's webhook subscriptions (without their secrets)")
            .Produces<WebhookSubscriptionResponse[]>(StatusCodes.Status200OK);
        group.MapDelete("/webhooks/{id}", DeleteAsync)
            .WithName("DeleteWebhook")
            .WithSummary("Remove a subscription");
        group.MapGet("/webhooks/deliveries", ListDeliveriesAsync)
            .WithName("ListWebhookDeliveries")
            .WithSummary("The tenant's deliveries, by status (pending, delivered, parked)")
            .Produces<WebhookDeliveryResponse[]>(StatusCodes.Status200OK);
        group.MapPost("/webhooks/deliveries/{id}/replay", ReplayAsync)
            .WithName("ReplayWebhookDelivery")
            .WithSummary("Deliver a parked or delivered delivery again, with the same delivery id");
        return group;
    }

    private static string TenantOf(ClaimsPrincipal user) => user.FindFirst(AlignmentClaims.Tenant)!.Value;

    internal static async Task<Results<JsonHttpResult<WebhookCreatedResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request, IWebhookSubscriptionStore store, IOptions<WebhookOptions> options, CancellationToken cancellationToken)
    {
        // A subscription is a URL and a few event names: 64 KiB is plenty, and the body is never read past it.
        const int MaxBody = 64 * 1024;
        if (await Endpoints.RequestBody.ReadAsync(request, MaxBody, cancellationToken).ConfigureAwait(false) is not { } bytes)
        {
            return Endpoints.HttpProblems.TooLarge($"The body is larger than {MaxBody} bytes.");
        }

        var readErrors = new Endpoints.RequestErrors();
        CreateWebhookRequest? body = Endpoints.RequestBody.Parse(bytes, WebhookJsonContext.Default.CreateWebhookRequest, readErrors);
        if (readErrors.Any)
        {
            return Endpoints.HttpProblems.Invalid(readErrors);
        }

        var errors = new Dictionary<string, string[]>();
        Uri? url = null;
        if (body is null)
        {
            errors["$"] = ["must be an object with a url"];
        }
        else
        {
            if (string.IsNullOrWhiteSpace(body.Url))
            {
                errors["$.url"] = ["is required"];
            }
            else if (!Uri.TryCreate(body.Url, UriKind.Absolute, out url) || !WebhookSubscription.IsValidUrl(url))
            {
                errors["$.url"] = ["must be an absolute http or https URL"];
            }
            else if (await WebhookAddressRules.CheckUrlAsync(url, options.Value, cancellationToken).ConfigureAwait(false) is { } refusal)
            {
                errors["$.url"] = [refusal];
            }

            for (int i = 0; i < (body.Events?.Length ?? 0); i++)
            {
                string? kind = body.Events![i];
                if (kind is null || !WebhookEvents.All.Contains(kind))
                {
                    errors[$"$.events[{i}]"] = [$"must be one of: {string.Join(", ", WebhookEvents.All.Order(StringComparer.Ordinal))}"];
                }
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var subscription = WebhookSubscription.Create(TenantOf(request.HttpContext.User), url!, body!.Events?.Select(e => e!));
        await store.AddAsync(subscription, cancellationToken).ConfigureAwait(false);
        request.HttpContext.Response.Headers.Location = $"{request.PathBase}{request.Path}/{subscription.Id}";
        return TypedResults.Json(
            new WebhookCreatedResponse(subscription.Id, subscription.Url.ToString(), [.. subscription.Events], subscription.Secret),
            WebhookJsonContext.Default.WebhookCreatedResponse,
            statusCode: StatusCodes.Status201Created);
    }

    internal static async Task<JsonHttpResult<WebhookSubscriptionResponse[]>> ListAsync(ClaimsPrincipal user, IWebhookSubscriptionStore store, CancellationToken cancellationToken)
    {
        var list = await store.ListAsync(TenantOf(user), cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(
            list.Select(s => new WebhookSubscriptionResponse(s.Id, s.Url.ToString(), [.. s.Events])).ToArray(),
            WebhookJsonContext.Default.WebhookSubscriptionResponseArray);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, ClaimsPrincipal user, IWebhookSubscriptionStore store, CancellationToken cancellationToken) =>
        await store.RemoveAsync(TenantOf(user), id, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such webhook", detail: $"This tenant has no webhook {id}.");

    internal static async Task<Results<JsonHttpResult<WebhookDeliveryResponse[]>, ValidationProblem>> ListDeliveriesAsync(
        string? status, ClaimsPrincipal user, IWebhookDeliveryStore store, CancellationToken cancellationToken)
    {
        WebhookDeliveryStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse(status, ignoreCase: true, out WebhookDeliveryStatus parsed) || !Enum.IsDefined(parsed) || char.IsDigit(status[0]))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["must be pending, delivered or parked"] });
            }

            filter = parsed;
        }

        var list = await store.ListAsync(TenantOf(user), filter, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(
            list.Select(d => new WebhookDeliveryResponse(
                d.Id, d.SubscriptionId, d.Url.ToString(), d.EventKind, d.Status.ToString().ToLowerInvariant(), d.Attempts, d.NextAttemptAt, d.LastError, d.CreatedAt, d.DeliveredAt)).ToArray(),
            WebhookJsonContext.Default.WebhookDeliveryResponseArray);
    }

    internal static async Task<Results<Accepted, ProblemHttpResult>> ReplayAsync(
        string id, ClaimsPrincipal user, IWebhookDeliveryStore store, TimeProvider time, CancellationToken cancellationToken) =>
        await store.ReplayAsync(TenantOf(user), id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false)
            ? TypedResults.Accepted((string?)null)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such delivery", detail: $"This tenant has no webhook delivery {id}.");
}
