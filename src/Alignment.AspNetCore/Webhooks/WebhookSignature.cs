using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Alignment.Webhooks;

namespace Alignment.AspNetCore.Webhooks;

/// <summary>
/// Signs and verifies webhook requests. The <c>Alignment-Signature</c> header reads <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>, where the hex is
/// the lowercase HMAC-SHA256, keyed with the UTF-8 bytes of the whole subscription secret (prefix <c>whsec_</c> included), of the
/// ASCII bytes of <c>&lt;t&gt;.</c> followed by the raw request body. A header may carry several <c>v1=</c> entries (secret rotation):
/// it verifies when any of them matches.
/// </summary>
/// <remarks>Thread-safe: every member is a pure function of its arguments.</remarks>
public static class WebhookSignature
{
    /// <summary>The header that carries the signature: <c>Alignment-Signature</c>.</summary>
    public const string SignatureHeader = "Alignment-Signature";

    /// <summary>The header that carries the delivery id, stable across retries and replays: <c>Alignment-Delivery</c>. Receivers deduplicate on it.</summary>
    public const string DeliveryHeader = "Alignment-Delivery";

    /// <summary>The header that carries the decision's kind (for example <c>routed</c>): <c>Alignment-Event</c>.</summary>
    public const string EventHeader = "Alignment-Event";

    private const int MacHexLength = 64;

    /// <summary>Computes the <c>Alignment-Signature</c> header value for a body sent at <paramref name="unixSeconds"/>.</summary>
    /// <param name="secret">The subscription's secret.</param>
    /// <param name="unixSeconds">The timestamp, in seconds since 1970-01-01T00:00:00Z.</param>
    /// <param name="body">The raw request body.</param>
    /// <returns>The header value, <c>t=&lt;unixSeconds&gt;,v1=&lt;lowercase hex&gt;</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is null or empty.</exception>
    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        string t = unixSeconds.ToString(CultureInfo.InvariantCulture);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ComputeMac(secret, t, body, mac);
        return "t=" + t + ",v1=" + Convert.ToHexStringLower(mac);
    }

    /// <summary>
    /// Whether <paramref name="header"/> is a valid signature of <paramref name="body"/> with <paramref name="secret"/>, made no more than
    /// <paramref name="tolerance"/> before or after <paramref name="now"/>. Never throws on a malformed header: returns <see langword="false"/>.
    /// The comparison takes constant time.
    /// </summary>
    /// <param name="secret">The subscription's secret.</param>
    /// <param name="header">The <c>Alignment-Signature</c> header value, or <see langword="null"/> when the request had none.</param>
    /// <param name="body">The raw request body, exactly as received.</param>
    /// <param name="now">The receiver's current time.</param>
    /// <param name="tolerance">How far the timestamp may be from <paramref name="now"/> (replay protection).</param>
    /// <returns><see langword="true"/> when one <c>v1=</c> entry matches and the timestamp is within tolerance.</returns>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tolerance"/> is negative.</exception>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentOutOfRangeException.ThrowIfLessThan(tolerance, TimeSpan.Zero);
        if (string.IsNullOrEmpty(header) || header.Length > 4096)
        {
            return false;
        }

        ReadOnlySpan<char> rest = header;
        ReadOnlySpan<char> t = default;
        bool hasT = false;
        int candidates = 0;
        Span<Range> v1 = stackalloc Range[8];
        int offset = 0;
        while (true)
        {
            int comma = rest.IndexOf(',');
            ReadOnlySpan<char> part = comma < 0 ? rest : rest[..comma];
            int eq = part.IndexOf('=');
            if (eq <= 0)
            {
                return false;
            }

            ReadOnlySpan<char> key = part[..eq].Trim();
            if (key.SequenceEqual("t"))
            {
                if (hasT)
                {
                    return false;
                }

                hasT = true;
                t = part[(eq + 1)..].Trim();
            }
            else if (key.SequenceEqual("v1"))
            {
                if (candidates == v1.Length)
                {
                    return false;
                }

                int start = offset + eq + 1;
                v1[candidates++] = new Range(start, offset + part.Length);
            }

            if (comma < 0)
            {
                break;
            }

            offset += comma + 1;
            rest = rest[(comma + 1)..];
        }

        if (!hasT || candidates == 0 || t.Length is 0 or > 19 || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
        {
            return false;
        }

        if (seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        TimeSpan skew = now - DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (skew.Duration() > tolerance)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ComputeMac(secret, t.ToString(), body, expected);
        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        bool match = false;
        for (int i = 0; i < candidates; i++)
        {
            ReadOnlySpan<char> hex = header.AsSpan()[v1[i]].Trim();
            if (hex.Length != MacHexLength
                || Convert.FromHexString(hex, given, out _, out int written) != System.Buffers.OperationStatus.Done
                || written != given.Length)
            {
                continue;
            }

            // Every candidate is compared, so the time taken does not say which one matched.
            match |= CryptographicOperations.FixedTimeEquals(expected, given);
        }

        return match;
    }

    private static void ComputeMac(string secret, string t, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        byte[] key = Encoding.UTF8.GetBytes(secret);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.ASCII.GetBytes(t + "."));
        hmac.AppendData(body);
        hmac.GetHashAndReset(destination);
        CryptographicOperations.ZeroMemory(key);
    }
}
