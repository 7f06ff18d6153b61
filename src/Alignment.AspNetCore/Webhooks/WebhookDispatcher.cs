using System.Globalization;
using System.Net.Http.Headers;
using Alignment.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Alignment.AspNetCore.Webhooks;

/// <summary>
/// Sends due webhook deliveries: POSTs each body as <c>application/json</c> with the <c>Alignment-Signature</c>, <c>Alignment-Delivery</c>
/// and <c>Alignment-Event</c> headers, through the <see cref="IHttpClientFactory"/> client named <see cref="HttpClientName"/>. A 2xx answer
/// marks it delivered; anything else (another status, a timeout after <see cref="WebhookOptions.AttemptTimeout"/>, a refused connection)
/// schedules a retry with <see cref="WebhookOptions.RetryDelay"/> or, after <see cref="WebhookOptions.MaxAttempts"/>, parks it.
/// Deliveries to one subscription are attempted one at a time, oldest first (see <see cref="IWebhookDeliveryStore.ClaimDueAsync"/>).
/// </summary>
/// <remarks>Usable without a host: call <see cref="RunDueAsync"/>. Thread-safe, but one dispatcher per delivery store is enough.</remarks>
public sealed class WebhookDispatcher
{
    /// <summary>The name of the <see cref="HttpClient"/> the dispatcher asks <see cref="IHttpClientFactory"/> for: <c>Alignment.Webhooks</c>.</summary>
    public const string HttpClientName = "Alignment.Webhooks";

    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(30);
    private readonly IWebhookDeliveryStore _deliveries;
    private readonly IWebhookSubscriptionStore _subscriptions;
    private readonly IHttpClientFactory _httpClients;
    private readonly IOptions<WebhookOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a dispatcher.</summary>
    /// <param name="deliveries">The deliveries.</param>
    /// <param name="subscriptions">The subscriptions (for their secrets).</param>
    /// <param name="httpClients">Gives the <see cref="HttpClientName"/> client.</param>
    /// <param name="options">The options.</param>
    /// <param name="time">The clock (<see cref="TimeProvider.System"/> when null).</param>
    /// <param name="logger">The logger, or null.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    public WebhookDispatcher(
        IWebhookDeliveryStore deliveries,
        IWebhookSubscriptionStore subscriptions,
        IHttpClientFactory httpClients,
        IOptions<WebhookOptions> options,
        TimeProvider? time = null,
        ILogger<WebhookDispatcher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(httpClients);
        ArgumentNullException.ThrowIfNull(options);
        _deliveries = deliveries;
        _subscriptions = subscriptions;
        _httpClients = httpClients;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Attempts every delivery due now (at most one per subscription, up to <see cref="WebhookOptions.MaxConcurrency"/> at once) and records the outcomes.</summary>
    /// <param name="cancellationToken">Cancels the run; attempts in flight are abandoned and stay claimed until their lease ends.</param>
    /// <returns>How many deliveries were attempted.</returns>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var options = _options.Value;
        var now = _time.GetUtcNow();
        // No more than can be attempted at once, so every claimed delivery starts at once and its lease (two attempt timeouts, plus
        // time for the store's calls) outlasts the attempt: another instance cannot claim it while it is in flight.
        var due = await _deliveries.ClaimDueAsync(now, options.MaxConcurrency, options.AttemptTimeout * 2 + LeaseMargin, cancellationToken).ConfigureAwait(false);
        if (due.Count == 0)
        {
            return 0;
        }

        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrency, CancellationToken = cancellationToken },
            (delivery, ct) => AttemptAsync(delivery, options, ct)).ConfigureAwait(false);
        return due.Count;
    }

    private async ValueTask AttemptAsync(WebhookDelivery delivery, WebhookOptions options, CancellationToken cancellationToken)
    {
        var subscription = await _subscriptions.FindAsync(delivery.Tenant, delivery.SubscriptionId, cancellationToken).ConfigureAwait(false);
        if (subscription is null)
        {
            if (await _deliveries.MarkFailedAsync(delivery, "the subscription was removed", null, cancellationToken).ConfigureAwait(false))
            {
                WebhookLog.Parked(_logger, delivery.Id, delivery.Tenant, delivery.Attempts + 1, "the subscription was removed");
            }
            else
            {
                WebhookLog.ClaimLost(_logger, delivery.Id, delivery.Tenant);
            }

            return;
        }

        string? error = subscription.Url.Scheme == Uri.UriSchemeHttp && !options.AllowHttp
            ? "refused: the URL is http and WebhookOptions.AllowHttp is not set"
            : await SendAsync(delivery, subscription, options, cancellationToken).ConfigureAwait(false);

        var now = _time.GetUtcNow();
        int attempt = delivery.Attempts + 1;
        if (error is null)
        {
            if (await _deliveries.MarkDeliveredAsync(delivery, now, cancellationToken).ConfigureAwait(false))
            {
                WebhookLog.Delivered(_logger, delivery.Id, delivery.EventKind, delivery.Tenant, attempt);
            }
            else
            {
                WebhookLog.ClaimLost(_logger, delivery.Id, delivery.Tenant);
            }
        }
        else if (attempt >= options.MaxAttempts)
        {
            if (await _deliveries.MarkFailedAsync(delivery, error, null, cancellationToken).ConfigureAwait(false))
            {
                WebhookLog.Parked(_logger, delivery.Id, delivery.Tenant, attempt, error);
            }
            else
            {
                WebhookLog.ClaimLost(_logger, delivery.Id, delivery.Tenant);
            }
        }
        else
        {
            var retryAt = now + options.RetryDelay(attempt);
            if (await _deliveries.MarkFailedAsync(delivery, error, retryAt, cancellationToken).ConfigureAwait(false))
            {
                WebhookLog.Retrying(_logger, delivery.Id, delivery.Tenant, attempt, error, retryAt);
            }
            else
            {
                WebhookLog.ClaimLost(_logger, delivery.Id, delivery.Tenant);
            }
        }
    }

    /// <summary>One POST; the reason it failed, or <see langword="null"/> on 2xx.</summary>
    private async Task<string?> SendAsync(WebhookDelivery delivery, WebhookSubscription subscription, WebhookOptions options, CancellationToken cancellationToken)
    {
        string? error;
        using (var timeout = new CancellationTokenSource(options.AttemptTimeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url);
                var content = new ReadOnlyMemoryContent(delivery.Body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Content = content;
                long t = _time.GetUtcNow().ToUnixTimeSeconds();
                request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Sign(subscription.Secret, t, delivery.Body.Span));
                request.Headers.TryAddWithoutValidation(WebhookSignature.DeliveryHeader, delivery.Id);
                request.Headers.TryAddWithoutValidation(WebhookSignature.EventHeader, delivery.EventKind);
                var client = _httpClients.CreateClient(HttpClientName);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                error = status switch
                {
                    >= 200 and <= 299 => null,
                    >= 300 and <= 399 => string.Create(CultureInfo.InvariantCulture, $"HTTP {status} (redirects are not followed)"),
                    _ => string.Create(CultureInfo.InvariantCulture, $"HTTP {status}"),
                };
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"no answer within {options.AttemptTimeout}");
            }
            catch (HttpRequestException e) when (e.InnerException is WebhookAddressRefusedException refused)
            {
                error = refused.Message;
            }
            catch (HttpRequestException e)
            {
                error = e.HttpRequestError == HttpRequestError.Unknown ? "request failed" : e.HttpRequestError.ToString();
            }
        }

        return error;
    }
}
