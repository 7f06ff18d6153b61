using System.Buffers.Text;
using System.Collections.Immutable;
using System.Security.Cryptography;

namespace Alignment.Webhooks;

/// <summary>A URL a tenant registered to receive its decisions, signed with <see cref="Secret"/>.</summary>
/// <param name="Id">The subscription's id (<c>whsub_…</c>).</param>
/// <param name="Tenant">The tenant that owns it; it receives that tenant's decisions only.</param>
/// <param name="Url">Where decisions are POSTed: an absolute <c>http</c> or <c>https</c> URL.</param>
/// <param name="Secret">The signing secret (<c>whsec_</c> + 32 random bytes, base64url). Never logged and never printed by <see cref="ToString"/>.</param>
public sealed record WebhookSubscription(string Id, string Tenant, Uri Url, string Secret)
{
    /// <summary>The decision kinds (see <see cref="WebhookEvents"/>) this subscription receives; empty (the default) for every kind.</summary>
    public ImmutableArray<string> Events { get; init; } = [];

    /// <summary>Whether decisions of <paramref name="eventKind"/> are sent to this subscription.</summary>
    /// <param name="eventKind">A decision kind, for example <c>routed</c>.</param>
    /// <returns><see langword="true"/> when <see cref="Events"/> is empty or contains the kind (ordinal comparison).</returns>
    public bool Accepts(string eventKind) => Events.IsDefaultOrEmpty || Events.Contains(eventKind, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="url"/> can receive webhooks: an absolute <c>http</c> or <c>https</c> URL.</summary>
    /// <param name="url">The URL.</param>
    /// <returns><see langword="true"/> when it can.</returns>
    public static bool IsValidUrl(Uri? url) =>
        url is not null && url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) && !string.IsNullOrEmpty(url.Host);

    /// <summary>Creates a subscription with a new random id and secret.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="url">An absolute <c>http</c> or <c>https</c> URL.</param>
    /// <param name="events">The kinds to receive (see <see cref="WebhookEvents"/>); <see langword="null"/> or empty for every kind.</param>
    /// <returns>The subscription.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty, <paramref name="url"/> is not an absolute http(s) URL, or an event kind is unknown.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="tenant"/> or <paramref name="url"/> is null.</exception>
    public static WebhookSubscription Create(string tenant, Uri url, IEnumerable<string>? events = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        ArgumentNullException.ThrowIfNull(url);
        if (!IsValidUrl(url))
        {
            throw new ArgumentException("A webhook URL must be an absolute http or https URL.", nameof(url));
        }

        ImmutableArray<string> kinds = events is null ? [] : [.. events.Distinct(StringComparer.Ordinal)];
        foreach (string kind in kinds)
        {
            if (!WebhookEvents.All.Contains(kind))
            {
                throw new ArgumentException($"'{kind}' is not a decision kind; expected one of: {string.Join(", ", WebhookEvents.All)}.", nameof(events));
            }
        }

        return new WebhookSubscription("whsub_" + RandomToken(16), tenant, url, NewSecret()) { Events = kinds };
    }

    /// <summary>A new signing secret: <c>whsec_</c> followed by 32 bytes from <see cref="RandomNumberGenerator"/>, base64url without padding.</summary>
    /// <returns>The secret.</returns>
    public static string NewSecret() => "whsec_" + RandomToken(32);

    /// <summary>The subscription without its secret.</summary>
    /// <returns>Id, tenant, URL and event kinds.</returns>
    public override string ToString() => $"WebhookSubscription {{ Id = {Id}, Tenant = {Tenant}, Url = {Url}, Events = [{string.Join(", ", Events.IsDefault ? [] : Events)}] }}";

    private static string RandomToken(int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        RandomNumberGenerator.Fill(buffer);
        return Base64Url.EncodeToString(buffer);
    }
}
