using Alignment.AspNetCore;
using Alignment.AspNetCore.Webhooks;
using Alignment.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Alignment's outgoing webhooks.</summary>
public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="WebhookOptions"/> (validated at start-up), the in-memory subscription and delivery stores (unless others are
    /// registered already), the <see cref="WebhookDispatcher"/>, the background worker that runs it, the retention pass that removes delivered deliveries older than
    /// <see cref="WebhookOptions.DeliveredRetention"/>, and the <see cref="HttpClient"/> named
    /// <see cref="WebhookDispatcher.HttpClientName"/> (no redirects, no proxy, and every connection refused when its address is private,
    /// loopback, link-local or otherwise not public, unless <see cref="WebhookOptions.AllowPrivateNetworks"/>). Calling it twice is harmless. Each tenant publishes to a
    /// <see cref="WebhookDecisionSink"/> built over the registered stores.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options, or null for the defaults.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddAlignmentWebhooks(this IServiceCollection services, Action<WebhookOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<WebhookOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWebhookSubscriptionStore, InMemoryWebhookSubscriptionStore>();
        services.TryAddSingleton<IWebhookDeliveryStore, InMemoryWebhookDeliveryStore>();
        services.TryAddSingleton(sp => new WebhookDispatcher(
            sp.GetRequiredService<IWebhookDeliveryStore>(),
            sp.GetRequiredService<IWebhookSubscriptionStore>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<WebhookOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<Logging.ILogger<WebhookDispatcher>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WebhookDispatchWorker>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WebhookRetentionWorker>(static sp =>
        {
            var o = sp.GetRequiredService<IOptions<WebhookOptions>>().Value;
            var deliveries = sp.GetRequiredService<IWebhookDeliveryStore>();
            return new WebhookRetentionWorker(new RetentionWorker(
                "delivered webhook deliveries", deliveries.PurgeDeliveredAsync, o.DeliveredRetention, o.RetentionInterval, o.RetentionBatchSize,
                sp.GetRequiredService<TimeProvider>(), sp.GetService<Logging.ILogger<WebhookRetentionWorker>>()));
        }));
        services.AddHttpClient(WebhookDispatcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(static sp => WebhookAddressRules.CreateHandler(sp.GetRequiredService<IOptions<WebhookOptions>>().Value));
        return services;
    }
}
