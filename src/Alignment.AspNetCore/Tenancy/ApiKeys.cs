using System.Security.Cryptography;
using System.Text;

namespace Alignment.AspNetCore.Tenancy;

/// <summary>Creates API keys and the hashes that are stored in their place (a key itself is never stored).</summary>
public static class ApiKeys
{
    /// <summary>Creates a new API key: <c>alg_</c> and 32 random bytes in base64url (43 characters).</summary>
    /// <returns>The key. Show it once to whoever will use it; store only <see cref="Hash"/> of it.</returns>
    public static string Create() => "alg_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The hash stored in place of a key: SHA-256 of its UTF-8 bytes, in lowercase hex. A key carries 256 random bits, so a
    /// fast hash is enough (a slow password hash guards low-entropy secrets, which a key is not).
    /// </summary>
    /// <param name="apiKey">The key.</param>
    /// <returns>64 lowercase hex digits.</returns>
    /// <exception cref="ArgumentException"><paramref name="apiKey"/> is null or empty.</exception>
    public static string Hash(string apiKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
