using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Alignment.AspNetCore.Endpoints;

/// <summary>Reads a JSON body within the size limit, and names the JSON path of what cannot be read.</summary>
internal static class RequestBody
{
    /// <summary>Reads the body; <see langword="null"/> bytes when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async ValueTask<byte[]?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength is long declared && declared > maxBytes)
        {
            return null;
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes + 1;   // the server stops a longer stream; the count below answers 413
        }

        using var buffer = new MemoryStream();
        byte[] chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);   // per request on the ingest path: rented, not allocated
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                }
                catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    return null;
                }

                if (read == 0)
                {
                    return buffer.ToArray();
                }

                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Parses JSON; on failure, the JSON path and the reason go into <paramref name="errors"/>.</summary>
    public static T? Parse<T>(byte[] body, JsonTypeInfo<T> type, RequestErrors errors)
        where T : class
    {
        if (body.Length == 0)
        {
            errors.Add("$", "The body is empty; a JSON object is expected.");
            return null;
        }

        try
        {
            var value = JsonSerializer.Deserialize(body, type);
            if (value is null)
            {
                errors.Add("$", "A JSON object is expected, not null.");
            }

            return value;
        }
        catch (JsonException ex)
        {
            string path = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
            string where = ex.LineNumber is long line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : string.Empty;
            errors.Add(path, Describe(ex) + where);
            return null;
        }
    }

    private static string Describe(JsonException ex)
    {
        // The serializer's message ends with its own path and position, which the problem gives separately.
        string message = ex.Message;
        int cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.') + ".";
    }
}
