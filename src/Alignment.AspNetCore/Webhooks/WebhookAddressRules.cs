using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Alignment.Webhooks;

namespace Alignment.AspNetCore.Webhooks;

/// <summary>
/// Which addresses webhooks may reach without <see cref="WebhookOptions.AllowPrivateNetworks"/>: public unicast ones only. The checks
/// against server-side request forgery at registration (<see cref="CheckUrlAsync"/>) and at connection (<see cref="ConnectAsync"/>) both
/// use <see cref="Refusal"/>.
/// </summary>
internal static class WebhookAddressRules
{
    /// <summary>Why <paramref name="address"/> may not be reached, or <see langword="null"/> when it is a public unicast address.</summary>
    public static string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return RefusalV4(b);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an IP address";
        }

        Span<byte> v6 = stackalloc byte[16];
        address.TryWriteBytes(v6, out _);
        if (address.Equals(IPAddress.IPv6None))
        {
            return "the unspecified address";
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "loopback";
        }

        // IPv4 inside IPv6: mapped ::ffff:a.b.c.d, compatible ::a.b.c.d (deprecated), translated ::ffff:0:a.b.c.d (SIIT), NAT64
        // 64:ff9b::a.b.c.d and the local-use NAT64 prefix 64:ff9b:1::/48 (any IPv4 inside), 6to4 2002:aabb:ccdd::/48.
        bool zero80 = v6[..10].IndexOfAnyExcept((byte)0) < 0;
        if (zero80 && v6[10] == 0xFF && v6[11] == 0xFF || zero80 && v6[10] == 0 && v6[11] == 0)
        {
            return Embedded(v6[12..]);
        }

        if (v6[..8].IndexOfAnyExcept((byte)0) < 0 && v6[8] == 0xFF && v6[9] == 0xFF && v6[10] == 0 && v6[11] == 0)
        {
            return Embedded(v6[12..]);
        }

        if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xFF && v6[3] == 0x9B && v6[4..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return Embedded(v6[12..]);
        }

        if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xFF && v6[3] == 0x9B && v6[4] == 0x00 && v6[5] == 0x01)
        {
            return "a local-use NAT64 address (64:ff9b:1::/48)";
        }

        if (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x00 && v6[3] == 0x00)
        {
            return "a Teredo tunnel address (2001::/32)";
        }

        if (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0D && v6[3] == 0xB8)
        {
            return "a documentation address (2001:db8::/32)";
        }

        if (v6[0] == 0x01 && v6[1..8].IndexOfAnyExcept((byte)0) < 0)
        {
            return "a discard-only address (100::/64)";
        }

        if (v6[0] == 0x20 && v6[1] == 0x02)
        {
            return Embedded(v6[2..6]);
        }

        if ((v6[0] & 0xFE) == 0xFC)
        {
            return "a unique-local address (fc00::/7)";
        }

        if (v6[0] == 0xFE && (v6[1] & 0xC0) == 0x80)
        {
            return "a link-local address (fe80::/10)";
        }

        if (v6[0] == 0xFE && (v6[1] & 0xC0) == 0xC0)
        {
            return "a site-local address (fec0::/10)";
        }

        if (v6[0] == 0xFF)
        {
            return "a multicast address (ff00::/8)";
        }

        return null;

        static string? Embedded(ReadOnlySpan<byte> v4) => RefusalV4(v4) is { } reason ? reason + ", embedded in IPv6" : null;
    }

    private static string? RefusalV4(ReadOnlySpan<byte> b)
    {
        uint a = BinaryPrimitives.ReadUInt32BigEndian(b);
        return a switch
        {
            _ when In(a, 0x00000000, 8) => "an unspecified or 'this network' address (0.0.0.0/8)",
            _ when In(a, 0x7F000000, 8) => "loopback (127.0.0.0/8)",
            _ when In(a, 0x0A000000, 8) => "a private address (10.0.0.0/8)",
            _ when In(a, 0xAC100000, 12) => "a private address (172.16.0.0/12)",
            _ when In(a, 0xC0A80000, 16) => "a private address (192.168.0.0/16)",
            _ when a == 0xA9FEA9FE => "the cloud metadata address (169.254.169.254)",
            _ when In(a, 0xA9FE0000, 16) => "a link-local address (169.254.0.0/16)",
            _ when In(a, 0x64400000, 10) => "a shared (carrier-grade NAT) address (100.64.0.0/10)",
            _ when In(a, 0xC0000000, 24) => "an IETF protocol address (192.0.0.0/24)",
            _ when In(a, 0xC0000200, 24) => "a documentation address (192.0.2.0/24)",
            _ when In(a, 0xC6336400, 24) => "a documentation address (198.51.100.0/24)",
            _ when In(a, 0xCB007100, 24) => "a documentation address (203.0.113.0/24)",
            _ when In(a, 0xC6120000, 15) => "a benchmarking address (198.18.0.0/15)",
            _ when In(a, 0xC0586300, 24) => "a 6to4 relay anycast address (192.88.99.0/24)",
            _ when In(a, 0xE0000000, 4) => "a multicast address (224.0.0.0/4)",
            _ when In(a, 0xF0000000, 4) => "a reserved or broadcast address (240.0.0.0/4)",
            _ => null,
        };

        static bool In(uint address, uint network, int prefix) => (address >> (32 - prefix)) == (network >> (32 - prefix));
    }

    /// <summary>
    /// Checks a URL at registration: <c>https</c> (or <c>http</c> with <see cref="WebhookOptions.AllowHttp"/>), and, without
    /// <see cref="WebhookOptions.AllowPrivateNetworks"/>, a host that is not a refused address, not <c>localhost</c>, and does not resolve
    /// (within <see cref="WebhookOptions.RegistrationDnsTimeout"/>) to a refused address. A name that does not resolve is accepted: every
    /// connection is checked again.
    /// </summary>
    /// <returns>Why the URL is refused, or <see langword="null"/>.</returns>
    public static async Task<string?> CheckUrlAsync(Uri url, WebhookOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        if (url.Scheme == Uri.UriSchemeHttp && !options.AllowHttp)
        {
            return "must be an https URL (http is allowed only with WebhookOptions.AllowHttp)";
        }

        if (options.AllowPrivateNetworks)
        {
            return null;
        }

        // A fully qualified name may end with a dot (localhost. is localhost).
        string host = url.IdnHost.TrimEnd('.');
        if (host.Length == 0)
        {
            return "must name a host";
        }

        if (IPAddress.TryParse(host, out var literal))
        {
            return Refusal(literal) is { } reason ? $"must not point at {reason}: {literal}" : null;
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return "must not point at loopback (localhost)";
        }

        IPAddress[] addresses;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(options.RegistrationDnsTimeout);
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }

        foreach (var address in addresses)
        {
            if (Refusal(address) is { } reason)
            {
                return $"must not point at {reason}: {host} resolves to {address}";
            }
        }

        return null;
    }

    /// <summary>
    /// The <see cref="SocketsHttpHandler.ConnectCallback"/> of the webhook client: resolves the host, drops every refused address (unless
    /// <paramref name="allowPrivateNetworks"/>), and connects to the rest; when none is left it throws
    /// <see cref="WebhookAddressRefusedException"/> before any connection is made. Checking the addresses actually connected to catches a
    /// name that resolved to a public address at registration and to a private one later (DNS rebinding).
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        string host = context.DnsEndPoint.Host;
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        IPAddress[] resolved = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        IPAddress[] allowed = allowPrivateNetworks ? resolved : [.. resolved.Where(a => Refusal(a) is null)];
        if (allowed.Length == 0)
        {
            string why = resolved.Length == 0 ? "no address" : string.Join(", ", resolved.Select(a => $"{a} ({Refusal(a)})"));
            throw new WebhookAddressRefusedException(
                $"refused to connect to {host}: it resolves to {why}; webhooks reach public addresses only unless WebhookOptions.AllowPrivateNetworks is set");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The primary handler of the webhook client: no redirects (a 3xx is a failed attempt), no cookies, and <see cref="ConnectAsync"/>.</summary>
    public static SocketsHttpHandler CreateHandler(WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool allowPrivate = options.AllowPrivateNetworks;
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = options.AttemptTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = (context, ct) => ConnectAsync(context, allowPrivate, ct),
        };
    }
}

/// <summary>A webhook connection refused because every address of its host is one webhooks may not reach.</summary>
internal sealed class WebhookAddressRefusedException(string message) : Exception(message);
